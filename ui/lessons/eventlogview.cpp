#include "ui/lessons/eventlogview.h"

#include <QHeaderView>
#include <QScrollBar>

namespace pipescope
{

EventLogView::EventLogView(QWidget *parent) : QTableView(parent)
{
    setAlternatingRowColors(true);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setWordWrap(false);
    verticalHeader()->hide();
    // Uniform rows let the view skip measuring each one: the log can grow large.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    horizontalHeader()->setStretchLastSection(true);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this,
        [this](int value) { m_following = value >= verticalScrollBar()->maximum() - 2; });
}

void EventLogView::setModel(QAbstractItemModel *model)
{
    QTableView::setModel(model);
    connect(model, &QAbstractItemModel::rowsInserted, this, &EventLogView::rowsAdded);
    connect(model, &QAbstractItemModel::modelReset, this, [this] { m_following = true; });
    horizontalHeader()->resizeSection(0, 120);
    horizontalHeader()->resizeSection(1, 80);
    horizontalHeader()->resizeSection(2, 120);
}

void EventLogView::rowsAdded()
{
    if (m_following)
        scrollToBottom();
}

} // namespace pipescope
