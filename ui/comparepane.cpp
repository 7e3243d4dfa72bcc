#include "comparepane.h"

#include "nodefdtables.h"
#include "pipescene.h"
#include "sceneview.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace pipescope
{

namespace
{

constexpr auto kFixed = QLatin1String("fixed");

QString fixedValue(const QStringList &assignments)
{
    for (const QString &a : assignments) {
        if (a.section(QLatin1Char('='), 0, 0) == kFixed)
            return a.section(QLatin1Char('='), 1);
    }
    return QStringLiteral("false"); // every pitfall's default
}

QLabel *headline(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setContentsMargins(12, 6, 12, 2);
    return label;
}

} // namespace

ComparePane::ComparePane(RunController *primary, SceneView *primaryView, QWidget *parent)
    : QWidget(parent),
      m_primary(primary),
      m_primaryView(primaryView),
      m_twin(new RunController(this)),
      m_scene(new PipeScene(this)),
      m_twinFds(new NodeFdTables(m_scene, m_twin, this)),
      m_view(new SceneView(this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)),
      m_twinColumn(new QWidget(this)),
      m_primaryTitle(headline(this)),
      m_twinTitle(headline(this)),
      m_primaryStatus(headline(this)),
      m_twinStatus(headline(this))
{
    m_view->setScene(m_scene);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(0);
    leftLayout->addWidget(m_primaryTitle);
    leftLayout->addWidget(m_primaryStatus);
    leftLayout->addWidget(m_primaryView, 1);
    auto *rightLayout = new QVBoxLayout(m_twinColumn);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->setSpacing(0);
    rightLayout->addWidget(m_twinTitle);
    rightLayout->addWidget(m_twinStatus);
    rightLayout->addWidget(m_view, 1);
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_twinColumn);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
    for (QLabel *l : {m_primaryTitle, m_twinTitle}) {
        QFont f = l->font();
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 1.5);
        l->setFont(f);
    }
    for (QLabel *l : {m_primaryStatus, m_twinStatus}) {
        QFont f = l->font();
        f.setPointSizeF(f.pointSizeF() * 1.2);
        l->setFont(f);
    }

    connect(m_twin, &RunController::runStarted, this, [this] {
        m_scene->clearRun();
        m_twinStatus->setText(QStringLiteral("running"));
    });
    connect(m_twin, &RunController::eventsArrived, this, [this](const QVector<Event> &events) {
        m_scene->applyEvents(events, m_twin->state());
        m_twinStatus->setText(liveStatus(m_twin));
    });
    connect(
        m_primary, &RunController::eventsArrived, this, [this] { m_primaryStatus->setText(liveStatus(m_primary)); });
    connect(m_twin, &RunController::countersSampled, this, [this] { m_scene->applyCounters(m_twin->state()); });
    connect(m_twin, &RunController::runReset, this, [this] {
        m_scene->clearRun();
        m_twinStatus->clear();
    });
    connect(
        m_twin, &RunController::runFinished, this, [this](int outcome) { m_twinStatus->setText(statusOf(outcome)); });
    connect(
        m_primary, &RunController::runStarted, this, [this] { m_primaryStatus->setText(QStringLiteral("running")); });
    connect(m_primary, &RunController::runReset, m_primaryStatus, &QLabel::clear);
    connect(m_primary, &RunController::runFinished, this,
        [this](int outcome) { m_primaryStatus->setText(statusOf(outcome)); });
    connect(m_scene, &PipeScene::layoutChanged, m_view, &SceneView::sceneBoundsChanged);
    connect(m_scene, &PipeScene::layoutChanged, this, &ComparePane::chooseOrientation);
    if (auto *primaryScene = qobject_cast<PipeScene *>(m_primaryView->scene()))
        connect(primaryScene, &PipeScene::layoutChanged, this, &ComparePane::chooseOrientation);
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
    const QString name = QString::fromLatin1(outcomeName(outcome));
    // The words a lecturer would say: the correct version ends by itself; a pitfall's hang ends by the watchdog.
    switch (outcome) {
    case OutcomeOk: return QStringLiteral("finished by itself (%1)").arg(name);
    case OutcomeWatchdog: return QStringLiteral("hung: stopped by the watchdog, tree killed and reaped");
    default: return QStringLiteral("finished: %1").arg(name);
    }
}

