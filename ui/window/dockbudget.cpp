#include "ui/window/dockbudget.h"

#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QToolBar>

#include <algorithm>

namespace pipescope
{

DockBudget::DockBudget(QMainWindow *window) : QObject(window), m_window(window)
{
    window->installEventFilter(this);
    for (QDockWidget *d : window->findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly))
        watch(d);
}

void DockBudget::watch(QDockWidget *dock)
{
    if (m_watched.contains(dock))
        return;
    m_watched.insert(dock, true);
    // After the main window has placed the dock: its area and the others' sizes are known then.
    auto later = [this] { QTimer::singleShot(0, this, &DockBudget::apply); };
    connect(dock, &QDockWidget::visibilityChanged, this, [this, dock, later](bool visible) {
        later();
        if (visible && m_preferred.contains(dock))
            QTimer::singleShot(0, this, [this, dock] { widen(dock); });
    });
    connect(dock, &QDockWidget::topLevelChanged, this, later);
    connect(dock, &QDockWidget::dockLocationChanged, this, later);
    // New contents (another scenario's parameters, presenter type) relayout the scrolled widget.
    if (auto *scroll = qobject_cast<QScrollArea *>(dock->widget()); scroll && scroll->widget())
        scroll->widget()->installEventFilter(this);
}

void DockBudget::fitScrolledContents(QDockWidget *dock)
{
    auto *scroll = qobject_cast<QScrollArea *>(dock->widget());
    if (!scroll || !scroll->widget() || !scroll->widgetResizable())
        return;
    const int need = scroll->widget()->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width()
        + 2 * scroll->frameWidth();
    // Within the dock's share of the window: the stage keeps its half (apply()).
    const int width = std::min(need, dock->maximumWidth());
    if (scroll->minimumWidth() != width)
        scroll->setMinimumWidth(width);
}

void DockBudget::setPreferredWidth(QDockWidget *dock, std::function<int()> width)
{
    watch(dock);
    m_preferred.insert(dock, std::move(width));
}

bool DockBudget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        apply();
    else if (event->type() == QEvent::LayoutRequest && watched != m_window) {
        for (QDockWidget *d : m_watched.keys()) {
            auto *scroll = qobject_cast<QScrollArea *>(d->widget());
            if (scroll && scroll->widget() == watched)
                fitScrolledContents(d);
        }
    } else if (watched == m_window && event->type() == QEvent::ChildAdded)
        if (auto *d = qobject_cast<QDockWidget *>(static_cast<QChildEvent *>(event)->child()))
            watch(d);
    return QObject::eventFilter(watched, event);
}

void DockBudget::apply()
{
    // The room docks and stage share: the window below its menu and tool bars (a dock tabbed
    // behind another has no useful geometry, so the docks' own rectangles cannot say it).
    int top = 0;
    if (QWidget *menu = m_window->menuWidget(); menu && menu->isVisible())
        top = menu->geometry().bottom() + 1;
    for (QToolBar *bar : m_window->findChildren<QToolBar *>(QString(), Qt::FindDirectChildrenOnly))
        if (bar->isVisible() && m_window->toolBarArea(bar) == Qt::TopToolBarArea)
            top = std::max(top, bar->geometry().bottom() + 1);
    const QRect room(0, top, m_window->width(), m_window->height() - top);
    QHash<Qt::DockWidgetArea, int> shown;
    const auto docks = m_window->findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly);
    for (QDockWidget *d : docks) {
        if (d->isVisible() && !d->isFloating())
            shown[m_window->dockWidgetArea(d)] += 1;
    }
    const int width = static_cast<int>(room.width() * share());
    const int height = static_cast<int>(room.height() * share());
    // Both sides open: nearly halves, the lesson side (right) a little more for its code and tables.
    const bool bothSides = shown.value(Qt::LeftDockWidgetArea) > 0 && shown.value(Qt::RightDockWidgetArea) > 0;
    for (QDockWidget *d : docks) {
        if (d->isFloating()) {
            d->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
            continue;
        }
        switch (m_window->dockWidgetArea(d)) {
        case Qt::LeftDockWidgetArea: d->setMaximumSize(bothSides ? width * 9 / 20 : width, QWIDGETSIZE_MAX); break;
        case Qt::RightDockWidgetArea: d->setMaximumSize(bothSides ? width * 11 / 20 : width, QWIDGETSIZE_MAX); break;
        case Qt::TopDockWidgetArea:
        case Qt::BottomDockWidgetArea:
            // Top and bottom share the height the same way; one of them alone may take it all.
            d->setMaximumSize(QWIDGETSIZE_MAX,
                shown.value(Qt::TopDockWidgetArea) > 0 && shown.value(Qt::BottomDockWidgetArea) > 0 ? height / 2
                                                                                                    : height);
            break;
        default: break;
        }
        fitScrolledContents(d);
    }
}

void DockBudget::widen(QDockWidget *dock)
{
    if (!dock->isVisible() || dock->isFloating())
        return;
    apply();
    const int want = std::min(m_preferred.value(dock)(), dock->maximumWidth());
    if (want <= dock->width())
        return;
    m_window->resizeDocks({dock}, {want}, Qt::Horizontal);
    if (dock->width() >= want)
        return;
    // A dock tabbed with a hidden one ignores resizeDocks: a minimum width moves the splitter,
    // and once laid out it is given back, so the lecturer can drag it narrower again.
    const int minimum = dock->minimumWidth();
    dock->setMinimumWidth(want);
    QTimer::singleShot(0, dock, [dock, minimum] { dock->setMinimumWidth(minimum); });
}

} // namespace pipescope
