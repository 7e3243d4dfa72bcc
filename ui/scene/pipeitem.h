#pragma once

#include "ui/scene/fadingmark.h"

#include "core/model/runstate.h"
#include "ui/scene/socketpainter.h"
#include "ui/scene/theme.h"

#include <QFontMetricsF>
#include <QGraphicsItem>
#include <QPainterPath>
#include <QVector>

#include <algorithm>

namespace pipescope
{

/// One kernel pipe: its inode, a gauge of the bytes in its buffer against its
/// capacity, and its counters. It knows its connectors (from the processes
/// holding its write end to its write side and from its read side to the
/// processes holding its read end); the scene draws them all in one layer.
/// An end nobody holds any more is drawn cut off.
class PipeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 2 };

    /// A line from a pipe end to a process node, in scene coordinates.
    struct Connector {
        QPainterPath path; ///< starts at the node, ends at the pipe
        bool writeEnd = false;
        bool closed = false; ///< the process held this end and closed it
    };

    PipeItem(const Theme *theme, const QSizeF &size);
    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    void setSize(const QSizeF &size);
    void update(const PipeInfo &info, int openWriteEnds, int openReadEnds, double rate);
    std::uint64_t inode() const { return m_inode; }
    /// A pipe, a FIFO (drawn as a pipe, named by its path) or a socket pair (drawn as one, see SocketPainter).
    ChannelKind kind() const { return m_kind; }
    /// The heading shown above it: "pipe:[N]", "fifo /tmp/.../fifo", "socket pair [a] <-> [b]".
    QString label() const;
    /// What the pipe is for when it is not the data path ("start signal"), else empty.
    QString purpose() const { return m_purpose; }
    /// Bytes in the buffer: the counters' difference, or FIONREAD's answer while a writer is blocked.
    qint64 inBuffer() const { return m_fill; }
    qint64 capacity() const { return m_capacity; }
    bool writeClosed() const { return m_writeClosed; }
    bool readClosed() const { return m_readClosed; }

    /// Data flows left to right (the write end is on the left) unless told otherwise.
    void setFlowsRight(bool right);
    bool flowsRight() const { return m_flowsRight; }
    void setConnectors(const QVector<Connector> &connectors);
    const QVector<Connector> &connectors() const { return m_connectors; }
    /// The pipe's write (or read) mouth in scene coordinates.
    QPointF mouth(bool writeEnd) const;
    /// Where the bytes in the buffer begin, seen from the write end (scene coordinates).
    QPointF fillFront() const;

    void flash(const QString &text, qint64 expiresMs);
    /// The short-lived mark shown now ("EAGAIN: empty"), empty when none.
    QString mark() const { return m_mark.text; }
    /// The fill as the label says it: "16 B / 64 KiB", with "(at most)" or
    /// "(at least)" when an unobserved program holds an end, so the count is a bound.
    QString fillText() const;
    /// The line under the pipe, what went through it ("wrote 128 KiB · read 128 KiB · EOF"),
    /// said shorter when it would not fit in width at fm ("128 KiB through · EOF" once every
    /// byte written was read, "wrote 0 B · EOF" for "nothing written · EOF"), and only then elided.
    QString throughText(const QFontMetricsF &fm, qreal width) const;
    /// What kind of number the fill is: exact, or a bound (an exec'd program's reads or writes are not counted).
    enum class Bound { Exact, AtMost, AtLeast, Unknown };
    Bound fillBound() const;
    /// Read never exceeds written on screen: a write still in progress counts what was already read of it.
    qint64 shownWritten() const { return std::max(m_written, m_read); }
    qint64 shownRead() const { return m_read; }
    double shownRate() const { return m_rate; }
    /// select() reported it readable: the mark stays until a read takes what select promised.
    void markReady();
    /// A read consumed the data (or the EOF) select reported: "ready" is no longer news.
    void clearReady();
    /// A read would return at once: bytes in the buffer, or every write end closed.
    bool readable() const;
    bool readyMarked() const { return m_ready; }
    bool animate(qint64 nowMs);
    void setTarget(const QPointF &pos, bool jump);
    QPointF target() const { return m_target; }
    /// What a socket pair's painter draws from this item's counters (its label line: flowLine()).
    SocketPainter::Look socketLook() const;

private:
    QRectF tube() const;
    /// The two ends: a bar while open, a zigzag cut once every process closed it.
    void paintEnds(QPainter *p, const QRectF &tube) const;
    /// Clears a mark that is no longer true (EAGAIN: empty once the pipe holds bytes, ...).
    void dropStaleMark();
    /// The heading as painted ("pipe:[N]", "fifo PATH", "socket pair"), before any eliding.
    QString heading() const;
    /// Works out m_reach for the heading and the widest mark (tag: one more it may show).
    void updateReach(const QString &tag = QString());

    const Theme *m_theme;
    QSizeF m_size;
    QPointF m_target;
    std::uint64_t m_inode = 0;
    ChannelKind m_kind = ChannelKind::Pipe;
    QString m_path; ///< a FIFO's name
    std::uint64_t m_inode2 = 0; ///< a socket pair's second end
    qint64 m_written2 = 0; ///< a socket pair's other direction
    qint64 m_read2 = 0;
    bool m_eof2 = false;
    QString m_purpose;
    qint64 m_fill = 0;
    qint64 m_capacity = 0;
    qint64 m_written = 0;
    qint64 m_read = 0;
    double m_rate = 0;
    bool m_eof = false;
    bool m_writeClosed = false;
    bool m_readClosed = false;
    bool m_externalReader = false;
    bool m_externalWriter = false;
    bool m_flowsRight = true;
    qreal m_shownFill = 0; ///< eases towards the real fill so the gauge moves smoothly
    QVector<Connector> m_connectors;
    bool m_ready = false;
    FadingMark m_mark;
    /// How far right of its left edge the heading and a mark after it reach (at least its width): its
    /// bounds hold the widest mark it may show, so they do not change while marks come and go.
    qreal m_reach = 0;
    qreal m_widestTag = 0; ///< the widest mark's bubble so far
};

} // namespace pipescope
