#include "ui/window/comparepane.h"

#include "core/model/paramspec.h"
#include "ui/lessons/nodefdtables.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/sceneview.h"

#include <QEvent>
#include <QLabel>
#include <QSpacerItem>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

namespace pipescope
{

namespace
{

constexpr auto kFixed = QLatin1String("fixed");

// "true" or "false", whichever spelling the user chose ("TRUE", "1", "on" are valid too).
QString fixedValue(const QStringList &assignments)
{
    for (const QString &a : assignments) {
        if (a.section(QLatin1Char('='), 0, 0) == kFixed)
            return parseBool(a.section(QLatin1Char('='), 1).toStdString()).value_or(false) ? QStringLiteral("true")
                                                                                           : QStringLiteral("false");
    }
    return QStringLiteral("false"); // every pitfall's default
}

QString versionName(const QStringList &assignments)
{
    return fixedValue(assignments) == QLatin1String("true") ? QStringLiteral("The correct version")
                                                            : QStringLiteral("The pitfall");
}

QLabel *headline(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setContentsMargins(12, 4, 12, 0);
    return label;
}

// Read from the back row: what an empty pane is for, and the key that fills it.
QLabel *waitingHint(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setContentsMargins(24, 24, 24, 24);
    label->hide();
    // It takes the room the scene would have had, never more (a small pane beside docks clips it).
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    return label;
}

QFont scaled(const QFont &base, qreal factor, bool bold)
{
    QFont f = base;
    f.setBold(bold);
    f.setPointSizeF(base.pointSizeF() * factor);
    return f;
}

} // namespace

ComparePane::ComparePane(RunController *primary, PipeScene *primaryScene, SceneView *primaryView, QWidget *parent)
    : QWidget(parent),
      m_primary(primary),
      m_primaryScene(primaryScene),
      m_primaryView(primaryView),
      m_twin(new RunController(this)),
      m_scene(new PipeScene(this)),
      m_twinFds(new NodeFdTables(m_scene, m_twin, this)),
      m_view(new SceneView(this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)),
      m_primaryColumn(new QWidget(this)),
      m_twinColumn(new QWidget(this)),
      m_primaryTitle(headline(this)),
      m_twinTitle(headline(this)),
      m_primaryStatus(headline(this)),
      m_twinStatus(headline(this)),
      m_twinHint(waitingHint(this)),
      m_primaryHint(waitingHint(this))
{
    m_view->setScene(m_scene);
    for (QSpacerItem *&gap : m_gaps)
        gap = new QSpacerItem(0, 0, QSizePolicy::Minimum, QSizePolicy::Fixed);
    auto *leftLayout = new QVBoxLayout(m_primaryColumn);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);
    leftLayout->addWidget(m_primaryTitle);
    leftLayout->addItem(m_gaps[0]);
    leftLayout->addWidget(m_primaryStatus);
    leftLayout->addItem(m_gaps[1]);
    leftLayout->addWidget(m_primaryView, 1);
    leftLayout->addWidget(m_primaryHint, 1);
    auto *rightLayout = new QVBoxLayout(m_twinColumn);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->setSpacing(0);
    rightLayout->addWidget(m_twinTitle);
    rightLayout->addItem(m_gaps[2]);
    rightLayout->addWidget(m_twinStatus);
    rightLayout->addItem(m_gaps[3]);
    rightLayout->addWidget(m_view, 1);
    rightLayout->addWidget(m_twinHint, 1);
    m_splitter->addWidget(m_primaryColumn);
    m_splitter->addWidget(m_twinColumn);
    // A headline's new text or a new column width reaches the column as a relayout or a resize.
    m_primaryColumn->installEventFilter(this);
    m_twinColumn->installEventFilter(this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
    scaleType();

    connect(m_twin, &RunController::runStarted, m_scene, &PipeScene::clearRun);
    connect(m_twin, &RunController::runReset, m_scene, &PipeScene::clearRun);
    connect(m_twin, &RunController::eventsArrived, this,
        [this](const QVector<Event> &events) { m_scene->applyEvents(events, m_twin->state()); });
    connect(m_twin, &RunController::countersSampled, this, [this] { m_scene->applyCounters(m_twin->state()); });
    const std::pair<RunController *, QLabel *> sides[] = {{m_primary, m_primaryStatus}, {m_twin, m_twinStatus}};
    for (const auto &[run, label] : sides) {
        connect(run, &RunController::eventsArrived, label, [this, run, label] {
            showLive(label, run);
            updateStatus();
        });
        connect(run, &RunController::phaseChanged, this, [this, run, label] {
            showLive(label, run);
            updatePhase();
            updateTitles();
            updateStatus();
        });
        connect(run, &RunController::runFinished, label, [this, label](int outcome) {
            label->setText(statusOf(outcome));
            updateStatus();
        });
    }
    connect(m_scene, &PipeScene::layoutChanged, m_view, &SceneView::sceneBoundsChanged);
    connect(m_scene, &PipeScene::layoutChanged, this, &ComparePane::chooseOrientation);
    connect(m_primaryScene, &PipeScene::layoutChanged, this, &ComparePane::chooseOrientation);
    // As on the left: while paused, clicking a node lets exactly that process take its step.
    connect(m_scene, &PipeScene::processClicked, this, [this](int pid) {
        if (m_twin->phase() == RunController::Phase::Paused)
            m_twin->stepProcess(pid);
    });
    setActive(false);
}

ComparePane::~ComparePane() = default;

QStringList ComparePane::twinAssignments(const QStringList &assignments, const QStringList &parameterNames)
{
    if (!parameterNames.contains(kFixed))
        return {};
    const QString flipped
        = fixedValue(assignments) == QLatin1String("true") ? QStringLiteral("false") : QStringLiteral("true");
    QStringList twin;
    for (const QString &a : assignments) {
        if (a.section(QLatin1Char('='), 0, 0) != kFixed)
            twin << a;
    }
    twin << QStringLiteral("fixed=%1").arg(flipped);
    return twin;
}

QString ComparePane::statusOf(int outcome)
{
    // The words a lecturer would say: the correct version ends by itself; a pitfall's hang ends by the watchdog.
    switch (outcome) {
    case OutcomeOk: return QStringLiteral("finished by itself (ok)");
    case OutcomeWatchdog: return QStringLiteral("hung: stopped by the watchdog, tree killed and reaped");
    default: return QStringLiteral("finished: %1").arg(QString::fromLatin1(outcomeName(outcome)));
    }
}

void ComparePane::showLive(QLabel *label, const RunController *run)
{
    switch (run->phase()) {
    case RunController::Phase::Idle: label->clear(); return;
    case RunController::Phase::Finished: return; // runFinished said how it ended
    case RunController::Phase::Paused: label->setText(QStringLiteral("paused: Right steps one call")); return;
    case RunController::Phase::Running: break;
    }
    int live = 0, asleep = 0;
    for (const ProcessInfo &p : run->state().processes()) {
        if (p.state == ProcessState::Exited || p.state == ProcessState::Reaped)
            continue;
        ++live;
        asleep += p.state == ProcessState::Blocked ? 1 : 0;
    }
    // Only what /proc says: asleep is not stuck (a timed sleep wakes by itself), so no verdict here.
    label->setText(live > 0 && asleep == live ? QStringLiteral("running: every live process is asleep in the kernel")
                                              : QStringLiteral("running"));
}

void ComparePane::updatePhase()
{
    using Phase = RunController::Phase;
    const Phase a = m_primary->phase(), b = m_twin->phase();
    auto either = [&](Phase p) { return a == p || b == p; };
    const Phase phase = either(Phase::Running) ? Phase::Running
        : either(Phase::Paused)                ? Phase::Paused
        : either(Phase::Finished)              ? Phase::Finished
                                               : Phase::Idle;
    if (phase == m_phase)
        return;
    m_phase = phase;
    Q_EMIT phaseChanged(phase);
}

QString ComparePane::bothStatus() const
{
    return m_bothStatus;
}

void ComparePane::updateStatus()
{
    QString both;
    // Also while the twin waits (S pressed during or after a run): the line says it has not run yet.
    if (m_active && !m_running.twin.isEmpty()
        && (m_twin->phase() != RunController::Phase::Idle || m_primary->phase() != RunController::Phase::Idle)) {
        auto side = [](const QStringList &assignments) {
            return fixedValue(assignments) == QLatin1String("true") ? QStringLiteral("correct version")
                                                                    : QStringLiteral("pitfall");
        };
        both = QStringLiteral("%1: %2  |  %3: %4")
                   .arg(side(m_running.assignments), m_primaryStatus->text(), side(m_running.twin),
                       m_twinStatus->text());
    }
    if (both == m_bothStatus)
        return;
    m_bothStatus = both;
    Q_EMIT statusChanged(both);
}

Qt::Orientation ComparePane::orientation() const
{
    return m_splitter->orientation();
}

void ComparePane::flipOrientation()
{
    m_orientationByHand = true;
    m_splitter->setOrientation(m_splitter->orientation() == Qt::Horizontal ? Qt::Vertical : Qt::Horizontal);
    splitEvenly();
}

void ComparePane::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) // presenter mode's large type, on and off: all grow and shrink with it
        scaleType();
}

