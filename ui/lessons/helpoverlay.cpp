#include "ui/lessons/helpoverlay.h"

#include <QKeyEvent>
#include <QPainter>

namespace pipescope
{

HelpOverlay::HelpOverlay(QWidget *parent) : QWidget(parent), m_shortcuts(defaultShortcuts())
{
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_NoSystemBackground);
    hide();
    if (parent)
        parent->installEventFilter(this);
}

QList<HelpOverlay::Shortcut> HelpOverlay::defaultShortcuts()
{
    return {{QStringLiteral("Space"), QStringLiteral("run / pause")},
        {QStringLiteral("\u2192  or  N"), QStringLiteral("step: one syscall")},
        {QStringLiteral("Esc"), QStringLiteral("stop the run")}, {QStringLiteral("Ctrl+R"), QStringLiteral("reset")},
        {QStringLiteral("+  /  \u2212"), QStringLiteral("zoom in / out")},
        {QStringLiteral("F11"), QStringLiteral("full screen")},
        {QStringLiteral("F5"), QStringLiteral("presenter mode")}, {QStringLiteral("T"), QStringLiteral("timeline")},
        {QStringLiteral("D"), QStringLiteral("fd tables")},
        {QStringLiteral("Shift+D"), QStringLiteral("fd tables beside the nodes on / off")},
        {QStringLiteral("C"), QStringLiteral("code view")},
        {QStringLiteral("PgDn / PgUp"), QStringLiteral("next / previous scenario")},
        {QStringLiteral("F"), QStringLiteral("correct version on / off (pitfalls)")},
        {QStringLiteral("S"), QStringLiteral("pitfall and correct version side by side")},
        {QStringLiteral("F1  or  ?"), QStringLiteral("this help")}};
}

void HelpOverlay::setShortcuts(const QList<Shortcut> &shortcuts)
{
    m_shortcuts = shortcuts;
    update();
}

void HelpOverlay::setTheme(const Theme &theme)
{
    m_theme = theme;
    update();
}

void HelpOverlay::showOverlay()
{
    if (parentWidget())
        setGeometry(parentWidget()->rect());
    show();
    raise();
    setFocus(Qt::OtherFocusReason);
}

void HelpOverlay::toggle()
{
    if (isVisible())
        dismiss();
    else
        showOverlay();
}

void HelpOverlay::dismiss()
{
    if (!isVisible())
        return;
    hide();
    Q_EMIT dismissed();
}

bool HelpOverlay::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize && isVisible())
        setGeometry(parentWidget()->rect());
    return QWidget::eventFilter(watched, event);
}

void HelpOverlay::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape || event->key() == Qt::Key_F1 || event->key() == Qt::Key_Question
        || event->text() == QLatin1String("?")) {
        dismiss();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void HelpOverlay::mousePressEvent(QMouseEvent *event)
{
    dismiss();
    event->accept();
}

void HelpOverlay::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    // Dark and mostly opaque: the scene shows through, the text stays readable on a projector.
    QColor veil(0x10, 0x12, 0x16);
    veil.setAlpha(225);
    p.fillRect(rect(), veil);

    const QFont title = m_theme.font(30, true);
    const QFont keys = m_theme.font(24, true);
    const QFont action = m_theme.font(24);
    const int rowH = QFontMetrics(action).height() + 14;
    int keyW = 0;
    int actW = 0;
    for (const Shortcut &s : m_shortcuts) {
        keyW = std::max(keyW, QFontMetrics(keys).horizontalAdvance(s.keys));
        actW = std::max(actW, QFontMetrics(action).horizontalAdvance(s.action));
    }
    const int titleH = QFontMetrics(title).height() + 24;
    const int footH = QFontMetrics(m_theme.font(18)).height() + 16;
    const int blockW = keyW + 48 + actW;
    const int blockH = titleH + static_cast<int>(m_shortcuts.size()) * rowH + footH;
    const int x0 = std::max(20, (width() - blockW) / 2);
    int y = std::max(20, (height() - blockH) / 2);

    p.setPen(QColor(0xff, 0xff, 0xff));
    p.setFont(title);
    p.drawText(QRect(0, y, width(), titleH), Qt::AlignHCenter | Qt::AlignTop, QStringLiteral("Keyboard shortcuts"));
    y += titleH;
    for (const Shortcut &s : m_shortcuts) {
        // Keys in a yellow (Okabe-Ito) cap, the action in white: no meaning rests on colour alone.
        const QRect keyRect(x0, y, keyW + 20, rowH - 8);
        p.setPen(Qt::NoPen);
        p.setBrush(m_theme.mark);
        p.drawRoundedRect(keyRect, 8, 8);
        p.setPen(m_theme.markText);
        p.setFont(keys);
        p.drawText(keyRect, Qt::AlignCenter, s.keys);
        p.setPen(QColor(0xff, 0xff, 0xff));
        p.setFont(action);
        p.drawText(QRect(x0 + keyW + 48, y, actW + 10, rowH - 8), Qt::AlignLeft | Qt::AlignVCenter, s.action);
        y += rowH;
    }
    p.setFont(m_theme.font(18));
    p.setPen(QColor(0xdd, 0xdd, 0xdd));
    p.drawText(QRect(0, y + 8, width(), footH), Qt::AlignHCenter | Qt::AlignTop,
        QStringLiteral("Esc, F1 or ? closes this help"));
}

} // namespace pipescope
