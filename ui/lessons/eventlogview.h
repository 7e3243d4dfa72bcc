#pragma once

#include <QTableView>

namespace pipescope
{

/// The event log's table. It follows the run (keeps the newest row in view)
/// until the user scrolls up to read, and follows again at the bottom.
class EventLogView : public QTableView
{
    Q_OBJECT
public:
    explicit EventLogView(QWidget *parent = nullptr);
    void setModel(QAbstractItemModel *model) override;
    bool following() const { return m_following; }

private:
    void rowsAdded();
    bool m_following = true;
};

} // namespace pipescope