// Large enough to tell the panes apart from the back row, small enough to leave the scenes
// their room (at 1024x768 in presenter type two lines of headline took a third of a row).
QFont ComparePane::titleFont() const
{
    return scaled(font(), 1.25, true);
}

QFont ComparePane::statusFont() const
{
    return scaled(font(), 1.0, false);
}

void ComparePane::scaleType()
{
    for (QLabel *l : {m_primaryTitle, m_twinTitle})
        l->setFont(titleFont());
    for (QLabel *l : {m_primaryStatus, m_twinStatus})
        l->setFont(statusFont());
    for (QLabel *l : {m_primaryHint, m_twinHint})
        l->setFont(scaled(font(), 1.6, false));
}

void ComparePane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    chooseOrientation();
}

qreal ComparePane::scaleFor(Qt::Orientation orientation, QSizeF stage, QSizeF scene, qreal head)
{
    if (scene.isEmpty())
        return 0;
    constexpr qreal kHandle = 6; // the splitter between the panes
    if (orientation == Qt::Horizontal)
        return std::min((stage.width() - kHandle) / 2 / scene.width(), (stage.height() - head) / scene.height());
    return std::min(stage.width() / scene.width(), ((stage.height() - kHandle) / 2 - head) / scene.height());
}

qreal ComparePane::scaleOf(Qt::Orientation orientation) const
{
    QRectF bounds = m_scene->sceneRect().united(m_primaryScene->sceneRect());
    if (bounds.isEmpty())
        bounds = QRectF(0, 0, 1500, 400); // two processes and a pipe, the usual pitfall
    // The headlines wrap in a narrow column: measure them at the width they would have.
    const int paneWidth = orientation == Qt::Horizontal ? width() / 2 : width();
    return scaleFor(orientation, size(), bounds.size(), headHeight(paneWidth));
}

