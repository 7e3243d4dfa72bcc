#pragma once

#include <QHash>
#include <QObject>

#include <functional>

class QDockWidget;
class QMainWindow;

namespace pipescope
{

/// Keeps the stage in sight beside a main window's docks: the docks on the left and
/// right together take at most share() of the width that docks and stage have, and
/// those at the top and bottom at most share() of its height, so the scene always
/// keeps more than half of it either way (at 1024x768 with every dock open it had
/// 140 px). Floating docks are not limited. A dock may ask for a width when it is
/// shown (the lesson's code: about 60 columns), within the same share. A dock that scrolls
/// its contents keeps the width they need, so it never scrolls sideways.
class DockBudget : public QObject
{
    Q_OBJECT
public:
    explicit DockBudget(QMainWindow *window);

    /// The most the docks on one axis may take of the room they share with the stage.
    static constexpr double share() { return 0.45; }
    /// Each time dock is shown it gets width() pixels, or as many as its share allows.
    void setPreferredWidth(QDockWidget *dock, std::function<int()> width);
    /// Applies the limits now (they follow every resize and every dock shown, hidden or moved).
    void apply();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void watch(QDockWidget *dock);
    /// A dock whose contents scroll (the scenario panel) is never narrower than they need:
    /// squeezed by a wide stage it would show a horizontal scroll bar instead.
    void fitScrolledContents(QDockWidget *dock);
    void widen(QDockWidget *dock);

    QMainWindow *m_window;
    QHash<QDockWidget *, std::function<int()>> m_preferred;
    QHash<QDockWidget *, bool> m_watched;
};

} // namespace pipescope
