#pragma once

#include "ui/window/recenttrace.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace pipescope
{

/// File > Trace a program...: the program (an editable list of the recent
/// ones, the latest first), its arguments and its working directory. Accepting
/// checks that the program can run there; if not, it says why and stays open.
class TraceDialog : public QDialog
{
    Q_OBJECT
public:
    explicit TraceDialog(const QVector<RecentTrace> &recent, QWidget *parent = nullptr);

    /// What to trace, as the fields say now.
    RecentTrace request() const;
    /// Fills the fields (as picking a recent program does).
    void setRequest(const RecentTrace &request);
    /// Whether the program starts held at its first pipe-related call (Step from there).
    bool startPaused() const;
    void setStartPaused(bool paused);
    /// Why the fields cannot be traced (shown under them), or an empty string.
    QString problem() const;

public Q_SLOTS:
    /// Closes with Accepted when problem() is empty; otherwise shows it and stays open.
    void accept() override;

private:
    void pickRecent(int index);
    void browseProgram();
    void browseDirectory();

    QVector<RecentTrace> m_recent;
    QComboBox *m_program;
    QLineEdit *m_arguments;
    QLineEdit *m_directory;
    QCheckBox *m_paused;
    QLabel *m_problem;
};

} // namespace pipescope
