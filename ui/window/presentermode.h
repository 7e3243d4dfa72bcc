#pragma once

#include <QByteArray>
#include <QFont>
#include <QHash>
#include <QObject>

class QDockWidget;
class QMainWindow;

namespace pipescope
{

/// Presenter mode for a projector: full screen, the scene alone with the
/// control bar, and larger type everywhere. Leaving it restores the window as
/// it was (docks, full-screen state, font, geometry), clamped to the screen it
/// is on, so a window from a larger desk never outgrows a projector.
class PresenterMode : public QObject
{
    Q_OBJECT
public:
    explicit PresenterMode(QMainWindow *window);

    bool isActive() const { return m_active; }
    void setActive(bool on);
    void toggle() { setActive(!m_active); }
    /// The window's geometry and dock state as they were before presenter mode: what
    /// a window closed in presenter mode saves for the next start (never the full screen).
    QByteArray normalGeometry() const { return m_geometry; }
    QByteArray normalState() const { return m_state; }

Q_SIGNALS:
    void activeChanged(bool on);

private:
    QMainWindow *m_window;
    bool m_active = false;
    bool m_wasFullScreen = false;
    bool m_menuVisible = true;
    QFont m_font;
    QHash<QDockWidget *, bool> m_docks;
    QByteArray m_geometry;
    QByteArray m_state;
};

} // namespace pipescope
