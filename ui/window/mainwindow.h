#pragma once

#include <QMainWindow>
#include <QPoint>

namespace pipescope
{

class AppSettings;
class ComparePane;
class ControlBar;
class CountersPanel;
class EventLogModel;
class EventLogView;
class HelpOverlay;
class LessonPanels;
class NodeFdTables;
class ParameterEditor;
class PipeScene;
class PresenterMode;
class RunController;
class ScenarioPicker;
class SceneView;

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
    /// Opens the next (+1) or previous (-1) scenario of the curriculum, wrapping around.
    void stepScenario(int delta);
    /// Flips a pitfall's `fixed` parameter (nothing for scenarios without one). A run
    /// on screen (running, paused or finished) restarts with the new value, in the same mode.
    void toggleFixed();
    /// Kills the runs on screen and starts the open scenario again (held: paused at the first gate).
    bool restartRun(bool held);
    /// True when this dock is open and on top (for "lesson", also showing this tab).
    bool panelShown(const QString &dockName, int tab = -1) const;

    RunController *controller() const { return m_controller; }
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

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildDocks();
    void buildMenus();
    void wire();
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
};

} // namespace pipescope
