#include "ui/window/quizoverlay.h"

#include <QEvent>
#include <QLabel>
#include <QPainter>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>

namespace pipescope
{

namespace
{

// Below this the card would no longer be read from the room; a stage that small cuts it instead.
constexpr int kSmallestPixels = 10;

QString esc(const std::string &s)
{
    return QString::fromStdString(s).toHtmlEscaped();
}

} // namespace

QuizOverlay::QuizOverlay(QWidget *host) : QWidget(host), m_host(host), m_label(new QLabel(this))
{
    setObjectName(QStringLiteral("quizOverlay"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setFocusPolicy(Qt::NoFocus);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->addWidget(m_label);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::RichText);
    m_label->setStyleSheet(QStringLiteral("color: #111;"));
    host->installEventFilter(this);
    hide();
}

int QuizOverlay::basePixels() const
{
    // Large type that scales with the stage: about 24 px on a 720 px high projector.
    return std::max(16, m_host->height() / 30);
}

QString QuizOverlay::text() const
{
    return isVisible() ? m_label->text().remove(QRegularExpression(QStringLiteral("<[^>]*>"))) : QString();
}

bool QuizOverlay::showsWholeCard() const
{
    const QMargins pad = layout()->contentsMargins();
    return m_label->heightForWidth(m_label->width()) + pad.top() + pad.bottom() <= height();
}

void QuizOverlay::present(const QString &html)
{
    m_label->setText(html);
    place();
    show();
    raise();
}

void QuizOverlay::showQuestion(const QuizQuestion &q)
{
    QString html = QStringLiteral("<div style='font-size:small;color:#555'>Question %1 &middot; %2</div>")
                       .arg(q.number)
                       .arg(esc(q.topic));
    html += QStringLiteral("<p>%1</p>").arg(esc(q.situation));
    html += QStringLiteral("<p><b>%1</b></p>").arg(esc(q.prompt));
    for (std::size_t i = 0; i < q.choices.size(); ++i)
        html += QStringLiteral("<div><b style='color:#1a5fb4'>%1</b>&nbsp;&nbsp;%2</div>")
                    .arg(i + 1)
                    .arg(esc(q.choices[i].text));
    html += QStringLiteral("<p style='font-size:small;color:#555'>Press 1-%1 for the class's answer; the call "
                           "then runs for real.</p>")
                .arg(q.choices.size());
    present(html);
}

void QuizOverlay::showJudging(const QuizQuestion &q, int guess)
{
    QString html = QStringLiteral("<div style='font-size:small;color:#555'>Question %1 &middot; %2</div>")
                       .arg(q.number)
                       .arg(esc(q.topic));
    html += QStringLiteral("<p><b>%1</b></p>").arg(esc(q.prompt));
    if (guess >= 0 && guess < static_cast<int>(q.choices.size()))
        html += QStringLiteral("<p>The class says <b>%1</b>: %2</p>")
                    .arg(guess + 1)
                    .arg(esc(q.choices[static_cast<std::size_t>(guess)].text));
    html += QStringLiteral("<p>The call runs now; waiting for the kernel...</p>");
    present(html);
}

void QuizOverlay::showVerdict(const QuizVerdict &v, const QString &score)
{
    const QuizQuestion &q = v.question;
    const QString headline = v.guess < 0 ? QStringLiteral("Revealed")
        : v.right()                      ? QStringLiteral("<span style='color:#26a269'>Right!</span>")
                                         : QStringLiteral("<span style='color:#c01c28'>Wrong</span>");
    QString html = QStringLiteral("<div style='font-size:small;color:#555'>Question %1 &middot; %2</div>")
                       .arg(q.number)
                       .arg(esc(q.topic));
    html += QStringLiteral("<p><b>%1</b> &nbsp; The kernel: %2 %3</p>")
                .arg(headline, esc(q.role + "'s " + eventKindName(q.call)), esc(v.actual.describe()));
    for (std::size_t i = 0; i < q.choices.size(); ++i) {
        const int n = static_cast<int>(i);
        const bool kernel = n == v.actualChoice;
        const bool guess = n == v.guess;
        QString mark = kernel ? QStringLiteral("<b style='color:#26a269'>&#10004; kernel</b>")
            : guess           ? QStringLiteral("<b style='color:#c01c28'>&#10008;</b>")
                              : QString();
        if (guess)
            mark += QStringLiteral(" <i>(the class's guess)</i>");
        const QString text = kernel ? QStringLiteral("<b>%1</b>").arg(esc(q.choices[i].text)) : esc(q.choices[i].text);
        html += QStringLiteral("<div>%1&nbsp;&nbsp;%2 %3</div>").arg(i + 1).arg(text, mark);
    }
    html += QStringLiteral("<p>Why: %1.</p>").arg(esc(q.reason));
    html += QStringLiteral("<div style='font-size:small;color:#555'>%1 &middot; Space goes on</div>").arg(score);
    present(html);
}

void QuizOverlay::showNote(const QString &title, const QString &text)
{
    present(QStringLiteral("<p><b>%1</b></p><p>%2</p>").arg(title.toHtmlEscaped(), text.toHtmlEscaped()));
}

void QuizOverlay::place()
{
    // The lower part of the stage, so the held process and its pipe stay in sight above it.
    const int width = m_host->width() * 9 / 10;
    const int labelWidth = std::max(100, width - 48);
    m_label->setFixedWidth(labelWidth);
    const int margin = m_host->height() / 30;
    const int top = std::clamp(m_top, 0, m_host->height() / 3);
    const int room = std::min(m_host->height() * 7 / 10, m_host->height() - top - 2 * margin);
    // A long card on a small stage (docks open at 1024x768) takes smaller type until its last
    // line fits: a cut-off answer or "Press 1-4" would leave the class guessing what to do.
    const QMargins pad = layout()->contentsMargins();
    QFont f = font();
    for (int px = basePixels();; --px) {
        f.setPixelSize(px);
        m_label->setFont(f);
        if (px <= kSmallestPixels || m_label->heightForWidth(labelWidth) + pad.top() + pad.bottom() <= room)
            break;
    }
    const int height = std::min(room, m_label->heightForWidth(labelWidth) + pad.top() + pad.bottom());
    // Along the bottom edge, unless the node it asks about is down there: then along the top.
    const bool atTop = m_avoid.isValid() && m_avoid.center().y() > m_host->height() / 2;
    setGeometry(
        (m_host->width() - width) / 2, atTop ? top + margin : m_host->height() - height - margin, width, height);
    Q_EMIT coverChanged(geometry());
}

void QuizOverlay::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    Q_EMIT coverChanged(QRect());
}

bool QuizOverlay::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_host && event->type() == QEvent::Resize && isVisible())
        place();
    return QWidget::eventFilter(watched, event);
}

void QuizOverlay::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(0x1a, 0x5f, 0xb4), 3));
    p.setBrush(QColor(255, 255, 250, 240));
    p.drawRoundedRect(rect().adjusted(2, 2, -2, -2), 14, 14);
}

} // namespace pipescope