qreal ComparePane::headHeight(int paneWidth) const
{
    // Lined up (alignHeadlines()), both panes' scenes start below the taller headline.
    const bool twin = m_active && !m_twinStatus->isHidden();
    auto taller = [&](const QLabel *first, const QLabel *second) {
        return std::max(first->heightForWidth(paneWidth), twin ? second->heightForWidth(paneWidth) : 0);
    };
    return taller(m_primaryTitle, m_twinTitle) + taller(m_primaryStatus, m_twinStatus);
}

bool ComparePane::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_primaryColumn || watched == m_twinColumn)
        && (event->type() == QEvent::LayoutRequest || event->type() == QEvent::Resize))
        alignHeadlines();
    return QWidget::eventFilter(watched, event);
}

void ComparePane::alignHeadlines()
{
    // Only two panes with a scene each line up; a lone pane (or "Nothing to compare") keeps its own height.
    const bool pair = m_active && !m_twinStatus->isHidden();
    // The columns' widths: in a column's Resize its labels are not laid out yet, but they span it.
    const int widths[] = {m_primaryColumn->width(), m_twinColumn->width()};
    // A gap below the shorter label, not a minimum height on it: a label's heightForWidth
    // includes its minimum, so the next measure would never see it shrink.
    const std::array<QLabel *, 4> labels = {m_primaryTitle, m_primaryStatus, m_twinTitle, m_twinStatus};
    bool changed = false;
    for (int row = 0; row < 2; ++row) {
        const int first = labels[row]->heightForWidth(widths[0]);
        const int second = labels[row + 2]->heightForWidth(widths[1]);
        const int extra[] = {pair ? std::max(0, second - first) : 0, pair ? std::max(0, first - second) : 0};
        for (int side = 0; side < 2; ++side) {
            QSpacerItem *gap = m_gaps[static_cast<std::size_t>(row + 2 * side)];
            if (gap->sizeHint().height() == extra[side])
                continue; // unchanged: no relayout, so this does not come back here
            gap->changeSize(0, extra[side], QSizePolicy::Minimum, QSizePolicy::Fixed);
            changed = true;
        }
    }
    if (changed) {
        m_primaryColumn->layout()->invalidate();
        m_twinColumn->layout()->invalidate();
    }
}

