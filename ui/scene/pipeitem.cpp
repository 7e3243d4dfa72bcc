#include "ui/scene/pipeitem.h"
#include "ui/scene/stamp.h"

#include "ui/scene/glide.h"

#include "ui/scene/scenelayout.h"
#include "ui/scene/socketpainter.h"
#include "ui/scene/units.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace pipescope
{

namespace
{
/// Text smaller than this many pixels on screen is not drawn: nobody can read it.
constexpr qreal kMinTextPx = 7;
/// A mark after a long heading reaches at most this far past the right edge (the heading is elided first).
constexpr qreal kMaxOverhang = 132;
constexpr qreal kTagGap = 8; ///< between the heading and its mark
} // namespace

PipeItem::PipeItem(const Theme *theme, const QSizeF &size) : m_theme(theme), m_size(size)
{
    setZValue(1);
    // Its look changes only when a counter or the gauge does: paint it once, then blit.
    setCacheMode(QGraphicsItem::DeviceCoordinateCache);
    updateReach();
}

QRectF PipeItem::boundingRect() const
{
    // A mark after the label may reach past the right edge: as far as m_reach.
    return QRectF(-8, -4, std::max(m_size.width(), m_reach) + 10, m_size.height() + 8);
}

QString PipeItem::heading() const
{
    return m_kind == ChannelKind::Socket ? QStringLiteral("socket pair") : label();
}

void PipeItem::updateReach(const QString &tag)
{
    const QFontMetricsF tagFm(m_theme->font(m_theme->smallPt, true));
    if (m_widestTag == 0) {
        // The marks the scene shows on a pipe: the bounds hold the widest from the start.
        for (const char *known : {"EAGAIN: pipe full", "EAGAIN: empty", "EPIPE: no reader", "read() = 0: EOF", "ready"})
            m_widestTag = std::max(m_widestTag, tagFm.horizontalAdvance(QLatin1String(known)) + 16);
    }
    if (!tag.isEmpty())
        m_widestTag = std::max(m_widestTag, tagFm.horizontalAdvance(tag) + 16);
    const qreal left = tube().left();
    const qreal headingW = std::min(
        m_size.width() - left, QFontMetricsF(m_theme->font(m_theme->bodyPt, true)).horizontalAdvance(heading()));
    const qreal reach
        = std::clamp(left + headingW + kTagGap + m_widestTag, m_size.width(), m_size.width() + kMaxOverhang);
    if (reach != m_reach) {
        prepareGeometryChange();
        m_reach = reach;
    }
}

QRectF PipeItem::tube() const
{
    return SceneLayout::tube(QRectF(QPointF(0, 0), m_size));
}

void PipeItem::setSize(const QSizeF &size)
{
    if (size == m_size)
        return;
    prepareGeometryChange();
    m_size = size;
    updateReach();
}

void PipeItem::update(const PipeInfo &info, int openWriteEnds, int openReadEnds, double rate)
{
    // Repaint (and refill the cache) only when something shown changes: a rate
    // is shown rounded, so a tiny change of it is not a change.
    bool changed = m_inode != info.inode || m_capacity != info.capacity || m_written != info.written
        || m_read != info.read || m_eof != info.eofSeen || m_writeClosed != (openWriteEnds == 0)
        || m_readClosed != (openReadEnds == 0) || m_externalReader != info.externalReader
        || m_externalWriter != info.externalWriter || Units::rate(m_rate) != Units::rate(rate)
        || (m_rate > 0) != (rate > 0) || m_purpose.toStdString() != info.purpose || m_fill != info.inBuffer()
        || m_kind != info.kind || m_written2 != info.written2 || m_read2 != info.read2 || m_eof2 != info.eofSeen2
        || m_inode2 != info.inode2;
    const bool newHeading = m_kind != info.kind || m_inode != info.inode || m_path.toStdString() != info.path;
    m_kind = info.kind;
    m_path = QString::fromStdString(info.path);
    m_inode2 = info.inode2;
    m_written2 = info.written2;
    m_read2 = info.read2;
    m_eof2 = info.eofSeen2;
    m_fill = info.inBuffer();
    m_inode = info.inode;
    m_purpose = QString::fromStdString(info.purpose);
    m_capacity = info.capacity;
    m_written = info.written;
    m_read = info.read;
    m_eof = info.eofSeen;
    m_rate = rate;
    m_writeClosed = openWriteEnds == 0;
    m_readClosed = openReadEnds == 0;
    m_externalReader = info.externalReader;
    m_externalWriter = info.externalWriter;
    // "ready" stays only while it is true: once the bytes select saw are read, it goes.
    if (m_ready && !readable()) {
        m_ready = false;
        changed = true;
    }
    dropStaleMark();
    if (newHeading)
        updateReach();
    if (changed)
        QGraphicsItem::update();
}

void PipeItem::setFlowsRight(bool right)
{
    if (m_flowsRight != right) {
        m_flowsRight = right;
        QGraphicsItem::update();
    }
}

void PipeItem::setConnectors(const QVector<Connector> &connectors)
{
    m_connectors = connectors;
}

bool PipeItem::readable() const
{
    // What select's "ready" promises: a read returns at once, with bytes or with EOF.
    return m_fill > 0 || (m_writeClosed && !m_readClosed);
}

void PipeItem::markReady()
{
    if (!readable())
        return; // already drained by the time it is drawn: the flash said it
    if (!m_ready) {
        m_ready = true;
        QGraphicsItem::update();
    }
}

void PipeItem::clearReady()
{
    if (m_ready) {
        m_ready = false;
        QGraphicsItem::update();
    }
}

QPointF PipeItem::mouth(bool writeEnd) const
{
    const QRectF t = tube();
    const bool left = writeEnd == m_flowsRight;
    return mapToScene(QPointF(left ? t.left() : t.right(), t.center().y()));
}

QPointF PipeItem::fillFront() const
{
    const QRectF t = tube();
    const qreal len = t.width() * (1 - m_shownFill);
    return mapToScene(QPointF(m_flowsRight ? t.left() + len : t.right() - len, t.center().y()));
}

void PipeItem::flash(const QString &text, qint64 expiresMs)
{
    updateReach(text);
    m_mark.show(text, expiresMs);
    dropStaleMark();
    QGraphicsItem::update();
}

void PipeItem::dropStaleMark()
{
    // A badge is shown only while it is true: an "empty" pipe that now holds
    // bytes, or a "full" one with a free page again, no longer says so.
    constexpr qint64 kPage = 4096; // the kernel frees pipe space in pages
    const bool stale = (m_mark.text.startsWith(QLatin1String("EAGAIN: empty")) && inBuffer() > 0)
        || (m_mark.text.startsWith(QLatin1String("EAGAIN: pipe full")) && m_capacity > 0
            && inBuffer() <= m_capacity - kPage && fillBound() == Bound::Exact);
    if (stale) {
        m_mark.text.clear();
        QGraphicsItem::update();
    }
}

PipeItem::Bound PipeItem::fillBound() const
{
    // Uncounted reads make "written - read" too big, uncounted writes too small.
    if (m_externalReader && m_externalWriter)
        return Bound::Unknown;
    if (m_externalReader)
        return Bound::AtMost;
    if (m_externalWriter)
        return Bound::AtLeast;
    return Bound::Exact;
}

QString PipeItem::fillText() const
{
    const QString cap = Units::bytes(m_capacity);
    const qint64 held = m_fill;
    switch (fillBound()) {
    case Bound::Exact: break;
    case Bound::AtMost: return QStringLiteral("at most %1 / %2").arg(Units::bytes(held), cap);
    case Bound::AtLeast: return QStringLiteral("at least %1 / %2").arg(Units::bytes(held), cap);
    case Bound::Unknown: return QStringLiteral("? / %1 (not observed)").arg(cap);
    }
    return QStringLiteral("%1 / %2").arg(Units::bytes(held), cap);
}

void PipeItem::setTarget(const QPointF &pos, bool jump)
{
    m_target = pos;
    if (jump)
        setPos(pos);
}

bool PipeItem::animate(qint64 nowMs)
{
    bool moving = glideTowards(this, m_target);
    const qreal fill = m_capacity > 0 ? std::min<qreal>(1.0, static_cast<qreal>(inBuffer()) / m_capacity) : 0;
    if (std::abs(fill - m_shownFill) > 0.002) {
        m_shownFill += (fill - m_shownFill) * 0.3;
        QGraphicsItem::update();
        moving = true;
    } else if (fill != m_shownFill) {
        m_shownFill = fill;
        QGraphicsItem::update();
    }
    bool repaint = false;
    moving |= m_mark.step(nowMs, &repaint);
    if (repaint)
        QGraphicsItem::update();
    return moving;
}

SocketPainter::Look PipeItem::socketLook() const
{
    SocketPainter::Look look;
    look.inode = m_inode;
    look.inode2 = m_inode2;
    look.sent1 = m_written;
    look.got2 = m_read;
    look.sent2 = m_written2;
    look.got1 = m_read2;
    // For a socket pair the scene passes the holders of end 1 and end 2 as the write and read ends.
    look.closed1 = m_writeClosed;
    look.closed2 = m_readClosed;
    look.eof1 = m_eof2;
    look.eof2 = m_eof;
    look.flowsRight = m_flowsRight;
    look.tag = m_mark.visible() ? m_mark.text : QString();
    look.tagAlpha = m_mark.alpha;
    return look;
}

QString PipeItem::label() const
{
    switch (m_kind) {
    case ChannelKind::Socket: return SocketPainter::label(socketLook());
    case ChannelKind::Fifo: return QStringLiteral("fifo %1").arg(m_path);
    case ChannelKind::Pipe: break;
    }
    return QStringLiteral("pipe:[%1]").arg(m_inode);
}

void PipeItem::paintEnds(QPainter *p, const QRectF &tb) const
{
    const Theme &t = *m_theme;
    p->setBrush(Qt::NoBrush);
    for (const bool writeEnd : {true, false}) {
        const bool left = writeEnd == m_flowsRight;
        const qreal x = left ? tb.left() - 8 : tb.right() + 8;
        const bool closed = writeEnd ? m_writeClosed : m_readClosed;
        if (closed) {
            QPainterPath zig;
            const qreal dx = left ? -7 : 7;
            zig.moveTo(x, tb.top() - 4);
            for (int i = 1; i <= 6; ++i)
                zig.lineTo(x + (i % 2 ? dx : 0), tb.top() - 4 + i * (tb.height() + 8) / 6);
            p->setPen(QPen(t.blocked, 4));
            p->drawPath(zig);
        } else {
            p->setPen(QPen(t.pipeBody, 6, Qt::SolidLine, Qt::RoundCap));
            p->drawLine(QPointF(x, tb.top() + 4), QPointF(x, tb.bottom() - 4));
        }
    }
}

void PipeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Theme &t = *m_theme;
    painter->setRenderHint(QPainter::Antialiasing);
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const qreal pxPerPt = lod * 96.0 / 72.0;
    if (m_kind == ChannelKind::Socket) {
        SocketPainter::paint(painter, t, tube(), m_size, socketLook(), pxPerPt);
        return;
    }

    const QRectF tb = tube();
    const qreal round = tb.height() / 2;
    // The buffer: fill anchored at the read end, where the oldest bytes wait.
    // The wall is the body's colour under the inside: two fills cost less than stroking the outline
    // (every zoom step repaints every pipe).
    const QRectF inside = tb.adjusted(2, 2, -2, -2);
    const qreal insideRound = inside.height() / 2;
    // The empty tube has no text: pipes of one size share one stamp of it (see Stamp).
    const QString tubeKey = QStringLiteral("tube %1,%2 %3x%4 %5 %6")
                                .arg(tb.left())
                                .arg(tb.top())
                                .arg(tb.width())
                                .arg(tb.height())
                                .arg(t.pipeBody.rgba())
                                .arg(t.nodeFill.rgba());
    Stamp::draw(painter, tubeKey, tb.adjusted(-3, -3, 3, 3), [&](QPainter *p) {
        p->setPen(Qt::NoPen);
        p->setBrush(t.pipeBody);
        p->drawRoundedRect(tb.adjusted(-2, -2, 2, 2), round + 2, round + 2);
        p->setBrush(t.nodeFill);
        p->drawRoundedRect(inside, insideRound, insideRound);
    });
    painter->setPen(Qt::NoPen);
    if (m_shownFill > 0) {
        const qreal w = std::max<qreal>(insideRound, inside.width() * m_shownFill);
        const QRectF fill = m_flowsRight ? QRectF(inside.right() - w, inside.top(), w, inside.height())
                                         : QRectF(inside.left(), inside.top(), w, inside.height());
        painter->setBrush(t.pipeFill);
        painter->drawRoundedRect(fill, insideRound, insideRound);
    }
    painter->setBrush(Qt::NoBrush);

    // Ends: a bar for an open end, a zigzag cut for an end every process has closed.
    const QString endsKey = QStringLiteral("ends %1,%2 %3x%4 %5%6%7 %8 %9")
                                .arg(tb.left())
                                .arg(tb.top())
                                .arg(tb.width())
                                .arg(tb.height())
                                .arg(int(m_flowsRight))
                                .arg(int(m_writeClosed))
                                .arg(int(m_readClosed))
                                .arg(t.blocked.rgba())
                                .arg(t.pipeBody.rgba());
    Stamp::draw(painter, endsKey, tb.adjusted(-20, -8, 20, 8), [&](QPainter *p) { paintEnds(p, tb); });
    if (t.smallPt * pxPerPt < kMinTextPx)
        return; // too small to read: the shape alone

    // Label line: the inode on the left, a lasting "ready" tag or a short-lived mark on the right.
    const QRectF labelBox(tb.left(), 0, m_size.width() - tb.left(), tb.top() - 4);
    painter->setPen(t.text);
    painter->setFont(t.font(t.bodyPt, true));
    const QString tag = m_mark.visible() ? m_mark.text : m_ready ? QStringLiteral("ready") : QString();
    const qreal tagW = tag.isEmpty() ? 0 : QFontMetricsF(t.font(t.smallPt, true)).horizontalAdvance(tag) + 16;
    // A FIFO's path may be long: its end (the name) matters most. With a mark after it, the label leaves
    // the mark room inside the item's bounds (the rect the view fits, and the cache's clip).
    const qreal labelRoom
        = tag.isEmpty() ? labelBox.width() : std::min(labelBox.width(), m_reach - labelBox.left() - tagW - kTagGap);
    const QString label = QFontMetricsF(painter->font()).elidedText(this->label(), Qt::ElideMiddle, labelRoom);
    const qreal labelW = QFontMetricsF(painter->font()).horizontalAdvance(label);
    painter->drawText(labelBox, Qt::AlignLeft | Qt::AlignVCenter, label);

    if (!tag.isEmpty()) {
        painter->setOpacity(m_mark.visible() ? std::max<qreal>(m_mark.alpha, m_ready ? 1 : 0) : 1);
        painter->setFont(t.font(t.smallPt, true));
        // Right after the inode, never over it; the mark may reach past the tube, never past the bounds.
        const QRectF bubble(labelBox.left() + labelW + kTagGap, labelBox.top() + 2, tagW, labelBox.height() - 2);
        painter->setPen(QPen(t.markText, 2));
        painter->setBrush(t.mark);
        painter->drawRoundedRect(bubble, 8, 8);
        painter->drawText(bubble, Qt::AlignCenter, tag);
        painter->setOpacity(1);
        painter->setFont(t.font(t.bodyPt, true));
    }

    painter->setPen(t.text);
    painter->drawText(
        tb, Qt::AlignCenter, QFontMetricsF(painter->font()).elidedText(fillText(), Qt::ElideRight, tb.width() - 16));

    // Direction, in words a student can read: "write end --> read end" under the tube.
    painter->setFont(t.font(t.smallPt, true));
    const QFontMetricsF endFm(painter->font());
    const QRectF ends(tb.left() - 6, tb.bottom() + 3, tb.width() + 12, endFm.height() + 2);
    const QString writeWord = QStringLiteral("write end"), readWord = QStringLiteral("read end");
    const qreal ww = endFm.horizontalAdvance(writeWord), rw = endFm.horizontalAdvance(readWord);
    painter->setPen(m_writeClosed ? t.mutedText : t.text);
    painter->drawText(ends, (m_flowsRight ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, writeWord);
    painter->setPen(m_readClosed ? t.mutedText : t.text);
    painter->drawText(ends, (m_flowsRight ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, readWord);
    const qreal from = m_flowsRight ? ends.left() + ww + 10 : ends.right() - ww - 10;
    const qreal to = m_flowsRight ? ends.right() - rw - 10 : ends.left() + rw + 10;
    if (std::abs(to - from) > 24) {
        const qreal y = ends.center().y();
        const qreal dir = to > from ? 1 : -1;
        painter->setPen(QPen(t.pipeBody, 3, Qt::SolidLine, Qt::FlatCap));
        painter->drawLine(QPointF(from, y), QPointF(to - dir * 10, y));
        painter->setPen(Qt::NoPen);
        painter->setBrush(t.pipeBody);
        painter->drawPolygon(QPolygonF {{to, y}, {to - dir * 13, y - 7}, {to - dir * 13, y + 7}});
        painter->setBrush(Qt::NoBrush);
    }

    // What went through it: dark and bold once bytes moved, muted while none did.
    const bool used = m_written > 0 || m_read > 0;
    painter->setFont(t.font(t.smallPt, used));
    painter->setPen(used ? t.text : t.mutedText);
    const qreal below = ends.bottom() + 2;
    const QRectF bottom(0, below, m_size.width(), m_size.height() - below);
    const QFontMetricsF fm(painter->font());
    if (m_purpose.isEmpty()) {
        painter->drawText(bottom, Qt::AlignHCenter | Qt::AlignTop, throughText(fm, bottom.width()));
        return;
    }
    // A pipe that is not the data path says first what it is for, in italics, so nobody wonders why it is there.
    QFont purposeFont = t.font(t.smallPt, true);
    purposeFont.setItalic(true);
    const QString purpose = m_purpose + QStringLiteral(" \u00b7 ");
    const qreal pw = QFontMetricsF(purposeFont).horizontalAdvance(purpose);
    const QString rest = throughText(fm, std::max<qreal>(0, bottom.width() - pw));
    const qreal x = bottom.left() + std::max<qreal>(0, (bottom.width() - pw - fm.horizontalAdvance(rest)) / 2);
    const QFont restFont = painter->font();
    painter->setFont(purposeFont);
    painter->drawText(QRectF(x, below, pw, bottom.height()), Qt::AlignLeft | Qt::AlignTop, purpose);
    painter->setFont(restFont);
    painter->drawText(
        QRectF(x + pw, below, bottom.right() - x - pw, bottom.height()), Qt::AlignLeft | Qt::AlignTop, rest);
}

QString PipeItem::throughText(const QFontMetricsF &fm, qreal width) const
{
    const bool used = m_written > 0 || m_read > 0;
    QString tail;
    if (m_rate > 0)
        tail = QStringLiteral(" \u00b7 %1").arg(Units::rate(m_rate));
    else if (m_eof)
        tail = QStringLiteral(" \u00b7 EOF");
    if (!used) {
        const QString nothing = QStringLiteral("nothing written") + tail;
        return fm.horizontalAdvance(nothing) <= width
            ? nothing
            : fm.elidedText(QStringLiteral("wrote 0 B") + tail, Qt::ElideRight, width); // 'exec status · ...'
    }
    const QString line = QStringLiteral("wrote %1 \u00b7 read %2")
                             .arg(Units::bytes(shownWritten()) + (m_externalWriter ? QStringLiteral("+?") : QString()),
                                 Units::bytes(m_read) + (m_externalReader ? QStringLiteral("+?") : QString()))
        + tail;
    if (fm.horizontalAdvance(line) <= width)
        return line;
    // Everything written was read (both counts exact): one number says it.
    if (!m_externalWriter && !m_externalReader && shownWritten() == m_read) {
        const QString through = QStringLiteral("%1 through").arg(Units::bytes(m_read)) + tail;
        return fm.elidedText(through, Qt::ElideRight, width);
    }
    return fm.elidedText(line, Qt::ElideRight, width);
}

} // namespace pipescope
