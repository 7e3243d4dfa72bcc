#include "ui/window/controlbar.h"

#include "ui/window/elidedlabel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QResizeEvent>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>

namespace pipescope
{

namespace
{

// The paces a lecturer steps through with Up and Down, fast to slow (ms per step).
constexpr int kPaces[] = {50, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000};

QPushButton *makeButton(const QString &text, const QString &name, const QString &tip, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    b->setToolTip(tip);
    b->setFocusPolicy(Qt::NoFocus); // Space belongs to Run/Pause, not to a focused button
    b->setMinimumHeight(40);
    return b;
}

} // namespace

ControlBar::ControlBar(QWidget *parent)
    : QWidget(parent),
      m_run(makeButton(
          QStringLiteral("Run"), QStringLiteral("run"), QStringLiteral("Run / Pause / Resume (Space)"), this)),
      m_step(makeButton(QStringLiteral("Step"), QStringLiteral("step"),
          QStringLiteral("Let one held process make one syscall (Right or N)"), this)),
      m_stop(makeButton(QStringLiteral("Stop"), QStringLiteral("stop"),
          QStringLiteral("Kill and reap every process of the run (Esc)"), this)),
      m_reset(makeButton(
          QStringLiteral("Reset"), QStringLiteral("reset"), QStringLiteral("Clear the stage (Ctrl+R)"), this)),
      m_full(makeButton(QStringLiteral("Full speed"), QStringLiteral("fullspeed"),
          QStringLiteral("Open every gate: processes run free, counters are sampled"), this)),
      m_pace(new QSlider(Qt::Horizontal, this)),
      m_paceLabel(new QLabel(this)),
      m_status(new ElidedLabel(this)),
      m_runAction(new QAction(QStringLiteral("Run / Pause"), this)),
      m_stepAction(new QAction(QStringLiteral("Step"), this)),
      m_stopAction(new QAction(QStringLiteral("Stop"), this)),
      m_resetAction(new QAction(QStringLiteral("Reset"), this)),
      m_restartAction(new QAction(QStringLiteral("Restart the scenario"), this)),
      m_fasterAction(new QAction(QStringLiteral("Faster slow motion"), this)),
      m_slowerAction(new QAction(QStringLiteral("Slower slow motion"), this)),
      m_fullSpeedAction(new QAction(QStringLiteral("Full speed on / off"), this))
{
    m_rows = new QVBoxLayout(this);
    m_rows->setSpacing(2);
    auto *layout = m_row = new QHBoxLayout;
    m_rows->addLayout(m_row);
    for (QPushButton *b : {m_run, m_step, m_stop, m_reset})
        layout->addWidget(b);
    layout->addSpacing(24);
    layout->addWidget(new QLabel(QStringLiteral("Slow motion:"), this));
    m_pace->setRange(0, 2000);
    m_pace->setSingleStep(50);
    m_pace->setPageStep(250);
    m_pace->setMinimumWidth(100);
    m_pace->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(m_pace);
    layout->addWidget(m_paceLabel);
    layout->addWidget(m_full);
    layout->addSpacing(24);
    layout->addWidget(m_status, 1);

    m_runAction->setShortcut(Qt::Key_Space);
    m_stepAction->setShortcuts({QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_N)});
    m_stopAction->setShortcut(Qt::Key_Escape);
    m_resetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_restartAction->setShortcut(Qt::Key_R);
    m_fasterAction->setShortcut(Qt::Key_Up);
    m_slowerAction->setShortcut(Qt::Key_Down);
    m_fullSpeedAction->setShortcut(Qt::Key_G);
    const std::pair<QAction *, const char *> names[] = {{m_runAction, "runPause"}, {m_stepAction, "stepAction"},
        {m_stopAction, "stopAction"}, {m_resetAction, "resetAction"}, {m_restartAction, "restart"},
        {m_fasterAction, "faster"}, {m_slowerAction, "slower"}, {m_fullSpeedAction, "fullSpeedToggle"}};
    for (const auto &[action, name] : names)
        action->setObjectName(QLatin1String(name));

