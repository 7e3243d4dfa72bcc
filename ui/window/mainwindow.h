#pragma once

#include "core/lessons/codelisting.h"
#include "core/model/event.h"

#include <QMainWindow>
#include <QPoint>
#include <QStringList>
#include <QVector>

class QMenu;

namespace pipescope
{

class ActiveSource;
class AppSettings;
class ComparePane;
class ControlBar;
class EventSource;
class CountersPanel;
class EventLogModel;
class EventLogView;
class HelpOverlay;
class LessonPanels;
class NodeFdTables;
class ParameterEditor;
class PipeScene;
class PresenterMode;
class QuizMode;
class RecordingTap;
class RunController;
class ScenarioPicker;
class SceneView;
class ReplayBar;
class ReplayController;
class TraceController;
class WatchController;

/// The window: builds the panels, the scene and the controller and connects
/// them. It holds no logic of its own beyond that wiring.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    /// settings may be null (nothing persists, as in scripted runs and tests).
    explicit MainWindow(AppSettings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a scenario with these parameter values (on top of its defaults).
    bool openScenario(const QString &name, const QStringList &assignments = {});
    /// Starts the open scenario as the Run button would.
    bool startRun(bool held = false);
    void setTheme(const QString &name);
    /// The code view's language (L toggles it), remembered in the settings.
    void setListingLanguage(ListingLanguage language);
    /// Opens the next (+1) or previous (-1) scenario of the curriculum, wrapping around.
    void stepScenario(int delta);
    /// Flips a pitfall's `fixed` parameter (nothing for scenarios without one). A run
    /// on screen (running, paused or finished) restarts with the new value, in the same mode.
    void toggleFixed();
    /// Kills the runs on screen and starts the open scenario again (held: paused at the first gate).
    bool restartRun(bool held);
    /// True when this dock is open and on top (for "lesson", also showing this tab).
    bool panelShown(const QString &dockName, int tab = -1) const;
    /// Watches a running pipeline instead of a scenario: a command started for it (argv), or a running pid.
    bool startWatch(const QStringList &argv, QString *error = nullptr);
    bool startWatchPid(qint64 pid, QString *error = nullptr);
    /// Traces a program (argv, run in directory; empty: ours) instead of a scenario; held: paused at
    /// its first pipe-related call.
    bool startTrace(
        const QStringList &argv, QString *error = nullptr, const QString &directory = QString(), bool held = false);
    /// File > Trace a program...: asks for a program (recent ones offered), remembers it and traces it.
    void openTraceDialog();
    /// Traces a running process and its pipeline (Stop detaches; it keeps running).
    bool startAttach(qint64 pid, QString *error = nullptr);
    /// File > Attach to a process...: picks one from /proc (those holding pipes first) and attaches.
    void openAttachDialog();

    RunController *controller() const { return m_controller; }
    /// Whatever the stage shows: the scenario's run, a watched pipeline or a traced program.
    EventSource *source() const;
    WatchController *watch() const { return m_watch; }
    TraceController *trace() const { return m_trace; }
    /// Plays a recorded run instead of a live one (paused: at its first event). A file that is
    /// not a recording leaves the stage as it was and says why (the line and the problem).
    bool openReplay(const QString &path, bool paused, QString *error = nullptr);
    /// Writes the run on stage as a recording (File > Save run...).
    bool saveRun(const QString &path, QString *error = nullptr);
    ReplayController *replay() const { return m_replay; }
    /// The replay's scrubber, shown while a replay is on stage.
    ReplayBar *replayBar() const { return m_replayBar; }
    PipeScene *scene() const { return m_scene; }
    SceneView *view() const { return m_view; }
    CountersPanel *counters() const { return m_counters; }
    ParameterEditor *parameters() const { return m_parameters; }
    ScenarioPicker *picker() const { return m_picker; }
    ControlBar *controls() const { return m_controls; }
    EventLogModel *log() const { return m_logModel; }
    PresenterMode *presenter() const { return m_presenter; }
    LessonPanels *lessons() const { return m_lessons; }
    HelpOverlay *help() const { return m_help; }
    /// The live fd cards beside the nodes (View > File descriptors beside nodes, Shift+D).
    NodeFdTables *fdTables() const { return m_fdTables; }
    ComparePane *compare() const { return m_compare; }
    /// Quiz mode (Q, --quiz): questions before the lesson calls, 1-4 answer.
    QuizMode *quiz() const { return m_quiz; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildDocks();
    void buildMenus();
    /// File > Watch a command..., Watch a process..., Trace a program...
    void buildSourceMenu(QMenu *file);
    void wire();
    /// Puts source on stage: the others are stopped and forgotten (one tree at a time), the
    /// controls say what it cannot do.
    void activate(EventSource *source);
    // What every source's signals do to the stage, the log, the lessons and the counters.
    void sourceStarted();
    void sourceEvents(const QVector<pipescope::Event> &events);
    void sourceCounters();
    void sourceReset();
    void sourceFinished(int outcome);
    void sourceNoted(int pid, const QString &text);
    void sourceHoldersChanged();
    /// Step and Pause ask the source; one that cannot says why in the status line.
    void stepRequested();
    void pauseRequested();
    /// Tells the side-by-side pane which scenario and values the next run uses.
    void describeScenarioToCompare();
    /// The control bar's status: this text, or, while two runs are side by side, both runs' status.
    void showRunStatus(const QString &single);
    /// Shows a panel on top, or hides it when it already is (T, C, D).
    void togglePanel(const QString &dockName, int tab = -1);
    /// Scrolls both scenes a fifth of the view in direction (x, y in -1, 0, 1).
    void panViews(QPoint direction);

    AppSettings *m_settings;
    RunController *m_controller;
    RecordingTap *m_tap = nullptr; ///< the scenario run's parameters, samples and fd tables, for Save run...
    ActiveSource *m_source; ///< before m_lessons: the panels keep a pointer to its state
    PipeScene *m_scene;
    SceneView *m_view;
    CountersPanel *m_counters;
    ParameterEditor *m_parameters;
    ScenarioPicker *m_picker;
    ControlBar *m_controls;
    EventLogModel *m_logModel;
    EventLogView *m_logView;
    PresenterMode *m_presenter;
    LessonPanels *m_lessons;
    HelpOverlay *m_help;
    NodeFdTables *m_fdTables = nullptr;
    ComparePane *m_compare;
    WatchController *m_watch;
    TraceController *m_trace;
    ReplayController *m_replay;
    ReplayBar *m_replayBar = nullptr;
    QuizMode *m_quiz = nullptr;
    QStringList m_lastWatch; ///< what Restart starts again (a command, or {"--pid", PID})
    QStringList m_lastTrace;
    QString m_lastTraceDirectory;
};

} // namespace pipescope