void ComparePane::chooseOrientation()
{
    if (!m_active || m_orientationByHand)
        return;
    const Qt::Orientation want = scaleOf(Qt::Vertical) > scaleOf(Qt::Horizontal) ? Qt::Vertical : Qt::Horizontal;
    if (want != m_splitter->orientation()) {
        m_splitter->setOrientation(want);
        splitEvenly();
    }
}

void ComparePane::splitEvenly()
{
    const int half = (m_splitter->orientation() == Qt::Horizontal ? width() : height()) / 2;
    m_splitter->setSizes({half, half});
}

void ComparePane::setActive(bool on)
{
    const bool changed = on != m_active;
    m_active = on;
    m_twinColumn->setVisible(on);
    m_primaryStatus->setVisible(on);
    if (!on) {
        m_twin->reset();
        m_orientationByHand = false;
    }
    updateTitles();
    updateStatus();
    alignHeadlines();
    if (on) {
        chooseOrientation();
        splitEvenly();
    }
    if (changed)
        Q_EMIT activeChanged(on);
}

void ComparePane::setScenario(
    const QString &scenario, const QStringList &assignments, const QStringList &parameterNames)
{
    m_editor = {scenario, assignments, twinAssignments(assignments, parameterNames)};
    updateTitles();
}

void ComparePane::updateTitles()
{
    // Headlines name what is on screen: the runs' own values once they started, not later edits (F, the picker).
    const bool onScreen
        = m_primary->phase() != RunController::Phase::Idle || m_twin->phase() != RunController::Phase::Idle;
    const Setup &shown = onScreen ? m_running : m_editor;
    // A pitfall's stage always names its version (after F nothing else would); side by side, every lesson's does.
    m_primaryTitle->setVisible(m_active || !shown.twin.isEmpty());
    auto title = [](const QString &fixed) {
        return fixed == QLatin1String("true") ? QStringLiteral("The correct version (fixed=true)")
                                              : QStringLiteral("The pitfall as written (fixed=false)");
    };
    if (shown.twin.isEmpty()) {
        m_primaryTitle->setText(shown.scenario);
        m_twinTitle->setText(QStringLiteral("Nothing to compare: only the pitfalls have a correct version (fixed)"));
        m_view->hide();
        m_twinStatus->hide();
        m_twinHint->hide();
        updateHint();
        return;
    }
    m_primaryTitle->setText(title(fixedValue(shown.assignments)));
    m_twinTitle->setText(title(fixedValue(shown.twin)));
    m_twinStatus->show();
    updateHint();
}