    connect(m_run, &QPushButton::clicked, this, &ControlBar::runOrPause);
    connect(m_runAction, &QAction::triggered, this, &ControlBar::runOrPause);
    connect(m_step, &QPushButton::clicked, this, &ControlBar::stepPressed);
    connect(m_stepAction, &QAction::triggered, this, &ControlBar::stepPressed);
    connect(m_stop, &QPushButton::clicked, this, &ControlBar::stopRequested);
    connect(m_stopAction, &QAction::triggered, this, &ControlBar::stopRequested);
    connect(m_reset, &QPushButton::clicked, this, &ControlBar::resetRequested);
    connect(m_resetAction, &QAction::triggered, this, &ControlBar::resetRequested);
    connect(m_restartAction, &QAction::triggered, this, [this] {
        if (m_runnable)
            Q_EMIT restartRequested();
    });
    connect(m_fasterAction, &QAction::triggered, this, [this] { setPace(nextPace(pace(), -1)); });
    connect(m_slowerAction, &QAction::triggered, this, [this] { setPace(nextPace(pace(), +1)); });
    connect(m_fullSpeedAction, &QAction::triggered, this, &ControlBar::toggleFullSpeed);
    connect(m_full, &QPushButton::clicked, this, [this] {
        m_pace->setValue(0);
        Q_EMIT fullSpeedRequested();
    });
    connect(m_pace, &QSlider::valueChanged, this, [this](int ms) {
        if (ms > 0)
            m_slowPace = ms;
        showPace(ms);
        Q_EMIT paceChanged(ms);
    });
    showPace(0);
    m_stepTip = m_step->toolTip();
    m_runTip = m_run->toolTip();
    m_fullTip = m_full->toolTip();
    updateButtons();
    fixRunWidth();
}

void ControlBar::fixRunWidth()
{
    const QString shown = m_run->text();
    int widest = 0;
    for (const QString &label : {QStringLiteral("Run"), QStringLiteral("Pause"), QStringLiteral("Resume")}) {
        m_run->setText(label);
        widest = std::max(widest, m_run->sizeHint().width());
    }
    m_run->setText(shown);
    m_run->setFixedWidth(widest);
}

void ControlBar::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        fixRunWidth();
}

void ControlBar::setLimits(const QString &noStep, const QString &noPace, const QString &noPause)
{
    m_noStep = noStep;
    m_noPace = noPace;
    m_noPause = noPause;
    updateButtons();
}

QList<QAction *> ControlBar::shortcutActions() const
{
    return {m_runAction, m_stepAction, m_stopAction, m_resetAction, m_restartAction, m_fasterAction, m_slowerAction,
        m_fullSpeedAction};
}

QString ControlBar::status() const
{
    return m_status->fullText();
}

int ControlBar::nextPace(int ms, int direction)
{
    if (direction < 0) {
        if (ms <= 0)
            return 0; // nothing is faster than full speed
        int faster = kPaces[0];
        for (int p : kPaces) {
            if (p < ms)
                faster = p;
        }
        return faster;
    }
    for (int p : kPaces) {
        if (p > ms)
            return p;
    }
    return kPaces[std::size(kPaces) - 1];
}

void ControlBar::toggleFullSpeed()
{
    if (pace() > 0) {
        m_full->click();
        return;
    }
    setPace(m_slowPace);
}

QPushButton *ControlBar::button(const QString &name) const
{
    return findChild<QPushButton *>(name);
}

int ControlBar::pace() const
{
    return m_pace->value();
}

void ControlBar::setPace(int ms)
{
    m_pace->setValue(ms);
    showPace(ms);
}

void ControlBar::showPace(int ms)
{
    m_paceLabel->setText(ms > 0 ? QStringLiteral("%1 ms/step").arg(ms) : QStringLiteral("full speed"));
}

