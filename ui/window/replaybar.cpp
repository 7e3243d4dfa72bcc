#include "ui/window/replaybar.h"

#include "ui/source/replaycontroller.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>

namespace pipescope
{

ReplayBar::ReplayBar(ReplayController *replay, QWidget *parent)
    : QWidget(parent),
      m_replay(replay),
      m_origin(new QLabel(this)),
      m_slider(new QSlider(Qt::Horizontal, this)),
      m_position(new QLabel(this))
{
    setObjectName(QStringLiteral("replayBar"));
    m_slider->setObjectName(QStringLiteral("replayScrubber"));
    m_slider->setFocusPolicy(Qt::NoFocus); // the arrows stay Step and the pace, as in a live run
    m_slider->setMinimumWidth(240);
    m_slider->setPageStep(10);
    QFont bold = m_origin->font();
    bold.setBold(true);
    m_origin->setFont(bold);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_origin);
    auto button = [this, layout](const QString &text, const QString &tip, auto slot) {
        auto *b = new QToolButton(this);
        b->setText(text);
        b->setToolTip(tip);
        b->setFocusPolicy(Qt::NoFocus);
        connect(b, &QToolButton::clicked, m_replay, slot);
        layout->addWidget(b);
    };
    button(QStringLiteral("|<"), QStringLiteral("To the start (Home)"), [this] { m_replay->seek(1); });
    button(QStringLiteral("<"), QStringLiteral("One event back (Left)"), [this] { m_replay->stepBack(); });
    layout->addWidget(m_slider, 1);
    button(
        QStringLiteral(">|"), QStringLiteral("To the end (End)"), [this] { m_replay->seek(m_replay->eventCount()); });
    layout->addWidget(m_position);

    const std::pair<Qt::Key, const char *> keys[]
        = {{Qt::Key_Home, "replayStart"}, {Qt::Key_End, "replayEnd"}, {Qt::Key_Left, "replayBack"}};
    for (const auto &[key, name] : keys) {
        auto *a = new QAction(QString::fromLatin1(name), this);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(key);
        connect(a, &QAction::triggered, this, [this, key] {
            if (key == Qt::Key_Home)
                m_replay->seek(1);
            else if (key == Qt::Key_End)
                m_replay->seek(m_replay->eventCount());
            else
                m_replay->stepBack();
        });
        a->setEnabled(false);
        m_actions << a;
    }
    connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating)
            m_replay->seek(value);
    });
    connect(m_replay, &ReplayController::positionChanged, this, &ReplayBar::showPosition);
    connect(m_replay, &EventSource::runStarted, this, [this] { m_origin->setText(origin()); });
}

void ReplayBar::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    for (QAction *a : std::as_const(m_actions))
        a->setEnabled(true);
}

void ReplayBar::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    for (QAction *a : std::as_const(m_actions))
        a->setEnabled(false);
}

QString ReplayBar::origin() const
{
    const QString title = m_replay->title();
    return title.isEmpty() ? QString() : QStringLiteral("REPLAY") + title.mid(title.indexOf(QLatin1Char(' ')));
}

void ReplayBar::showPosition(int position, int count)
{
    m_updating = true;
    m_slider->setRange(count > 0 ? 1 : 0, count);
    m_slider->setValue(position);
    m_updating = false;
    m_position->setText(
        QStringLiteral("event %1 of %2, %3 s").arg(position).arg(count).arg(m_replay->elapsedSeconds(), 0, 'f', 3));
}

} // namespace pipescope