QString ComparePane::liveStatus(const RunController *run)
{
    if (run->phase() == RunController::Phase::Finished)
        return QString(); // runFinished says how it ended
    int live = 0, asleep = 0;
    for (const ProcessInfo &p : run->state().processes()) {
        if (p.state == ProcessState::Exited || p.state == ProcessState::Reaped)
            continue;
        ++live;
        asleep += p.state == ProcessState::Blocked ? 1 : 0;
    }
    if (live > 0 && asleep == live)
        return QStringLiteral("every live process is asleep in the kernel (a hang is ended by the watchdog)");
    return run->phase() == RunController::Phase::Paused ? QStringLiteral("paused") : QStringLiteral("running");
}

void ComparePane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    chooseOrientation();
}

void ComparePane::chooseOrientation()
{
    if (!m_active)
        return;
    QRectF bounds = m_scene->itemsBoundingRect();
    if (const QGraphicsScene *primary = m_primaryView->scene())
        bounds = bounds.united(primary->itemsBoundingRect());
    if (bounds.isEmpty())
        bounds = QRectF(0, 0, 1500, 400); // two processes and a pipe, the usual pitfall
    const qreal headH = m_primaryTitle->sizeHint().height() + m_primaryStatus->sizeHint().height();
    const qreal w = width(), h = height() - headH;
    const qreal columns = std::min(w / 2 / bounds.width(), h / bounds.height());
    const qreal rows = std::min(w / bounds.width(), (h - headH) / 2 / bounds.height());
    const Qt::Orientation want = rows > columns ? Qt::Vertical : Qt::Horizontal;
    if (want != m_splitter->orientation()) {
        m_splitter->setOrientation(want);
        const int half = (want == Qt::Horizontal ? width() : height()) / 2;
        m_splitter->setSizes({half, half});
    }
}

void ComparePane::setActive(bool on)
{
    const bool changed = on != m_active;
    m_active = on;
    m_twinColumn->setVisible(on);
    m_primaryTitle->setVisible(on);
    m_primaryStatus->setVisible(on);
    if (!on)
        m_twin->reset();
    updateTitles();
    if (on) {
        chooseOrientation();
        const int half = (m_splitter->orientation() == Qt::Horizontal ? width() : height()) / 2;
        m_splitter->setSizes({half, half});
    }
    if (changed)
        Q_EMIT activeChanged(on);
}

void ComparePane::setScenario(
    const QString &scenario, const QStringList &assignments, const QStringList &parameterNames)
{
    if (scenario != m_scenario)
        m_twin->reset();
    m_scenario = scenario;
    m_assignments = assignments;
    m_twinAssignments = twinAssignments(assignments, parameterNames);
    updateTitles();
}

void ComparePane::updateTitles()
{
    auto title = [](const QString &fixed) {
        return fixed == QLatin1String("true") ? QStringLiteral("The correct version (fixed=true)")
                                              : QStringLiteral("The pitfall as written (fixed=false)");
    };
    if (m_twinAssignments.isEmpty()) {
        m_primaryTitle->setText(m_scenario);
        m_twinTitle->setText(QStringLiteral("Nothing to compare: only the pitfalls have a correct version (fixed)"));
        m_view->hide();
        m_twinStatus->hide();
        return;
    }
    m_primaryTitle->setText(title(fixedValue(m_assignments)));
    m_twinTitle->setText(title(fixedValue(m_twinAssignments)));
    m_view->show();
    m_twinStatus->show();
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
    if (!m_active || m_twinAssignments.isEmpty())
        return false;
    QString error;
    if (!m_twin->start(m_scenario, m_twinAssignments, paceMs, held, &error)) {
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
