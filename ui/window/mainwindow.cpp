#include "ui/window/mainwindow.h"

#include "core/model/paramspec.h"
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "ui/lessons/codeview.h"
#include "ui/lessons/counterspanel.h"
#include "ui/lessons/eventlogmodel.h"
#include "ui/lessons/eventlogview.h"
#include "ui/lessons/fdtablepanel.h"
#include "ui/lessons/helpoverlay.h"
#include "ui/lessons/lessonpanels.h"
#include "ui/lessons/nodefdtables.h"
#include "ui/lessons/timelineview.h"
#include "ui/scene/animationclock.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/sceneview.h"
#include "ui/scene/theme.h"
#include "ui/source/activesource.h"
#include "ui/source/recordingreader.h"
#include "ui/source/recordingtap.h"
#include "ui/source/replaycontroller.h"
#include "ui/source/runcontroller.h"
#include "ui/source/tracecontroller.h"
#include "ui/source/watchcontroller.h"
#include "ui/window/appsettings.h"
#include "ui/window/comparepane.h"
#include "ui/window/controlbar.h"
#include "ui/window/dockbudget.h"
#include "ui/window/exporter.h"
#include "ui/window/parametereditor.h"
#include "ui/window/presentermode.h"
#include "ui/window/processpicker.h"
#include "ui/window/quizmode.h"
#include "ui/window/replaybar.h"
#include "ui/window/runsaver.h"
#include "ui/window/scenariopicker.h"
#include "ui/window/screenfit.h"
#include "ui/window/tracedialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QMenuBar>
#include <QProcess>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

