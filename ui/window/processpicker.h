#pragma once

#include "ui/source/processcatalog.h"

#include <QDialog>

class QLineEdit;
class QTreeWidget;

namespace pipescope
{

/// File > Watch a process... and File > Attach to a process...: the running
/// processes (those holding pipes first), filtered as one types; Enter or a
/// double click picks one.
class ProcessPicker : public QDialog
{
    Q_OBJECT
public:
    /// title and action ("Watch a process", "Watch") say what picking one does.
    explicit ProcessPicker(QWidget *parent = nullptr, const QString &title = QStringLiteral("Watch a process"),
        const QString &action = QStringLiteral("Watch"));

    /// The process picked, 0 when none.
    qint64 pid() const;
    /// Shows the processes that match text.
    void setFilter(const QString &text);

private:
    void fill();

    QLineEdit *m_filter;
    QTreeWidget *m_list;
    QVector<ProcessEntry> m_entries;
};

} // namespace pipescope