void ControlBar::runOrPause()
{
    switch (m_phase) {
    case RunController::Phase::Idle:
    case RunController::Phase::Finished:
        if (m_runnable)
            Q_EMIT runRequested(false);
        break;
    case RunController::Phase::Running: Q_EMIT pauseRequested(); break;
    case RunController::Phase::Paused: Q_EMIT resumeRequested(); break;
    }
}

void ControlBar::stepPressed()
{
    if (m_phase == RunController::Phase::Idle || m_phase == RunController::Phase::Finished) {
        if (m_runnable)
            Q_EMIT runRequested(true);
        return;
    }
    Q_EMIT stepRequested();
}

void ControlBar::setPhase(RunController::Phase phase)
{
    m_phase = phase;
    updateButtons();
}

void ControlBar::setRunnable(bool runnable)
{
    m_runnable = runnable;
    updateButtons();
}

void ControlBar::setStatus(const QString &text)
{
    m_status->setFullText(text);
    placeStatus(width(), false);
}

void ControlBar::updateButtons()
{
    const bool live = m_phase == RunController::Phase::Running || m_phase == RunController::Phase::Paused;
    m_run->setText(m_phase == RunController::Phase::Running ? QStringLiteral("Pause")
            : m_phase == RunController::Phase::Paused       ? QStringLiteral("Resume")
                                                            : QStringLiteral("Run"));
    m_run->setEnabled(live || m_runnable);
    m_step->setEnabled(live || m_runnable);
    m_stop->setEnabled(live);
    m_reset->setEnabled(m_phase != RunController::Phase::Idle);
    // What the source cannot do is greyed out, and says why.
    const bool cannotPause = live && !m_noPause.isEmpty();
    m_run->setEnabled(m_run->isEnabled() && !cannotPause);
    m_run->setToolTip(cannotPause ? m_noPause : m_runTip);
    m_step->setEnabled(m_step->isEnabled() && m_noStep.isEmpty());
    m_step->setToolTip(m_noStep.isEmpty() ? m_stepTip : m_noStep);
    m_pace->setEnabled(m_noPace.isEmpty());
    m_pace->setToolTip(m_noPace);
    m_full->setEnabled(m_noPace.isEmpty());
    m_full->setToolTip(m_noPace.isEmpty() ? m_fullTip : m_noPace);
}

bool ControlBar::statusOnItsOwnRow() const
{
    return m_rows->indexOf(m_status) >= 0;
}

int ControlBar::statusWidth() const
{
    return m_status->width();
}

QString ControlBar::shownStatus() const
{
    return m_status->text();
}

void ControlBar::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeStatus(event->size().width(), true);
}

void ControlBar::placeStatus(int barWidth, bool mayMoveUp)
{
    // The status says what the class is looking at: it needs room for a sentence, not "r...",
    // and its key hint ("paused: Right steps one call") must not be cut off beside the buttons.
    constexpr int kStatusRoom = 360;
    int controls = 0;
    for (int i = 0; i < m_row->count(); ++i)
        if (QLayoutItem *item = m_row->itemAt(i); item->widget() != m_status)
            controls += item->sizeHint().width() + m_row->spacing();
    const QMargins margins = m_rows->contentsMargins();
    const int room = barWidth - controls - margins.left() - margins.right();
    const int needed = std::max(kStatusRoom, m_status->fontMetrics().horizontalAdvance(m_status->fullText()) + 8);
    const bool below = room < needed;
    const bool isBelow = m_rows->indexOf(m_status) >= 0;
    if (below == isBelow || (!below && !mayMoveUp))
        return;
    if (below) {
        m_row->removeWidget(m_status);
        m_row->addStretch(1); // the buttons and the slider keep their width, left aligned
        m_rows->addWidget(m_status);
    } else {
        m_rows->removeWidget(m_status);
        delete m_row->takeAt(m_row->count() - 1); // the stretch that stood in for it
        m_row->addWidget(m_status, 1);
    }
}

} // namespace pipescope
