#include "ui/scene/fdcarditem.h"

#include "ui/scene/scenelayout.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <map>

namespace pipescope
{

namespace
{
constexpr qreal kPadX = 12;
constexpr qreal kIndent = 30; ///< the second line of an entry, under its description
} // namespace

FdCardItem::FdCardItem(const Theme *theme, QGraphicsItem *parent) : QGraphicsItem(parent), m_theme(theme)
{
    // Read at 2 Hz and repainted only when an entry changes: paint once, then blit.
    setCacheMode(QGraphicsItem::DeviceCoordinateCache);
}

QRectF FdCardItem::boundingRect() const
{
    return QRectF(QPointF(-2, -2), m_size + QSizeF(4, 4));
}

void FdCardItem::setGeometry(const QSizeF &size, int lines, qreal lineHeight)
{
    if (size == m_size && lines == m_lineBudget && qFuzzyCompare(lineHeight, m_lineHeight))
        return;
    prepareGeometryChange();
    m_size = size;
    m_lineBudget = lines;
    m_lineHeight = lineHeight;
    rebuild();
    update();
}

int FdCardItem::maxEntries() const
{
    return m_lineBudget >= SceneLayout::kAnnexLines ? 5 : 4;
}

QString FdCardItem::title() const
{
    if (m_frozen)
        return QStringLiteral("fds when the watchdog stopped it");
    return QStringLiteral("live fds \u00b7 PipeScope's fd 1000 hidden");
}

void FdCardItem::freezeAsStopped()
{
    if (m_frozen || m_exited || !m_read)
        return; // nothing live to keep
    m_frozen = true;
    update();
}

void FdCardItem::setExited()
{
    if (m_exited || m_frozen)
        return;
    m_exited = true;
    m_read = true;
    m_rows.clear();
    rebuild();
    update();
}

void FdCardItem::setUnread(const QString &why)
{
    if (m_read || m_unread == why)
        return;
    m_unread = why;
    update();
}

void FdCardItem::setRows(const std::vector<FdAnnotator::Row> &rows)
{
    if (m_frozen)
        return;
    const QVector<Line> before = m_lines;
    const int moreBefore = m_more;
    const bool fresh = !m_read || m_exited;
    m_read = true;
    m_exited = false;
    m_rows = rows;
    rebuild();
    if (fresh || before != m_lines || moreBefore != m_more)
        update();
}

void FdCardItem::rebuild()
{
    m_all.clear();
    QVector<Line> others;
    std::map<QString, int> byTarget; // fds on the same file share a line ("fd 0, 1, 2  /dev/null")
    for (const FdAnnotator::Row &r : m_rows) {
        if (r.entry.fd == FdAnnotator::kTelemetryFd)
            continue; // PipeScope's, not the lesson's: hidden (the title says so)
        // An end of the lesson's socket pair: it reads and writes, and its EOF waits for the other end.
        if (r.entry.socketInode && r.pipeNumber > 0) {
            Line l;
            l.fds << r.entry.fd;
            l.text = QStringLiteral("fd %1  socket pair %2, reads+writes").arg(r.entry.fd).arg(r.pipeNumber);
            l.inode = QString::fromStdString(r.entry.target);
            l.status = r.writeEndsOpen == 0 ? QStringLiteral("EOF: yes, other end closed")
                                            : QStringLiteral("EOF: no, other end open");
            m_all << l;
            continue;
        }
        // Files, sockets, terminals and pipes that are not the lesson's (say a shell's stdout): one line each.
        if (!r.entry.pipeInode || r.pipeNumber == 0) {
            const QString target = r.entry.pipeInode
                ? QStringLiteral("pipe:[%1], not the lesson's").arg(r.entry.pipeInode)
                : QString::fromStdString(r.entry.target);
            const auto it = byTarget.find(target);
            if (it != byTarget.end()) {
                Line &l = others[it->second];
                l.fds << r.entry.fd;
                QStringList numbers;
                for (const int fd : std::as_const(l.fds))
                    numbers << QString::number(fd);
                l.text = QStringLiteral("fd %1  %2").arg(numbers.join(QStringLiteral(", ")), target);
                continue;
            }
            byTarget[target] = static_cast<int>(others.size());
            Line l;
            l.fds << r.entry.fd;
            l.pipeInode = r.entry.pipeInode;
            l.writeEnd = r.entry.writeEnd;
            l.text = QStringLiteral("fd %1  %2").arg(r.entry.fd).arg(target);
            others << l;
            continue;
        }
        Line l;
        l.fds << r.entry.fd;
        l.pipeInode = r.entry.pipeInode;
        l.writeEnd = r.entry.writeEnd;
        l.shouldClose = r.shouldClose;
        l.text = QStringLiteral("fd %1  pipe %2 %3")
                     .arg(r.entry.fd)
                     .arg(r.pipeNumber)
                     .arg(r.entry.writeEnd ? QStringLiteral("write") : QStringLiteral("read"));
        if (r.entry.nonBlocking)
            l.text += QStringLiteral("  O_NONBLOCK");
        if (r.entry.closeOnExec)
            l.text += QStringLiteral("  cloexec");
        l.inode = QStringLiteral("pipe:[%1]").arg(r.entry.pipeInode);
        const int w = r.writeEndsOpen;
        if (r.shouldClose)
            l.status = QStringLiteral("\u26a0 close: %1").arg(r.brief.isEmpty() ? r.advice : r.brief);
        else if (w < 0)
            l.status = QString();
        else if (r.entry.readEnd)
            l.status = w == 0
                ? QStringLiteral("EOF: yes, no writer left")
                : QStringLiteral("EOF: no, %1 writer%2").arg(w).arg(w == 1 ? QString() : QStringLiteral("s"));
        else
            l.status = QStringLiteral("%1 write end%2 open").arg(w).arg(w == 1 ? QString() : QStringLiteral("s"));
        m_all << l;
    }
    // Ends to close first (what the lesson is about), then pipe ends by fd, then the rest.
    std::stable_sort(m_all.begin(), m_all.end(), [](const Line &a, const Line &b) {
        if (a.shouldClose != b.shouldClose)
            return a.shouldClose;
        return a.fds.front() < b.fds.front();
    });
    m_all += others;

    m_lines.clear();
    int used = 1; // the title
    const int max = maxEntries();
    for (int i = 0; i < m_all.size(); ++i) {
        const bool last = i + 1 == m_all.size();
        const int need = linesOf(m_all[i]) + (last ? 0 : 1); // keep a line for "+N more"
        if (m_lines.size() >= max || used + need > m_lineBudget)
            break;
        m_lines << m_all[i];
        used += linesOf(m_all[i]);
    }
    m_more = static_cast<int>(m_all.size() - m_lines.size());
}

int FdCardItem::rowPointSize() const
{
    // A point above the node's counters line: these are read from the back of the room too.
    const bool compact = m_lineBudget < SceneLayout::kAnnexLines;
    return compact ? m_theme->smallPt - 1 : m_theme->smallPt + 1;
}

void FdCardItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    if (m_size.isEmpty())
        return;
    const Theme &t = *m_theme;
    int used = 1;
    if (!m_read || m_exited || m_lines.isEmpty())
        used = 2;
    for (const Line &l : m_lines)
        used += linesOf(l);
    used += m_more > 0 ? 1 : 0;
    // Only as tall as its entries: the room below stays empty rather than framing blank lines.
    const QRectF card(0, 0, m_size.width(), std::min(m_size.height(), used * m_lineHeight + 12));
    painter->setRenderHint(QPainter::Antialiasing);
    QPen border(t.mutedText, 2);
    painter->setPen(border);
    painter->setBrush(t.nodeFill);
    painter->drawRoundedRect(card.adjusted(1, 1, -1, -1), 10, 10);

    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const int pt = rowPointSize();
    if (pt * lod * 96.0 / 72.0 < 6)
        return; // too small to read: the frame alone says there is a table
    const qreal w = card.width() - 2 * kPadX;
    qreal y = 6;
    auto row = [&](qreal height = 1) {
        const QRectF r(kPadX, y, w, m_lineHeight * height);
        y += m_lineHeight * height;
        return r;
    };

