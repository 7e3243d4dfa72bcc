#include "ui/lessons/helpoverlay.h"

#include <QKeyEvent>
#include <QPainter>

#include <algorithm>

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
    // In the order of a lecture: run it, slow it down, pick the next one, look closer, present.
    auto row = [](const char *keys, const char *action) {
        return Shortcut {QString::fromUtf8(keys), QString::fromUtf8(action)};
    };
    return {row("Space", "run / pause / resume"), row("Right or N", "step: one syscall"), row("Esc", "stop the run"),
        row("R / Ctrl+R", "restart / clear the stage"), row("Up / Down", "faster / slower"),
        row("G", "full speed / slow motion"), row("PgDown / PgUp", "next / previous scenario"),
        row("F", "correct version on / off"), row("S", "side by side on / off"),
        row("O", "side by side: rows / columns"), row("C / L / T", "code / Python or C / timeline"),
        row("Shift+D", "fd cards on the nodes"), row("D", "fd table panel on / off"), row("Q", "quiz on / off"),
        row("+ / -", "zoom in / out"), row("0", "fit everything"), row("Ctrl+arrows", "pan (or Shift+arrows)"),
        row("Left", "replay: back"), row("Home / End", "replay: start / end"), row("F5 / F11", "present / full screen"),
        row("F1 or ?", "this help"), row("Ctrl+Q", "quit")};
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

namespace
{
bool closesHelp(const QKeyEvent *event)
{
    return event->key() == Qt::Key_Escape || event->key() == Qt::Key_F1 || event->key() == Qt::Key_Question
        || event->text() == QLatin1String("?");
}
} // namespace

bool HelpOverlay::event(QEvent *event)
{
    // Esc is also the window's Stop: while the help is up, it closes the help and stops nothing.
    if (event->type() == QEvent::ShortcutOverride && closesHelp(static_cast<QKeyEvent *>(event))) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void HelpOverlay::keyPressEvent(QKeyEvent *event)
{
    if (closesHelp(event)) {
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

namespace
{

constexpr int kGap = 24; ///< between a key cap and its action, and between columns
constexpr int kMargin = 20;

struct Fonts {
    QFont title, keys, action, foot;
};

Fonts fontsAt(const Theme &theme, int pt)
{
    return {theme.font(pt + 6, true), theme.font(pt, true), theme.font(pt), theme.font(std::max(10, pt * 3 / 4))};
}

int rowHeight(const Fonts &f)
{
    return QFontMetrics(f.action).height() + QFontMetrics(f.action).height() / 2;
}

} // namespace

HelpOverlay::Layout HelpOverlay::layoutFor(const QSize &size) const
{
    const int n = static_cast<int>(m_shortcuts.size());
    Layout best;
    for (int pt = 24; pt >= 10; pt -= 2) {
        const Fonts f = fontsAt(m_theme, pt);
        const int titleH = QFontMetrics(f.title).height() * 3 / 2;
        const int footH = QFontMetrics(f.foot).height() * 2;
        for (int columns = 1; columns <= 3; ++columns) {
            const int perColumn = (n + columns - 1) / columns;
            int width = (columns - 1) * kGap;
            for (int c = 0; c < columns; ++c) {
                int keyW = 0, actW = 0;
                for (int i = c * perColumn; i < std::min(n, (c + 1) * perColumn); ++i) {
                    keyW = std::max(keyW, QFontMetrics(f.keys).horizontalAdvance(m_shortcuts[i].keys) + 20);
                    actW = std::max(actW, QFontMetrics(f.action).horizontalAdvance(m_shortcuts[i].action) + 10);
                }
                width += keyW + kGap + actW;
            }
            const int height = titleH + perColumn * rowHeight(f) + footH;
            best = {pt, columns,
                QRect(std::max(kMargin, (size.width() - width) / 2), std::max(kMargin, (size.height() - height) / 2),
                    width, height)};
            if (width <= size.width() - 2 * kMargin && height <= size.height() - 2 * kMargin)
                return best;
        }
    }
    return best; // the smallest type in three columns: as close as it gets
}

void HelpOverlay::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    // Dark and mostly opaque: the scene shows through, the text stays readable on a projector.
    QColor veil(0x10, 0x12, 0x16);
    veil.setAlpha(225);
    p.fillRect(rect(), veil);

    const Layout layout = layoutFor(size());
    const Fonts f = fontsAt(m_theme, layout.pointSize);
    const int rowH = rowHeight(f);
    const int titleH = QFontMetrics(f.title).height() * 3 / 2;
    const int footH = QFontMetrics(f.foot).height() * 2;
    const int n = static_cast<int>(m_shortcuts.size());
    const int perColumn = (n + layout.columns - 1) / layout.columns;

    p.setPen(QColor(0xff, 0xff, 0xff));
    p.setFont(f.title);
    p.drawText(QRect(0, layout.block.top(), width(), titleH), Qt::AlignHCenter | Qt::AlignTop,
        QStringLiteral("Keyboard shortcuts"));
    int x = layout.block.left();
    for (int c = 0; c < layout.columns; ++c) {
        const int first = c * perColumn, last = std::min(n, (c + 1) * perColumn);
        int keyW = 0, actW = 0;
        for (int i = first; i < last; ++i) {
            keyW = std::max(keyW, QFontMetrics(f.keys).horizontalAdvance(m_shortcuts[i].keys) + 20);
            actW = std::max(actW, QFontMetrics(f.action).horizontalAdvance(m_shortcuts[i].action) + 10);
        }
        int y = layout.block.top() + titleH;
        for (int i = first; i < last; ++i) {
            const Shortcut &s = m_shortcuts[i];
            // Keys in a yellow (Okabe-Ito) cap, the action in white: no meaning rests on colour alone.
            const QRect keyRect(x, y, keyW, rowH - rowH / 6);
            p.setPen(Qt::NoPen);
            p.setBrush(m_theme.mark);
            p.drawRoundedRect(keyRect, 8, 8);
            p.setPen(m_theme.markText);
            p.setFont(f.keys);
            p.drawText(keyRect, Qt::AlignCenter, s.keys);
            p.setPen(QColor(0xff, 0xff, 0xff));
            p.setFont(f.action);
            p.drawText(QRect(x + keyW + kGap, y, actW, keyRect.height()), Qt::AlignLeft | Qt::AlignVCenter, s.action);
            y += rowH;
        }
        x += keyW + kGap + actW + kGap;
    }
    p.setFont(f.foot);
    p.setPen(QColor(0xdd, 0xdd, 0xdd));
    p.drawText(QRect(0, layout.block.bottom() - footH + 8, width(), footH), Qt::AlignHCenter | Qt::AlignTop,
        QStringLiteral("Esc, F1 or ? closes this help"));
}

} // namespace pipescope