// Q_INIT_RESOURCE cannot stand inside a namespace; the icon lives in the static ui library.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace pipescope
{

MainWindow::MainWindow(AppSettings *settings, QWidget *parent)
    : QMainWindow(parent),
      m_settings(settings),
      m_controller(new RunController(this)),
      m_source(new ActiveSource(this)),
      m_scene(new PipeScene(this)),
      m_view(new SceneView(this)),
      m_counters(new CountersPanel(this)),
      m_parameters(new ParameterEditor(this)),
      m_picker(new ScenarioPicker(this)),
      m_controls(new ControlBar(this)),
      m_logModel(new EventLogModel(this)),
      m_logView(new EventLogView(this)),
      m_presenter(new PresenterMode(this)),
      m_lessons(new LessonPanels(&m_source->state(), this)),
      m_help(nullptr),
      m_compare(new ComparePane(m_controller, m_scene, m_view, this)),
      m_watch(new WatchController(this)),
      m_trace(new TraceController(this)),
      m_replay(new ReplayController(this))
{
    m_source->setSource(m_controller);
    initResources();
    setWindowTitle(QStringLiteral("PipeScope"));
    setWindowIcon(QIcon(QStringLiteral(":/pipescope/pipescope.svg")));
    m_view->setScene(m_scene);
    m_logView->setModel(m_logModel);
    setCentralWidget(m_compare);
    auto *bar = addToolBar(QStringLiteral("Controls"));
    bar->setObjectName(QStringLiteral("controls"));
    bar->setMovable(false);
    bar->addWidget(m_controls);
    // A row of its own below the controls, shown only while a recorded run is on stage.
    addToolBarBreak();
    auto *replayTools = addToolBar(QStringLiteral("Replay"));
    replayTools->setObjectName(QStringLiteral("replayTools"));
    replayTools->setMovable(false);
    m_replayBar = new ReplayBar(m_replay, this);
    replayTools->addWidget(m_replayBar);
    addActions(m_replayBar->shortcutActions());
    m_tap = new RecordingTap(m_controller, this); // what Save run... needs beyond the events
    m_quiz = new QuizMode(m_controller, m_compare, m_scene, m_view, this);
    m_quiz->setReplay(m_replay); // Q works on a replay too
    addActions(m_quiz->actions());
    m_help = new HelpOverlay(this); // after the central widget: it lies on top of everything
    m_fdTables = new NodeFdTables(m_scene, m_source, this);
    buildDocks();
    buildMenus();
    wire();

    // A geometry saved on a larger screen (another desk, a wider window) must not outgrow this one.
    const QRect available = ScreenFit::availableFor(this);
    resize(ScreenFit::defaultSize(available));
    if (m_settings) {
        ScreenFit::restore(this, m_settings->geometry(), available);
        restoreState(m_settings->windowState());
        m_controls->setPace(m_settings->pace());
        setTheme(m_settings->theme());
        m_fdTables->setShown(m_settings->fdTables());
        setListingLanguage(m_settings->listingLanguage());
        openScenario(m_settings->lastScenario());
    } else {
        setTheme(QStringLiteral("light"));
        openScenario(m_picker->current());
    }
    m_replayBar->parentWidget()->setVisible(false); // whatever the saved state says: no replay yet
    ScreenFit::fitInto(this, available);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks()
{
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(m_picker);
    leftLayout->addWidget(m_parameters);
    leftLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(left);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto dock = [this](const QString &title, const QString &name, QWidget *widget, Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(widget);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
        addDockWidget(area, d);
        return d;
    };
    auto *scenario = dock(QStringLiteral("Scenario"), QStringLiteral("scenario"), scroll, Qt::LeftDockWidgetArea);
    auto *counters = dock(QStringLiteral("Counters"), QStringLiteral("counters"), m_counters, Qt::RightDockWidgetArea);
    auto *log = dock(QStringLiteral("Event log"), QStringLiteral("log"), m_logView, Qt::BottomDockWidgetArea);
    auto *timeline
        = dock(QStringLiteral("Timeline"), QStringLiteral("timeline"), m_lessons->timeline(), Qt::BottomDockWidgetArea);
    splitDockWidget(log, timeline, Qt::Horizontal);
    auto *lesson = dock(QStringLiteral("Lesson"), QStringLiteral("lesson"), m_lessons, Qt::RightDockWidgetArea);
    tabifyDockWidget(counters, lesson);
    counters->raise();
    resizeDocks({scenario, counters}, {260, 490}, Qt::Horizontal);
    resizeDocks({log}, {210}, Qt::Vertical);
    resizeDocks({log, timeline}, {1100, 820}, Qt::Horizontal);
    // The docks never squeeze the stage; the lesson opens wide enough for its code (wrapped beyond).
    auto *budget = new DockBudget(this);
    budget->setPreferredWidth(lesson, [this] { return m_lessons->code()->widthForColumns(60) + 24; });
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    buildSourceMenu(file);
    // Each export asks for a file and reports failure in the status line; none stops the run.
    auto exportAction = [this, file](const QString &title, const QString &filter, auto save) {
        file->addAction(title, this, [this, title, filter, save] {
            const QString path = QFileDialog::getSaveFileName(this, title, QString(), filter);
            if (path.isEmpty())
                return;
            QString error;
            const bool ok = save(path, &error);
            m_controls->setStatus(
                ok ? QStringLiteral("saved %1").arg(path) : QStringLiteral("cannot save %1: %2").arg(path, error));
        });
    };
    exportAction(QStringLiteral("Export trace (Chrome JSON)..."), QStringLiteral("Chrome trace (*.json)"),
        [this](
            const QString &path, QString *error) { return Exporter::chromeTrace(m_lessons->events(), path, error); });
    exportAction(QStringLiteral("Export event log (text)..."), QStringLiteral("Text (*.txt)"),
        [this](const QString &path, QString *error) { return Exporter::eventLog(m_lessons->events(), path, error); });
    exportAction(QStringLiteral("Export scene as SVG..."), QStringLiteral("SVG (*.svg)"),
        [this](const QString &path, QString *error) { return Exporter::sceneSvg(m_scene, path, error); });
    exportAction(QStringLiteral("Export scene as PNG..."), QStringLiteral("PNG (*.png)"),
        [this](const QString &path, QString *error) { return Exporter::scenePng(m_scene, path, error); });
    file->addSeparator();
    file->addAction(QStringLiteral("Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *run = menuBar()->addMenu(QStringLiteral("&Run"));
    run->addActions(m_controls->shortcutActions());
    addActions(m_controls->shortcutActions());

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    auto *zoomIn = view->addAction(QStringLiteral("Zoom in"), m_view, &SceneView::zoomIn);
    zoomIn->setShortcuts({QKeySequence(Qt::Key_Plus), QKeySequence(Qt::Key_Equal), QKeySequence::ZoomIn});
    auto *zoomOut = view->addAction(QStringLiteral("Zoom out"), m_view, &SceneView::zoomOut);
    zoomOut->setShortcuts({QKeySequence(Qt::Key_Minus), QKeySequence::ZoomOut});
    auto *fit = view->addAction(QStringLiteral("Fit everything"), m_view, &SceneView::fitAll);
    fit->setShortcut(Qt::Key_0);
    auto *full = view->addAction(
        QStringLiteral("Full screen"), this, [this] { isFullScreen() ? showNormal() : showFullScreen(); });
    full->setShortcut(Qt::Key_F11);
    auto *presenter = view->addAction(QStringLiteral("Presenter mode"), m_presenter, &PresenterMode::toggle);
    presenter->setShortcut(Qt::Key_F5);
    presenter->setCheckable(true);
    connect(m_presenter, &PresenterMode::activeChanged, presenter, &QAction::setChecked);
    connect(m_presenter, &PresenterMode::activeChanged, m_view, &SceneView::fitAll);
    auto *dark = view->addAction(QStringLiteral("Dark theme"));
    dark->setObjectName(QStringLiteral("darkTheme"));
    dark->setCheckable(true);
    connect(dark, &QAction::toggled, this,
        [this](bool on) { setTheme(on ? QStringLiteral("dark") : QStringLiteral("light")); });
    auto *help = view->addAction(QStringLiteral("Keyboard help"), m_help, &HelpOverlay::toggle);
    help->setShortcuts({QKeySequence(Qt::Key_F1), QKeySequence(Qt::Key_Question)});
    // Each panel key shows its panel on top, and hides it when it is already what the class sees.
    auto *timeline
        = view->addAction(QStringLiteral("Timeline"), this, [this] { togglePanel(QStringLiteral("timeline")); });
    timeline->setShortcut(Qt::Key_T);
    auto *code = view->addAction(QStringLiteral("Code"), this, [this] { togglePanel(QStringLiteral("lesson"), 0); });
    code->setShortcut(Qt::Key_C);
    // L: the code in the tutorial's Python or in the scenario's own C; remembered in the settings.
    auto *python = view->addAction(QStringLiteral("Code in Python"));
    python->setObjectName(QStringLiteral("pythonListing"));
    python->setCheckable(true);
    python->setShortcut(Qt::Key_L);
    connect(python, &QAction::toggled, this,
        [this](bool on) { setListingLanguage(on ? ListingLanguage::Python : ListingLanguage::C); });
    auto *fds = view->addAction(
        QStringLiteral("File descriptors"), this, [this] { togglePanel(QStringLiteral("lesson"), 1); });
    fds->setShortcut(Qt::Key_D);
    // The same tables on the stage itself, one card per node, for every process at once.
    auto *fdCards = view->addAction(QStringLiteral("File descriptors beside nodes"));
    fdCards->setObjectName(QStringLiteral("fdCards"));
    fdCards->setCheckable(true);
    fdCards->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_D));
    connect(fdCards, &QAction::toggled, m_fdTables, &NodeFdTables::setShown);
    connect(m_fdTables, &NodeFdTables::shownChanged, m_compare->twinFdTables(), &NodeFdTables::setShown);
    connect(m_fdTables, &NodeFdTables::shownChanged, fdCards, &QAction::setChecked);
    connect(m_fdTables, &NodeFdTables::shownChanged, this, [this](bool shown) {
        if (m_settings)
            m_settings->setFdTables(shown);
    });
    addAction(fdCards);
    // Presenter mode hides the scenario panel: the whole curriculum stays reachable from the keyboard.
    auto *nextScenario = run->addAction(QStringLiteral("Next scenario"), this, [this] { stepScenario(+1); });
    nextScenario->setShortcut(Qt::Key_PageDown);
    auto *previousScenario = run->addAction(QStringLiteral("Previous scenario"), this, [this] { stepScenario(-1); });
    previousScenario->setShortcut(Qt::Key_PageUp);
    auto *fixed = run->addAction(QStringLiteral("Correct version on/off"), this, &MainWindow::toggleFixed);
    fixed->setShortcut(Qt::Key_F);
    run->addAction(m_quiz->actions().constFirst());
    // The pitfall and its correct version as two real runs at once, one beside the other.
    auto *compare = view->addAction(QStringLiteral("Side by side with the correct version"));
    compare->setObjectName(QStringLiteral("compare"));
    compare->setCheckable(true);
    compare->setShortcut(Qt::Key_S);
    connect(compare, &QAction::toggled, m_compare, &ComparePane::setActive);
    connect(m_compare, &ComparePane::activeChanged, compare, &QAction::setChecked);
    connect(m_compare, &ComparePane::activeChanged, m_view, &SceneView::fitAll);
    auto *flip = view->addAction(QStringLiteral("Side by side: rows / columns"), m_compare, [this] {
        m_compare->flipOrientation();
        m_view->fitAll();
        m_compare->twinView()->fitAll();
    });
    flip->setObjectName(QStringLiteral("flipCompare"));
    flip->setShortcut(Qt::Key_O);
    // Zoom and fit act on both scenes alike.
    connect(zoomIn, &QAction::triggered, m_compare->twinView(), &SceneView::zoomIn);
    connect(zoomOut, &QAction::triggered, m_compare->twinView(), &SceneView::zoomOut);
    connect(fit, &QAction::triggered, m_compare->twinView(), &SceneView::fitAll);
    // On the window too, so presenter mode (menu bar hidden) keeps every key, L included.
    addActions({zoomIn, zoomOut, fit, full, presenter, help, timeline, code, python, fds, nextScenario,
        previousScenario, fixed, compare, flip});
    // Pan a zoomed scene with a modifier: the bare arrows stay Step (Right) and the pace (Up, Down).
    QMenu *pan = view->addMenu(QStringLiteral("Pan"));
    const std::pair<Qt::Key, QPoint> directions[]
        = {{Qt::Key_Left, {-1, 0}}, {Qt::Key_Right, {1, 0}}, {Qt::Key_Up, {0, -1}}, {Qt::Key_Down, {0, 1}}};
    const char *names[] = {"left", "right", "up", "down"};
    for (std::size_t i = 0; i < std::size(directions); ++i) {
        const auto [key, direction] = directions[i];
        auto *a = pan->addAction(
            QStringLiteral("Pan %1").arg(QLatin1String(names[i])), this, [this, direction] { panViews(direction); });
        a->setObjectName(QStringLiteral("pan-%1").arg(QLatin1String(names[i])));
        a->setShortcuts({QKeySequence(Qt::CTRL | key), QKeySequence(Qt::SHIFT | key)});
        addAction(a);
    }
}

void MainWindow::panViews(QPoint direction)
{
    for (SceneView *v : {m_view, m_compare->twinView()}) {
        // A fifth of what is on screen per press: small enough to follow, large enough to get somewhere.
        QScrollBar *h = v->horizontalScrollBar();
        QScrollBar *vertical = v->verticalScrollBar();
        h->setValue(h->value() + direction.x() * std::max(1, v->viewport()->width() / 5));
        vertical->setValue(vertical->value() + direction.y() * std::max(1, v->viewport()->height() / 5));
    }
}

bool MainWindow::panelShown(const QString &dockName, int tab) const
{
    const auto *d = findChild<QDockWidget *>(dockName);
    // Visible and not behind another tab of its dock area (a tab behind is hidden).
    const bool onTop = d && d->isVisible() && !d->visibleRegion().isEmpty();
    return onTop && (tab < 0 || m_lessons->tabs()->currentIndex() == tab);
}

void MainWindow::togglePanel(const QString &dockName, int tab)
{
    auto *d = findChild<QDockWidget *>(dockName);
    if (!d)
        return;
    if (panelShown(dockName, tab)) {
        d->hide();
        return;
    }
    d->show();
    d->raise();
    if (tab >= 0)
        m_lessons->tabs()->setCurrentIndex(tab);
}

void MainWindow::wire()
{
    connect(m_picker, &ScenarioPicker::scenarioChosen, this, [this](const QString &name) {
        m_parameters->setScenario(
            m_picker->currentScenario(), m_settings ? m_settings->parameters(name) : QMap<QString, QString> {});
        if (m_settings)
            m_settings->setLastScenario(name);
        describeScenarioToCompare();
    });
    connect(m_parameters, &ParameterEditor::validityChanged, m_controls, &ControlBar::setRunnable);
    connect(m_parameters, &ParameterEditor::valuesChanged, this, [this] {
        if (m_settings && m_parameters->isValid())
            m_settings->setParameters(m_picker->current(), m_parameters->values());
        describeScenarioToCompare();
    });

    // held: Step on an idle stage starts the run at its first gate, so Right is one syscall, never a running run.
    connect(m_controls, &ControlBar::runRequested, this, [this](bool held) {
        if (m_source->source() == m_replay) // Run on a replay plays it again: nothing live starts
            m_replay->restart();
        else
            startRun(held);
    });
    connect(m_controls, &ControlBar::restartRequested, this,
        [this] { restartRun(m_controls->phase() == RunController::Phase::Paused); });
    // The controls act on whatever is on stage; each source decides what they mean.
    EventSource *s = m_source;
    connect(m_controls, &ControlBar::pauseRequested, this, &MainWindow::pauseRequested);
    connect(m_controls, &ControlBar::resumeRequested, s, &EventSource::resume);
    connect(m_controls, &ControlBar::stepRequested, this, &MainWindow::stepRequested);
    connect(m_controls, &ControlBar::stopRequested, s, &EventSource::stop);
    connect(m_controls, &ControlBar::resetRequested, s, &EventSource::reset);
    connect(m_controls, &ControlBar::fullSpeedRequested, s, &EventSource::fullSpeed);
    connect(m_controls, &ControlBar::paceChanged, s, &EventSource::setPace);
    // The twin beside a pitfall follows every control (it does nothing when not comparing).
    connect(m_controls, &ControlBar::pauseRequested, m_compare, &ComparePane::pause);
    connect(m_controls, &ControlBar::resumeRequested, m_compare, &ComparePane::resume);
    connect(m_controls, &ControlBar::stepRequested, m_compare, &ComparePane::step);
    connect(m_controls, &ControlBar::stopRequested, m_compare, &ComparePane::stop);
    connect(m_controls, &ControlBar::resetRequested, m_compare, &ComparePane::reset);
    connect(m_controls, &ControlBar::fullSpeedRequested, m_compare, &ComparePane::fullSpeed);
    connect(m_controls, &ControlBar::paceChanged, m_compare, &ComparePane::setPace);
    connect(m_compare, &ComparePane::activeChanged, this, &MainWindow::describeScenarioToCompare);
    connect(m_controls, &ControlBar::paceChanged, this, [this](int ms) {
        // A chunk's trip takes most of a step, so it lands before the next syscall is shown.
        m_scene->setChunkDurationMs(ms > 0 ? std::clamp(ms * 8 / 10, 250, 900) : 450);
        m_compare->twinScene()->setChunkDurationMs(m_scene->chunkDurationMs());
        if (m_settings)
            m_settings->setPace(ms);
    });

    // Side by side, the bar treats both runs as one: it offers Pause while either still runs,
    // and its status line names both runs.
    connect(m_compare, &ComparePane::phaseChanged, this, [this](EventSource::Phase phase) {
        if (m_source->source() == m_controller) // side by side is a scenario's affair
            m_controls->setPhase(phase);
    });
    connect(s, &EventSource::phaseChanged, this, [this](EventSource::Phase phase) {
        if (m_source->source() != m_controller)
            m_controls->setPhase(phase);
    });
    connect(m_compare, &ComparePane::statusChanged, this, [this](const QString &both) {
        if (!both.isEmpty())
            m_controls->setStatus(both);
    });
    connect(s, &EventSource::runStarted, this, &MainWindow::sourceStarted);
    connect(s, &EventSource::eventsArrived, this, &MainWindow::sourceEvents);
    connect(s, &EventSource::countersSampled, this, &MainWindow::sourceCounters);
    connect(s, &EventSource::runReset, this, &MainWindow::sourceReset);
    // A Step that released nobody is answered on screen, not silently ignored.
    connect(s, &EventSource::stepRefused, this, &MainWindow::showRunStatus);
    connect(s, &EventSource::statusChanged, this, &MainWindow::showRunStatus);
    connect(s, &EventSource::runFinished, this, &MainWindow::sourceFinished);
    connect(s, &EventSource::processNoted, this, &MainWindow::sourceNoted);
    connect(s, &EventSource::holdersChanged, this, &MainWindow::sourceHoldersChanged);
    connect(m_scene, &PipeScene::layoutChanged, m_view, &SceneView::sceneBoundsChanged);
    // Click a node: show its code and fds, and, while paused, let exactly that process take its step.
    connect(m_scene, &PipeScene::processClicked, this, [this](int pid) {
        m_lessons->focusProcess(pid);
        if (m_source->phase() == EventSource::Phase::Paused && m_source->canStep())
            m_source->stepProcess(pid);
    });
    // The timeline's event indexes are the log's rows: both hold every event of the run in order.
    connect(m_lessons->timeline(), &TimelineView::eventSelected, this, [this](int row) {
        m_logView->selectRow(row);
        m_logView->scrollTo(m_logModel->index(row, 0));
    });
}

EventSource *MainWindow::source() const
{
    return m_source;
}

void MainWindow::sourceStarted()
{
    const bool scenario = m_source->source() == m_controller;
    m_lessons->startRun(
        scenario ? m_controller->scenario() : (m_source->source() == m_replay ? m_replay->scenario() : QString()));
    m_scene->clearRun();
    m_logModel->clear();
    m_counters->clear();
    m_counters->setExpectedTotal(scenario ? m_parameters->values() : QMap<QString, QString> {});
    // A run started held (Step on an idle stage) waits for Right: say so, not "running".
    const QString started = m_source->phase() == EventSource::Phase::Paused
        ? QStringLiteral("paused: Right steps one call, Space resumes (%1)")
        : QStringLiteral("running %1");
    showRunStatus(scenario ? started.arg(m_controller->scenario()) : m_source->title());
}

void MainWindow::sourceEvents(const QVector<Event> &events)
{
    m_scene->applyEvents(events, m_source->state());
    m_logModel->append(events, m_source->state());
    m_lessons->addEvents(events);
    m_counters->refresh(m_source->state());
}

void MainWindow::sourceCounters()
{
    m_scene->applyCounters(m_source->state());
    m_counters->refresh(m_source->state());
}

void MainWindow::sourceReset()
{
    m_lessons->clear();
    m_scene->clearRun();
    m_logModel->clear();
    m_counters->clear();
    m_controls->setStatus(QString());
}

void MainWindow::sourceFinished(int outcome)
{
    showRunStatus(m_source->endText(outcome));
}

void MainWindow::sourceNoted(int pid, const QString &text)
{
    m_scene->noteProcess(pid, text);
}

void MainWindow::sourceHoldersChanged()
{
    m_scene->refreshHolders(m_source->state());
}

void MainWindow::stepRequested()
{
    QString why;
    if (!m_source->canStep(&why)) {
        showRunStatus(why);
        return;
    }
    m_source->step();
}

void MainWindow::pauseRequested()
{
    QString why;
    if (!m_source->canPause(&why)) {
        showRunStatus(why);
        return;
    }
    m_source->pause();
}

void MainWindow::activate(EventSource *source)
{
    // One tree at a time: a watched command is reaped by waitpid(-1), which must not take another's child.
    for (EventSource *other : {static_cast<EventSource *>(m_controller), static_cast<EventSource *>(m_watch),
             static_cast<EventSource *>(m_trace), static_cast<EventSource *>(m_replay)})
        if (other != source && other->phase() != EventSource::Phase::Idle)
            other->reset();
    if (source != m_controller) {
        m_compare->setActive(false); // side by side is a scenario's pitfall and its correct version
        m_compare->reset();
    }
    m_source->setSource(source);
    m_replayBar->parentWidget()->setVisible(source == m_replay);
    m_lessons->fdTable()->setReplay(source == m_replay ? m_replay : nullptr); // never this machine's /proc
    // The scenario dock stays usable (pick one and Run goes back to scenarios), but it must not look
    // like what is on stage while a program of one's own is.
    if (auto *scenarioDock = findChild<QDockWidget *>(QStringLiteral("scenario"))) {
        const bool ownProgram = source == m_watch || source == m_trace;
        scenarioDock->setWindowTitle(
            ownProgram ? QStringLiteral("Scenario (not on stage)") : QStringLiteral("Scenario"));
    }
    if (source != m_replay)
        setWindowTitle(QStringLiteral("PipeScope"));
    QString noStep, noPace, noPause;
    source->canStep(&noStep);
    source->canPace(&noPace);
    source->canPause(&noPause);
    m_controls->setLimits(source->canStep() ? QString() : noStep, source->canPace() ? QString() : noPace,
        source->canPause() ? QString() : noPause);
    m_controls->setPhase(source->phase());
}

bool MainWindow::startWatch(const QStringList &argv, QString *error)
{
    activate(m_watch);
    m_lastWatch = argv;
    QString why;
    const bool ok = m_watch->startCommand(argv, &why);
    if (!ok)
        m_controls->setStatus(QStringLiteral("cannot watch: %1").arg(why));
    if (error)
        *error = why;
    return ok;
}

bool MainWindow::startWatchPid(qint64 pid, QString *error)
{
    activate(m_watch);
    m_lastWatch = {QStringLiteral("--pid"), QString::number(pid)};
    QString why;
    const bool ok = m_watch->watchPid(pid, &why);
    if (!ok)
        m_controls->setStatus(QStringLiteral("cannot watch: %1").arg(why));
    if (error)
        *error = why;
    return ok;
}

bool MainWindow::startTrace(const QStringList &argv, QString *error, const QString &directory, bool held)
{
    activate(m_trace);
    m_lastTrace = argv;
    m_lastTraceDirectory = directory;
    m_trace->setWorkingDirectory(directory);
    QString why;
    const bool ok = m_trace->start(argv, m_controls->pace(), &why, held);
    if (!ok)
        m_controls->setStatus(QStringLiteral("cannot trace: %1").arg(why));
    if (error)
        *error = why;
    return ok;
}

void MainWindow::buildSourceMenu(QMenu *file)
{
    // A real pipeline or a user's own program on the same stage as the scenarios.
    auto *watch = file->addAction(QStringLiteral("Watch a command..."), this, [this] {
        bool ok = false;
        const QString line = QInputDialog::getText(this, QStringLiteral("Watch a command"),
            QStringLiteral("Command (a pipeline: sh -c 'a | b | c'), watched at full speed:"), QLineEdit::Normal,
            m_lastWatch.value(0) == QLatin1String("--pid") ? QString() : m_lastWatch.join(QLatin1Char(' ')), &ok);
        if (ok && !line.trimmed().isEmpty())
            startWatch(RecentTrace::splitArguments(line));
    });
    watch->setObjectName(QStringLiteral("watchCommand"));
    auto *watchPid = file->addAction(QStringLiteral("Watch a process..."), this, [this] {
        ProcessPicker picker(this);
        if (picker.exec() == QDialog::Accepted && picker.pid() > 0)
            startWatchPid(picker.pid());
    });
    watchPid->setObjectName(QStringLiteral("watchProcess"));
    auto *trace = file->addAction(QStringLiteral("Trace a program..."), this, &MainWindow::openTraceDialog);
    trace->setObjectName(QStringLiteral("traceProgram"));
    auto *attach = file->addAction(QStringLiteral("Attach to a process..."), this, &MainWindow::openAttachDialog);
    attach->setObjectName(QStringLiteral("attachProcess"));
    // A recorded run: prepared at home, shown in the hall where nothing is traced.
    const QString filter = QStringLiteral("PipeScope runs (*.pipescope *.jsonl);;All files (*)");
    file->addAction(QStringLiteral("Open run..."), this,
            [this, filter] {
                const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open run"), QString(), filter);
                if (!path.isEmpty())
                    openReplay(path, true);
            })
        ->setObjectName(QStringLiteral("openRun"));
    file->addAction(QStringLiteral("Save run..."), this,
            [this, filter] {
                const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save run"), QString(), filter);
                QString error;
                if (!path.isEmpty())
                    m_controls->setStatus(saveRun(path, &error)
                            ? QStringLiteral("saved %1").arg(path)
                            : QStringLiteral("cannot save %1: %2").arg(path, error));
            })
        ->setObjectName(QStringLiteral("saveRun"));
    file->addSeparator();
}

bool MainWindow::openReplay(const QString &path, bool paused, QString *error)
{
    QString why;
    auto recording = RecordingReader::readFile(path, &why);
    if (!recording) {
        m_controls->setStatus(QStringLiteral("cannot replay %1").arg(why));
        if (error)
            *error = why;
        return false;
    }
    activate(m_replay);
    m_replay->setPace(m_controls->pace());
    // The scenario dock shows what was recorded, with its values, not what was open before.
    QStringList recorded;
    for (const auto &[key, value] : recording->header.params)
        recorded << QString::fromStdString(key + "=" + value);
    if (recording->header.sourceKind == "scenario")
        openScenario(QString::fromStdString(recording->header.name), recorded);
    m_replay->show(std::move(*recording), paused);
    setWindowTitle(QStringLiteral("PipeScope: %1").arg(m_replay->title()));
    return true;
}

bool MainWindow::saveRun(const QString &path, QString *error)
{
    const RunSaveRequest request {
        m_source->source(), m_controller, m_parameters->assignments(), m_tap, m_trace, m_replay, m_lessons->events()};
    QString why;
    const bool ok = RunSaver::save(path, request, &why);
    if (error)
        *error = why;
    return ok;
}

void MainWindow::openTraceDialog()
{
    TraceDialog dialog(m_settings ? m_settings->recentTraces() : QVector<RecentTrace> {}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const RecentTrace request = dialog.request();
    if (m_settings)
        m_settings->addRecentTrace(request);
    startTrace(request.argv(), nullptr, request.directory, dialog.startPaused());
}

bool MainWindow::startAttach(qint64 pid, QString *error)
{
    activate(m_trace);
    m_lastTrace = {QStringLiteral("--attach"), QString::number(pid)};
    QString why;
    const bool ok = m_trace->attach(pid, m_controls->pace(), &why);
    if (!ok)
        m_controls->setStatus(QStringLiteral("cannot attach: %1").arg(why));
    if (error)
        *error = why;
    return ok;
}

void MainWindow::openAttachDialog()
{
    ProcessPicker picker(this, QStringLiteral("Attach to a process"), QStringLiteral("Attach"));
    if (picker.exec() == QDialog::Accepted && picker.pid() > 0)
        startAttach(picker.pid());
}

void MainWindow::stepScenario(int delta)
{
    const auto &all = ScenarioCatalog::all();
    const int count = static_cast<int>(all.size());
    int index = 0;
    for (int i = 0; i < count; ++i) {
        if (QString::fromUtf8(all[static_cast<std::size_t>(i)]->name().data()) == m_picker->current())
            index = i;
    }
    const Scenario *next = all[static_cast<std::size_t>(((index + delta) % count + count) % count)];
    activate(m_controller);
    m_controller->reset();
    m_compare->reset();
    openScenario(QString::fromUtf8(next->name().data(), static_cast<qsizetype>(next->name().size())));
    // The key comes first: an elided status still tells the lecturer what starts it.
    m_controls->setStatus(
        QStringLiteral("%1: Space runs it. %2")
            .arg(m_picker->current(),
                QString::fromUtf8(next->description().data(), static_cast<qsizetype>(next->description().size()))));
}

void MainWindow::showRunStatus(const QString &single)
{
    const QString both = m_compare->bothStatus();
    // A pitfall's run says which version it is, all along (after F both end "finished: ok" otherwise).
    const QString version = m_source->source() == m_controller ? m_compare->versionOnScreen() : QString();
    m_controls->setStatus(!both.isEmpty()           ? both
            : version.isEmpty() || single.isEmpty() ? single
                                                    : QStringLiteral("%1: %2").arg(version, single));
}

void MainWindow::toggleFixed()
{
    const QMap<QString, QString> values = m_parameters->values();
    if (!values.contains(QStringLiteral("fixed")))
        return;
    const bool fixed = parseBool(values.value(QStringLiteral("fixed")).toStdString()).value_or(false);
    m_parameters->setValue(QStringLiteral("fixed"), fixed ? QStringLiteral("false") : QStringLiteral("true"));
    const QString now = fixed ? QStringLiteral("the pitfall as written (fixed=false)")
                              : QStringLiteral("the correct version (fixed=true)");
    // A run on screen was started with the other value: never leave it there under the new label.
    const RunController::Phase phase = m_controls->phase();
    if (phase == RunController::Phase::Idle) {
        m_controls->setStatus(now);
        return;
    }
    // The new run's own status names its version and keeps the pause hint when it starts held.
    restartRun(phase == RunController::Phase::Paused);
}

bool MainWindow::restartRun(bool held)
{
    // A watched command, a watched pid or a traced program starts again as it was started.
    if (m_source->source() == m_watch && !m_lastWatch.isEmpty())
        return m_lastWatch.value(0) == QLatin1String("--pid") ? startWatchPid(m_lastWatch.value(1).toLongLong())
                                                              : startWatch(m_lastWatch);
    if (m_source->source() == m_replay) {
        m_replay->restart();
        return true;
    }
    if (m_source->source() == m_trace && !m_lastTrace.isEmpty())
        return m_lastTrace.value(0) == QLatin1String("--attach")
            ? startAttach(m_lastTrace.value(1).toLongLong())
            : startTrace(m_lastTrace, nullptr, m_lastTraceDirectory, held);
    m_controller->reset(); // kills and reaps the old tree before the new one starts
    m_compare->reset();
    return startRun(held);
}

bool MainWindow::openScenario(const QString &name, const QStringList &assignments)
{
    if (!m_picker->select(name))
        return false;
    bool ok = true;
    for (const QString &a : assignments)
        ok &= m_parameters->setValue(a.section(QLatin1Char('='), 0, 0), a.section(QLatin1Char('='), 1));
    return ok;
}

bool MainWindow::startRun(bool held)
{
    if (!m_parameters->isValid())
        return false;
    activate(m_controller); // Run starts the scenario on the picker, whatever was on stage
    QString error;
    describeScenarioToCompare();
    m_compare->runStarting(); // its first status line already names the version it runs
    if (!m_controller->start(m_picker->current(), m_parameters->assignments(), m_controls->pace(), held, &error)) {
        m_controls->setStatus(QStringLiteral("cannot run: %1").arg(error));
        m_compare->reset(); // no twin beside an empty stage
        return false;
    }
    m_tap->setRun(m_picker->current(), m_parameters->assignments());
    describeScenarioToCompare();
    m_compare->startTwin(m_controls->pace(), held);
    return true;
}

void MainWindow::describeScenarioToCompare()
{
    QStringList names;
    if (const Scenario *s = m_picker->currentScenario()) {
        for (const ParamSpec &p : s->params())
            names << QString::fromStdString(p.name);
    }
    m_compare->setScenario(m_picker->current(), m_parameters->assignments(), names);
}

void MainWindow::setListingLanguage(ListingLanguage language)
{
    m_lessons->code()->setLanguage(language);
    if (auto *python = findChild<QAction *>(QStringLiteral("pythonListing")))
        python->setChecked(language == ListingLanguage::Python);
    if (m_settings)
        m_settings->setListingLanguage(language);
}

void MainWindow::setTheme(const QString &name)
{
    const Theme theme = Theme::byName(name);
    m_scene->setTheme(theme);
    m_compare->setTheme(theme);
    m_lessons->setTheme(theme);
    m_help->setTheme(theme);
    QApplication::setPalette(theme.palette());
    if (auto *dark = findChild<QAction *>(QStringLiteral("darkTheme")))
        dark->setChecked(theme.kind == Theme::Kind::Dark);
    if (m_settings)
        m_settings->setTheme(theme.name());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_controller->reset(); // kills and reaps whatever still runs
    m_watch->reset();
    m_trace->reset();
    m_compare->reset();
    if (m_settings) {
        // Closed in presenter mode: keep the desk's window for next time, not the full-screen one.
        const bool presenting = m_presenter->isActive();
        m_settings->setGeometry(presenting ? m_presenter->normalGeometry() : saveGeometry());
        m_settings->setWindowState(presenting ? m_presenter->normalState() : saveState());
    }
    event->accept();
}

} // namespace pipescope
