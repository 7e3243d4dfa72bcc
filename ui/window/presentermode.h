#pragma once

#include <QFont>
#include <QHash>
#include <QObject>

class QDockWidget;
class QMainWindow;

namespace pipescope
{

/// Presenter mode for a projector: full screen, the scene alone with the
/// control bar, and larger type everywhere. Leaving it restores the window
/// exactly as it was (docks, full-screen state, font).
class PresenterMode : public QObject
{
    Q_OBJECT
public:
    explicit PresenterMode(QMainWindow *window);

    bool isActive() const { return m_active; }
    void setActive(bool on);
    void toggle() { setActive(!m_active); }

Q_SIGNALS:
    void activeChanged(bool on);

private:
    QMainWindow *m_window;
    bool m_active = false;
    bool m_wasFullScreen = false;
    bool m_menuVisible = true;
    QFont m_font;
    QHash<QDockWidget *, bool> m_docks;
};

} // namespace pipescope
