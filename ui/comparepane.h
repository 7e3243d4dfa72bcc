#pragma once

#include "runcontroller.h"
#include "theme.h"

#include <QStringList>
#include <QWidget>

class QLabel;
class QSplitter;

namespace pipescope
{

class NodeFdTables;
class PipeScene;
class SceneView;

/// The window's centre: the run's scene, and, when comparing, a second real
/// run of the same pitfall with `fixed` flipped beside it. The twin has its own
/// runner, process tree, controller and scene; the two never share a process or
/// a pipe. Run, pause, step, pace and stop reach both; the panels (counters,
/// log, lessons) follow the first one, the run the user configured. The two
/// stand in columns or in rows, whichever draws them larger (run scenes are
/// wide and short, so on a laptop with docks open rows often win).
class ComparePane : public QWidget
{
    Q_OBJECT
public:
    /// primaryView shows primary's run; it is placed in the left column.
    ComparePane(RunController *primary, SceneView *primaryView, QWidget *parent = nullptr);
    ~ComparePane() override;

    bool isActive() const { return m_active; }
    RunController *twin() const { return m_twin; }
    PipeScene *twinScene() const { return m_scene; }
    SceneView *twinView() const { return m_view; }
    /// The headline over each side ("As written (fixed=false)", ...), empty when not comparing.
    QString primaryTitle() const;
    QString twinTitle() const;
    QString primaryStatus() const;
    QString twinStatus() const;
    void setTheme(const Theme &theme);
    /// The fd cards beside the twin's nodes (they follow the main scene's toggle).
    NodeFdTables *twinFdTables() const { return m_twinFds; }

    /// The twin's parameters: the same assignments with `fixed` flipped. Empty
    /// when the scenario has no `fixed` parameter (nothing to compare).
    static QStringList twinAssignments(const QStringList &assignments, const QStringList &parameterNames);

public Q_SLOTS:
    void setActive(bool on);
    /// Describes the scenario now open (its assignments and parameter names) for the headlines.
    void setScenario(const QString &scenario, const QStringList &assignments, const QStringList &parameterNames);
    /// Starts the twin when comparing and the scenario has a correct version; true when it runs.
    bool startTwin(int paceMs, bool held);
    void pause();
    void resume();
    void step();
    void setPace(int ms);
    void fullSpeed();
    void stop();
    void reset();

Q_SIGNALS:
    void activeChanged(bool on);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateTitles();
    static QString statusOf(int outcome);
    /// While a run is live: what the kernel says of it as a whole (everyone asleep, or not).
    static QString liveStatus(const RunController *run);
    /// Columns or rows, whichever draws both scenes larger in this widget.
    void chooseOrientation();

    RunController *m_primary;
    SceneView *m_primaryView;
    RunController *m_twin;
    PipeScene *m_scene;
    NodeFdTables *m_twinFds;
    SceneView *m_view;
    QSplitter *m_splitter;
    QWidget *m_twinColumn;
    QLabel *m_primaryTitle;
    QLabel *m_twinTitle;
    QLabel *m_primaryStatus;
    QLabel *m_twinStatus;
    QString m_scenario;
    QStringList m_assignments;
    QStringList m_twinAssignments;
    bool m_active = false;
};

} // namespace pipescope
