#pragma once

#include "ui/scene/theme.h"
#include "ui/source/runcontroller.h"

#include <QSizeF>
#include <QStringList>
#include <QWidget>

#include <array>

class QLabel;
class QSpacerItem;
class QSplitter;

namespace pipescope
{

class NodeFdTables;
class PipeScene;
class SceneView;

/// The window's centre: the run's scene, and, when comparing, a second real
/// run of the same pitfall with `fixed` flipped beside it. The twin has its own
/// runner, process tree, controller and scene; the two never share a process or
/// a pipe. Run, pause, step, pace and stop reach both, and the control bar sees
/// the two as one run (phase()); the panels (counters, log, lessons) follow the
/// first one, the run the user configured. The two stand in columns or in rows,
/// whichever draws them larger (run scenes are wide and short, so on a laptop
/// with docks open rows often win), until the lecturer flips them (O).
class ComparePane : public QWidget
{
    Q_OBJECT
public:
    /// primaryView shows primaryScene, primary's run; it is placed in the first column.
    ComparePane(RunController *primary, PipeScene *primaryScene, SceneView *primaryView, QWidget *parent = nullptr);
    ~ComparePane() override;

    bool isActive() const { return m_active; }
    RunController *twin() const { return m_twin; }
    PipeScene *twinScene() const { return m_scene; }
    SceneView *twinView() const { return m_view; }
    /// The fd cards beside the twin's nodes (they follow the main scene's toggle).
    NodeFdTables *twinFdTables() const { return m_twinFds; }
    /// The headline over each side ("The pitfall as written (fixed=false)", ...), empty when not comparing.
    /// They describe the runs on screen; before the first run, the values in the editor.
    QString primaryTitle() const;
    QString twinTitle() const;
    QString primaryStatus() const;
    QString twinStatus() const;
    /// While side by side waits for its second run (the twin is idle): what that pane says, in
    /// large type, in place of an empty scene ("... has not run yet: Space runs both ..."). Else empty.
    QString twinHint() const;
    /// The same for the first pane, while side by side waits for its first run (S before Run). Else empty.
    QString primaryHint() const;
    /// The fonts of the headlines and the status lines (they follow presenter mode's type).
    QFont titleFont() const;
    QFont statusFont() const;
    /// Which version the first run is: "correct version" or "pitfall" for a scenario with a
    /// `fixed` parameter (the run on screen, else the editor's values), empty for the others.
    QString versionOnScreen() const;
    /// The headline over the scene, also when not comparing: a pitfall's stage always says which
    /// version is on it. Empty when none is shown (a lesson without `fixed`, not comparing).
    QString stageTitle() const;
    /// Both runs as one: Running when either runs, else Paused when either is, else Finished when either ended.
    RunController::Phase phase() const { return m_phase; }
    /// One line for the control bar that names both runs while two are on screen
    /// ("pitfall: hung: ... | correct version: running"); empty when only one is.
    QString bothStatus() const;
    /// Columns (Qt::Horizontal) or rows (Qt::Vertical).
    Qt::Orientation orientation() const;
    /// The scale both scenes would be drawn at in this orientation, in this widget as it is now
    /// (the headlines over each pane included).
    qreal scaleOf(Qt::Orientation orientation) const;
    /// The scale two scenes of size scene get on a stage of size stage, side by side in columns
    /// (Qt::Horizontal) or in rows, with head pixels of headline over each.
    static qreal scaleFor(Qt::Orientation orientation, QSizeF stage, QSizeF scene, qreal head);
    void setTheme(const Theme &theme);

    /// The twin's parameters: the same assignments with `fixed` flipped. Empty
    /// when the scenario has no `fixed` parameter (nothing to compare).
    static QStringList twinAssignments(const QStringList &assignments, const QStringList &parameterNames);

public Q_SLOTS:
    void setActive(bool on);
    /// The scenario and values now in the editor (the next run's).
    void setScenario(const QString &scenario, const QStringList &assignments, const QStringList &parameterNames);
    /// The first run has just started with the editor's values: the headlines now describe
    /// it, and when comparing a pitfall the twin starts beside it. True when the twin runs.
    bool startTwin(int paceMs, bool held);
    /// The first run is about to start with the editor's values: from now on the headlines and
    /// versionOnScreen() describe it (called before its first status line is shown).
    void runStarting();
    void pause();
    void resume();
    void step();
    void setPace(int ms);
    void fullSpeed();
    void stop();
    void reset();
    /// Rows instead of columns or back; the automatic choice stops until side by side is left.
    void flipOrientation();

Q_SIGNALS:
    void activeChanged(bool on);
    void phaseChanged(pipescope::RunController::Phase phase);
    /// bothStatus() changed.
    void statusChanged(const QString &both);

protected:
    void resizeEvent(QResizeEvent *event) override;
    /// The columns' resizes and relayouts: the headlines are lined up again (alignHeadlines()).
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    /// What a side shows: the scenario and its values, and the twin's (empty: nothing to compare).
    struct Setup {
        QString scenario;
        QStringList assignments;
        QStringList twin;
    };

    void updateTitles();
    /// Both panes' headlines (and status lines) take the taller one's height, so that the two
    /// scenes start at the same y however differently the two wrap.
    void alignHeadlines();
    /// The headline and status line over a pane of this width, the taller of the two panes'.
    qreal headHeight(int paneWidth) const;
    /// Each pane's large hint while it waits (see twinHint(), primaryHint()).
    void updateHint();
    /// The headlines', status lines' and hints' type: larger than the pane's own, which follows
    /// presenter mode (labels with a font of their own no longer follow the application's).
    void scaleType();
    void updatePhase();
    void updateStatus();
    /// A side's status line while its run is live (Idle: empty; Finished keeps how it ended).
    static void showLive(QLabel *label, const RunController *run);
    static QString statusOf(int outcome);
    /// Columns or rows, whichever draws both scenes larger in this widget.
    void chooseOrientation();
    void splitEvenly();

    RunController *m_primary;
    PipeScene *m_primaryScene;
    SceneView *m_primaryView;
    RunController *m_twin;
    PipeScene *m_scene;
    NodeFdTables *m_twinFds;
    SceneView *m_view;
    QSplitter *m_splitter;
    QWidget *m_primaryColumn;
    QWidget *m_twinColumn;
    /// Below the first pane's headline and status line, then the second's: the taller one's height
    /// minus the label's own (see alignHeadlines()).
    std::array<QSpacerItem *, 4> m_gaps {};
    QLabel *m_primaryTitle;
    QLabel *m_twinTitle;
    QLabel *m_primaryStatus;
    QLabel *m_twinStatus;
    QLabel *m_twinHint;
    QLabel *m_primaryHint;
    Setup m_editor; ///< the values in the editor
    Setup m_running; ///< the values the runs on screen started with
    RunController::Phase m_phase = RunController::Phase::Idle;
    QString m_bothStatus;
    bool m_active = false;
    bool m_orientationByHand = false;
};

} // namespace pipescope