    painter->setFont(t.font(pt - 2, true));
    painter->setPen(t.mutedText);
    {
        const QRectF r = row();
        const QFontMetricsF fm(painter->font());
        painter->drawText(r, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(title(), Qt::ElideRight, r.width()));
    }
    if (!m_read || m_exited) {
        painter->setFont(t.font(pt, false));
        painter->drawText(row(), Qt::AlignLeft | Qt::AlignVCenter,
            m_exited                 ? QStringLiteral("exited: fds closed by the kernel")
                : m_unread.isEmpty() ? QStringLiteral("reading /proc\u2026")
                                     : m_unread);
        return;
    }
    if (m_lines.isEmpty()) {
        painter->setFont(t.font(pt, false));
        painter->drawText(row(), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("no fds open"));
    }
    for (const Line &l : m_lines) {
        const int n = linesOf(l);
        if (l.shouldClose) {
            // Yellow with dark text and the ⚠: not told by colour alone.
            painter->setPen(QPen(t.markText, 1.5));
            painter->setBrush(t.mark);
            painter->drawRoundedRect(QRectF(kPadX - 6, y + 1, w + 12, n * m_lineHeight - 2), 6, 6);
        }
        const QColor ink = l.shouldClose ? t.markText : t.text;
        const QRectF first = row();
        painter->setFont(t.font(pt, true));
        QFontMetricsF fm(painter->font());
        const QString fdPart = l.text.section(QStringLiteral("  "), 0, 0);
        const QString rest = l.text.section(QStringLiteral("  "), 1);
        painter->setPen(ink);
        painter->drawText(first, Qt::AlignLeft | Qt::AlignVCenter, fdPart);
        const qreal x = fm.horizontalAdvance(fdPart + QStringLiteral("  "));
        painter->setFont(t.font(pt, false));
        fm = QFontMetricsF(painter->font());
        const qreal restW = fm.horizontalAdvance(rest);
        painter->drawText(first.adjusted(x, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(rest, Qt::ElideRight, first.width() - x));
        if (n < 2)
            continue;
        const QRectF second = row().adjusted(kIndent, 0, 0, 0);
        // A read end's EOF answer is the point of most lessons: bold, like a flagged end's advice.
        const bool eof = l.status.startsWith(QLatin1String("EOF:"));
        const QFont statusFont = t.font(pt, l.shouldClose || eof);
        const qreal statusW = QFontMetricsF(statusFont).horizontalAdvance(l.status);
        // The inode, small and muted, where there is room: after the first line, else after the
        // status; the status and the flags are never squeezed for it.
        painter->setFont(t.font(pt - 2, false));
        fm = QFontMetricsF(painter->font());
        painter->setPen(l.shouldClose ? t.markText : t.mutedText);
        const qreal inodeW = fm.horizontalAdvance(l.inode) + 12;
        if (x + restW + inodeW <= first.width())
            painter->drawText(first, Qt::AlignRight | Qt::AlignVCenter, l.inode);
        else if (statusW + inodeW <= second.width())
            painter->drawText(second, Qt::AlignRight | Qt::AlignVCenter, l.inode);
        painter->setFont(statusFont);
        fm = QFontMetricsF(painter->font());
        painter->setPen(ink);
        painter->drawText(
            second, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(l.status, Qt::ElideRight, second.width()));
    }
    if (m_more > 0) {
        painter->setFont(t.font(pt - 2, true));
        painter->setPen(t.mutedText);
        painter->drawText(row(), Qt::AlignLeft | Qt::AlignVCenter,
            QStringLiteral("+%1 more (all of them: D, the fd table tab)").arg(m_more));
    }
}

} // namespace pipescope
