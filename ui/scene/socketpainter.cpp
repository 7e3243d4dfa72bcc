#include "ui/scene/socketpainter.h"

#include "ui/scene/units.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>

namespace pipescope
{

namespace
{

/// Text smaller than this many pixels on screen is not drawn (as for a pipe).
constexpr qreal kMinTextPx = 7;

void arrow(QPainter *painter, const QColor &colour, qreal from, qreal to, qreal y)
{
    const qreal dir = to > from ? 1 : -1;
    painter->setPen(QPen(colour, 3, Qt::SolidLine, Qt::FlatCap));
    painter->drawLine(QPointF(from, y), QPointF(to - dir * 10, y));
    painter->setPen(Qt::NoPen);
    painter->setBrush(colour);
    painter->drawPolygon(QPolygonF {{to, y}, {to - dir * 13, y - 7}, {to - dir * 13, y + 7}});
    painter->setBrush(Qt::NoBrush);
}

void endMark(QPainter *painter, const Theme &t, const QRectF &tb, bool left, bool closed)
{
    const qreal x = left ? tb.left() - 8 : tb.right() + 8;
    if (closed) {
        QPainterPath zig;
        const qreal dx = left ? -7 : 7;
        zig.moveTo(x, tb.top() - 4);
        for (int i = 1; i <= 6; ++i)
            zig.lineTo(x + (i % 2 ? dx : 0), tb.top() - 4 + i * (tb.height() + 8) / 6);
        painter->setPen(QPen(t.blocked, 4));
        painter->drawPath(zig);
    } else {
        painter->setPen(QPen(t.pipeBody, 6, Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(QPointF(x, tb.top() + 4), QPointF(x, tb.bottom() - 4));
    }
}

} // namespace

QString SocketPainter::label(const Look &look)
{
    return QStringLiteral("socket pair [%1] \u21c4 [%2]").arg(look.inode).arg(look.inode2);
}

QString SocketPainter::flowLine(const Look &look)
{
    if (look.sent1 <= 0 && look.sent2 <= 0)
        return QStringLiteral("both ends read and write");
    // Written, as the writer's node counts it ("out 16 B"), and what a read has not taken yet: a
    // socket holds bytes like a pipe does, and the class must see them wait there.
    auto way = [](const QString &arrow, qint64 sent, qint64 got, bool eof) {
        QString text = arrow + QStringLiteral(" ") + Units::bytes(sent);
        if (const qint64 queued = sent - got; queued > 0)
            text += QStringLiteral(", %1 queued").arg(Units::bytes(queued));
        return eof ? text + QStringLiteral(", EOF") : text;
    };
    const QString oneToTwo = way(QStringLiteral("\u2192"), look.sent1, look.got2, look.eof2);
    const QString twoToOne = way(QStringLiteral("\u2190"), look.sent2, look.got1, look.eof1);
    QString first = oneToTwo, second = twoToOne;
    if (!look.flowsRight) { // end 2 is drawn on the left: its direction points right
        first = QString(twoToOne).replace(0, 1, QStringLiteral("\u2192"));
        second = QString(oneToTwo).replace(0, 1, QStringLiteral("\u2190"));
    }
    return first + QStringLiteral(" \u00b7 ") + second;
}

void SocketPainter::paint(
    QPainter *painter, const Theme &t, const QRectF &tb, const QSizeF &size, const Look &look, qreal pxPerPt)
{
    painter->setRenderHint(QPainter::Antialiasing);
    // The body: a connection, not a buffer with one fill, so no gauge; two lanes inside, one per direction.
    const qreal round = tb.height() / 2;
    painter->setPen(Qt::NoPen);
    painter->setBrush(t.pipeBody);
    painter->drawRoundedRect(tb.adjusted(-2, -2, 2, 2), round + 2, round + 2);
    const QRectF inside = tb.adjusted(2, 2, -2, -2);
    painter->setBrush(t.nodeFill);
    painter->drawRoundedRect(inside, inside.height() / 2, inside.height() / 2);
    painter->setBrush(Qt::NoBrush);
    // End 1 faces the side its holders are on.
    const bool oneLeft = look.flowsRight;
    endMark(painter, t, tb, oneLeft, look.closed1);
    endMark(painter, t, tb, !oneLeft, look.closed2);
    const qreal left = inside.left() + round, right = inside.right() - round;
    const qreal upper = inside.top() + inside.height() * 0.3, lower = inside.top() + inside.height() * 0.7;
    // Upper lane: end 1 to end 2; lower lane: end 2 to end 1.
    arrow(painter, t.pipeFill.darker(130), oneLeft ? left : right, oneLeft ? right : left, upper);
    arrow(painter, t.chunk.darker(130), oneLeft ? right : left, oneLeft ? left : right, lower);
    if (t.smallPt * pxPerPt < kMinTextPx)
        return;

    const QRectF labelBox(tb.left(), 0, size.width() - tb.left(), tb.top() - 4);
    painter->setPen(t.text);
    painter->setFont(t.font(t.bodyPt, true));
    const QFontMetricsF labelFm(painter->font());
    // The heading names the kind; each end's inode (as /proc shows it) stands under its side.
    const QString text = QStringLiteral("socket pair");
    painter->drawText(labelBox, Qt::AlignLeft | Qt::AlignVCenter, text);
    if (!look.tag.isEmpty()) {
        painter->setOpacity(look.tagAlpha);
        painter->setFont(t.font(t.smallPt, true));
        const qreal w = QFontMetricsF(painter->font()).horizontalAdvance(look.tag) + 16;
        const QRectF bubble(
            labelBox.left() + labelFm.horizontalAdvance(text) + 8, labelBox.top() + 2, w, labelBox.height() - 2);
        painter->setPen(QPen(t.markText, 2));
        painter->setBrush(t.mark);
        painter->drawRoundedRect(bubble, 8, 8);
        painter->drawText(bubble, Qt::AlignCenter, look.tag);
        painter->setBrush(Qt::NoBrush);
        painter->setOpacity(1);
    }

    painter->setFont(t.font(t.smallPt, true));
    const QFontMetricsF fm(painter->font());
    const QRectF ends(tb.left() - 6, tb.bottom() + 3, tb.width() + 12, fm.height() + 2);
    const QString one = QStringLiteral("[%1]").arg(look.inode), two = QStringLiteral("[%1]").arg(look.inode2);
    painter->setPen(look.closed1 ? t.mutedText : t.text);
    painter->drawText(ends, (oneLeft ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, one);
    painter->setPen(look.closed2 ? t.mutedText : t.text);
    painter->drawText(ends, (oneLeft ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, two);

    const bool used = look.sent1 > 0 || look.sent2 > 0;
    painter->setFont(t.font(t.smallPt, used));
    painter->setPen(used ? t.text : t.mutedText);
    const QString line = flowLine(look);
    const qreal below = ends.bottom() + 2;
    const QRectF bottom(0, below, size.width(), size.height() - below);
    // Both directions with bytes queued make a long line: a smaller type before any of it is cut.
    QFont font = painter->font();
    for (int pt = t.smallPt - 1; pt >= t.smallPt - 4 && QFontMetricsF(font).horizontalAdvance(line) > bottom.width();
         --pt)
        font = t.font(pt, used);
    painter->setFont(font);
    painter->drawText(
        bottom, Qt::AlignHCenter | Qt::AlignTop, QFontMetricsF(font).elidedText(line, Qt::ElideRight, bottom.width()));
}

} // namespace pipescope
