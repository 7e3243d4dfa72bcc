#pragma once

#include "ui/source/processcatalog.h"

#include <QDialog>

class QLineEdit;
class QTreeWidget;

namespace pipescope
{

/// File > Watch a process...: the running processes (those holding pipes
/// first), filtered as one types; Enter or a double click picks one.
class ProcessPicker : public QDialog
{
    Q_OBJECT
public:
    explicit ProcessPicker(QWidget *parent = nullptr);

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