void ComparePane::updateHint()
{
    using Phase = RunController::Phase;
    const bool onScreen = m_primary->phase() != Phase::Idle;
    const Setup &shown = onScreen ? m_running : m_editor;
    // S before Run: the first pane names its run and the key as the second does, instead of an empty stage.
    const bool firstWaits = m_active && !onScreen;
    m_primaryView->setVisible(!firstWaits);
    m_primaryHint->setVisible(firstWaits);
    if (firstWaits) {
        const bool pair = !shown.twin.isEmpty();
        m_primaryHint->setText(pair ? QStringLiteral("%1 has not run yet.\nSpace (Run) runs both side by side.")
                                          .arg(versionName(shown.assignments))
                                    : QStringLiteral("%1 has not run yet.\nSpace (Run) runs it.").arg(shown.scenario));
        m_primaryStatus->setText(pair ? QStringLiteral("not run yet: Space (Run) runs both")
                                      : QStringLiteral("not run yet: Space (Run) runs it"));
    } else {
        m_primaryHint->clear();
    }
    if (shown.twin.isEmpty())
        return; // the second pane says there is nothing to compare
    const bool waiting = m_active && !shown.twin.isEmpty() && m_twin->phase() == Phase::Idle;
    m_view->setVisible(!waiting);
    m_twinHint->setVisible(waiting);
    if (!waiting) {
        m_twinHint->clear();
        return;
    }
    // While the first run is live, Space pauses it: R is what starts both again.
    const bool live = m_primary->phase() == Phase::Running || m_primary->phase() == Phase::Paused;
    const QString key = live ? QStringLiteral("R (restart)") : QStringLiteral("Space (Run)");
    m_twinHint->setText(
        QStringLiteral("%1 has not run yet.\n%2 runs both side by side.").arg(versionName(shown.twin), key));
    m_twinStatus->setText(QStringLiteral("not run yet: %1 runs both").arg(key));
}

QString ComparePane::twinHint() const
{
    return m_twinHint->isHidden() ? QString() : m_twinHint->text();
}

QString ComparePane::primaryHint() const
{
    return m_primaryHint->isHidden() ? QString() : m_primaryHint->text();
}

QString ComparePane::versionOnScreen() const
{
    const Setup &shown = m_primary->phase() != RunController::Phase::Idle ? m_running : m_editor;
    if (shown.twin.isEmpty())
        return {};
    return fixedValue(shown.assignments) == QLatin1String("true") ? QStringLiteral("correct version")
                                                                  : QStringLiteral("pitfall");
}

QString ComparePane::stageTitle() const
{
    return m_primaryTitle->isHidden() ? QString() : m_primaryTitle->text();
}

void ComparePane::runStarting()
{
    m_running = m_editor;
    updateTitles();
}

QString ComparePane::primaryTitle() const
{
    return m_active ? m_primaryTitle->text() : QString();
}

QString ComparePane::twinTitle() const
{
    return m_active ? m_twinTitle->text() : QString();
}

QString ComparePane::primaryStatus() const
{
    return m_primaryStatus->text();
}

QString ComparePane::twinStatus() const
{
    return m_twinStatus->text();
}

void ComparePane::setTheme(const Theme &theme)
{
    m_scene->setTheme(theme);
}

bool ComparePane::startTwin(int paceMs, bool held)
{
    m_twin->reset(); // a twin of an earlier run never outlives it
    m_running = m_editor;
    updateTitles();
    updateStatus();
    if (!m_active || m_running.twin.isEmpty())
        return false;
    QString error;
    if (!m_twin->start(m_running.scenario, m_running.twin, paceMs, held, &error)) {
        m_twinStatus->setText(QStringLiteral("cannot run the twin: %1").arg(error));
        return false;
    }
    return true;
}

void ComparePane::pause()
{
    m_twin->pause();
}

void ComparePane::resume()
{
    m_twin->resume();
}

void ComparePane::step()
{
    m_twin->step();
}

void ComparePane::setPace(int ms)
{
    m_twin->setPace(ms);
}

void ComparePane::fullSpeed()
{
    m_twin->fullSpeed();
}

void ComparePane::stop()
{
    m_twin->stop();
}

void ComparePane::reset()
{
    m_twin->reset();
}

} // namespace pipescope
