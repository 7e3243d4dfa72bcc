#pragma once

#include "core/model/cleanupreport.h"

#include <QVector>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace pipescope
{

/// The clean-up report of the run on stage (CleanupReport): for every process, the
/// pipe ends it closed itself, those its exec closed, and those the kernel had to
/// close when it exited, in red, so the class sees which program forgot a close.
class CleanupPanel : public QWidget
{
    Q_OBJECT
public:
    enum Column { Process, ClosedItself, ClosedAtExec, LeftToKernel, ColumnCount };

    explicit CleanupPanel(QWidget *parent = nullptr);

    void clear();
    void addEvents(const QVector<Event> &events);
    const CleanupReport &report() const { return m_report; }
    QTableWidget *table() const { return m_table; }
    /// The sentence under the table: what the report says as a whole.
    QString verdict() const;

private:
    void refresh();

    CleanupReport m_report;
    QLabel *m_verdict;
    QTableWidget *m_table;
};

} // namespace pipescope
