#include "ui/window/presentermode.h"

#include "ui/window/screenfit.h"

#include <QApplication>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenuBar>
#include <QScreen>

namespace pipescope
{

namespace
{
// Type that reads from the back of a lecture hall at 1920x1080.
constexpr int kPresenterPointSize = 18;
} // namespace

PresenterMode::PresenterMode(QMainWindow *window) : QObject(window), m_window(window)
{
}

void PresenterMode::setActive(bool on)
{
    if (on == m_active)
        return;
    m_active = on;
    const auto docks = m_window->findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly);
    if (on) {
        m_wasFullScreen = m_window->isFullScreen();
        m_geometry = m_window->saveGeometry();
        m_state = m_window->saveState();
        m_font = QApplication::font();
        m_docks.clear();
        for (QDockWidget *d : docks) {
            m_docks.insert(d, d->isVisible());
            d->hide();
        }
        m_menuVisible = m_window->menuBar()->isVisible();
        m_window->menuBar()->hide(); // its actions stay on the window, so every shortcut still works
        QFont big = m_font;
        big.setPointSize(qMax(m_font.pointSize(), kPresenterPointSize));
        QApplication::setFont(big);
        // The screen's own rectangle first: without a window manager to honour full screen
        // (a bare X server, a kiosk) the window still covers the projector and no more.
        if (QScreen *screen = m_window->screen(); screen && !m_wasFullScreen)
            m_window->setGeometry(screen->geometry());
        m_window->showFullScreen();
    } else {
        QApplication::setFont(m_font);
        m_window->menuBar()->setVisible(m_menuVisible);
        // The saved state brings back each dock and which tab of a group was in front;
        // showing them one by one would leave the last one shown in front instead.
        if (!m_window->restoreState(m_state)) {
            for (auto it = m_docks.constBegin(); it != m_docks.constEnd(); ++it)
                it.key()->setVisible(it.value());
        }
        if (!m_wasFullScreen) {
            m_window->showNormal();
            m_window->restoreGeometry(m_geometry);
            ScreenFit::fit(m_window);
        }
    }
    Q_EMIT activeChanged(on);
}

} // namespace pipescope
