#include "ui/scene/processitem.h"

#include "ui/scene/glide.h"
#include "ui/scene/stamp.h"

#include "core/model/eventformat.h"
#include "ui/scene/units.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QTextLayout>

#include <algorithm>
#include <cmath>

namespace pipescope
{

ProcessItem::ProcessItem(const Theme *theme, const QSizeF &size) : m_theme(theme), m_size(size)
{
    setZValue(2);
    // Its look changes only with its state or a mark: paint it once, then blit.
    setCacheMode(QGraphicsItem::DeviceCoordinateCache);
}

QRectF ProcessItem::boundingRect() const
{
    // Room for a flashed mark straddling the top edge.
    return QRectF(-6, -22, m_size.width() + 12, m_size.height() + 28);
}

void ProcessItem::setSize(const QSizeF &size)
{
    if (size == m_size)
        return;
    prepareGeometryChange();
    m_size = size;
}

void ProcessItem::update(const ProcessInfo &info, const QString &heldCall, int sleepMs)
{
    const QString before = m_stateText + m_external + m_role;
    // The runner describes any sleep in the kernel; a nanosleep is the program's own pause, not a wait on a pipe.
    const bool sleeping = info.sleeping();
    const bool same = m_pid == info.pid && m_state == info.state && m_in == info.bytesIn && m_out == info.bytesOut
        && m_sleeping == sleeping;
    m_sleeping = sleeping;
    m_pid = info.pid;
    m_role = QString::fromStdString(info.role.empty() ? std::string("process") : info.role);
    m_state = info.state;
    m_in = info.bytesIn;
    m_out = info.bytesOut;
    const QString status = QString::fromStdString(EventFormat::waitStatus(info.status));
    switch (info.state) {
    case ProcessState::Running:
        m_stateText = info.external ? QStringLiteral("running (not observed)") : QStringLiteral("running");
        break;
    case ProcessState::Held:
        m_stateText = QStringLiteral("held at its gate: %1")
                          .arg(heldCall.isEmpty() ? QString::fromStdString(info.detail) : heldCall);
        break;
    case ProcessState::Blocked:
        m_stateText = sleeping ? (sleepMs > 0 ? QStringLiteral("sleeping (nanosleep %1 ms)").arg(sleepMs)
                                              : QStringLiteral("sleeping (nanosleep)"))
                               : QString::fromStdString(info.detail).section(QLatin1String(" ["), 0, 0);
        break;
    case ProcessState::Exited: m_stateText = QStringLiteral("%1 - zombie until reaped").arg(status); break;
    case ProcessState::Reaped: m_stateText = QStringLiteral("%1, reaped").arg(status); break;
    }
    if (!m_stoppedWhile.isEmpty() && (info.state == ProcessState::Exited || info.state == ProcessState::Reaped))
        m_stateText = QStringLiteral("when stopped: %1 \u2192 %2").arg(m_stoppedWhile, m_stateText);
    m_external = info.external ? QStringLiteral("%1 (external program: runs free, not gated)")
                                     .arg(QString::fromStdString(info.program).section(QLatin1Char(' '), 0, 0))
                               : QString();
    // Repaint (and refill the cache) only when something shown changed.
    if (!same || before != m_stateText + m_external + m_role)
        QGraphicsItem::update();
}

void ProcessItem::freezeAsStopped()
{
    if (!m_stoppedWhile.isEmpty() || m_state == ProcessState::Exited || m_state == ProcessState::Reaped)
        return;
    m_stoppedWhile = m_stateText;
    QGraphicsItem::update();
}

QString ProcessItem::heldCallText(const Event &e)
{
    const QString fd = QString::number(e.fd);
    switch (e.pending) {
    case EventKind::Write: return QStringLiteral("about to write(%1, %2 bytes)").arg(fd).arg(e.requested);
    case EventKind::Read: return QStringLiteral("about to read(%1, up to %2)").arg(fd).arg(e.requested);
    case EventKind::Close: return QStringLiteral("about to close(%1)").arg(fd);
    case EventKind::Dup2: return QStringLiteral("about to dup2(%1, %2)").arg(e.requested).arg(fd);
    case EventKind::PipeCreated: return QStringLiteral("about to pipe2()");
    case EventKind::Select: return QStringLiteral("about to select()");
    case EventKind::Wait: return QStringLiteral("about to waitpid(%1)").arg(e.requested);
    case EventKind::Exec: return QStringLiteral("about to execvp()");
    case EventKind::SetPipeSize: return QStringLiteral("about to fcntl(%1, F_SETPIPE_SZ)").arg(fd);
    default: return QStringLiteral("about to %1()").arg(QString::fromLatin1(eventKindName(e.pending)).toLower());
    }
}

QString ProcessItem::stateLine() const
{
    // Compact: the pid starts the state line, so the role keeps the whole title line.
    return compact() ? QStringLiteral("pid %1: %2").arg(m_pid).arg(m_stateText) : m_stateText;
}

bool ProcessItem::stateFits() const
{
    return fitState().fits;
}

const ProcessItem::Border &ProcessItem::border(qreal width, Qt::PenStyle style) const
{
    const QString key
        = QStringLiteral("%1 %2 %3 %4").arg(m_size.width()).arg(m_size.height()).arg(width).arg(int(style));
    if (key == m_borderKey)
        return m_border;
    constexpr qreal radius = 14;
    const QRectF r(QPointF(0, 0), m_size);
    QPainterPath outline;
    outline.addRoundedRect(r, radius, radius);
    QPainterPathStroker stroker;
    stroker.setWidth(width);
    stroker.setCapStyle(Qt::SquareCap); // as a QPen's defaults draw it
    stroker.setJoinStyle(Qt::BevelJoin);
    if (style != Qt::SolidLine) // long dashes, in pen widths: still plainly not solid
        stroker.setDashPattern(style == Qt::DotLine ? QVector<qreal> {1.5, 2.5} : QVector<qreal> {4, 2.5});
    m_border = {};
    // A piece that touches no corner's square is a straight, axis-aligned bar.
    const qreal reach = radius + width;
    const QRectF corners[] = {{r.left() - width, r.top() - width, reach, reach},
        {r.right() - radius, r.top() - width, reach, reach}, {r.left() - width, r.bottom() - radius, reach, reach},
        {r.right() - radius, r.bottom() - radius, reach, reach}};
    for (const QPolygonF &polygon : stroker.createStroke(outline).toFillPolygons()) {
        const QRectF box = polygon.boundingRect();
        const bool corner = std::any_of(std::begin(corners), std::end(corners),
            [&](const QRectF &c) { return c.intersects(box.adjusted(0.5, 0.5, -0.5, -0.5)); });
        if (corner)
            m_border.corners.addPolygon(polygon);
        else
            m_border.straight.push_back(box); // a bar along a side: its box is the bar
    }
    m_border.corners.setFillRule(Qt::WindingFill);
    m_borderKey = key;
    return m_border;
}

QRectF ProcessItem::inner() const
{
    const bool small = compact();
    return QRectF(QPointF(0, 0), m_size).adjusted(28, small ? 6 : 10, -12, small ? -6 : -8);
}

namespace
{
/// Kernel names such as "poll_schedule_timeout.constprop.0" are one long word:
/// let the line break after '_' and '.' (a zero-width space), so it wraps instead of running out.
QString breakable(QString text)
{
    text.replace(QLatin1Char('_'), QStringLiteral("_\u200b"));
    text.replace(QLatin1Char('.'), QStringLiteral(".\u200b"));
    return text;
}
} // namespace

ProcessItem::StateFit ProcessItem::fitState() const
{
    const Theme &t = *m_theme;
    const QRectF in = inner();
    const QFontMetricsF title(t.font(compact() ? t.titlePt - 3 : t.titlePt, true));
    const QFontMetricsF small(t.font(t.smallPt));
    const qreal top = in.top() + title.height() + (compact() ? 0 : 4);
    const qreal footerH = !m_external.isEmpty() && !compact() ? small.height() * 2 : small.height();
    const bool bold = m_state == ProcessState::Held || m_state == ProcessState::Blocked;
    const QString text = breakable(stateLine());
    const QString key = QStringLiteral("%1|%2x%3|%4|%5|%6|%7")
                            .arg(text)
                            .arg(m_size.width())
                            .arg(m_size.height())
                            .arg(bold)
                            .arg(m_external.isEmpty())
                            .arg(t.bodyPt)
                            .arg(t.smallPt);
    if (key == m_fitKey)
        return m_fit;
    m_fitKey = key;
    // The state is the most important text on the node: it wraps and, when long,
    // takes a smaller font and then the footer's room, but it is never cut short.
    StateFit fit;
    for (const bool footer : {true, false}) {
        const qreal bottom = in.bottom() - (footer ? footerH + 2 : 0);
        for (const int pt : {t.bodyPt, t.smallPt, t.smallPt - 2}) {
            const QFont font = t.font(pt, bold);
            const QRectF need = QFontMetricsF(font).boundingRect(
                QRectF(0, 0, in.width(), 10000), Qt::AlignLeft | Qt::TextWordWrap, text);
            fit = {font, QRectF(in.left(), top, in.width(), bottom - top), footer,
                need.height() <= bottom - top + 0.5 && need.width() <= in.width() + 0.5};
            if (fit.fits)
                return m_fit = fit;
        }
    }
    return m_fit = fit;
}

ProcessItem::FarFit ProcessItem::fitFar(qreal pxPerPt) const
{
    const Theme &t = *m_theme;
    const bool bold = m_state == ProcessState::Held || m_state == ProcessState::Blocked;
    const QString text = breakable(m_stateText);
    // Whole points, so that nearby zoom steps share one fit.
    const int floorPt = static_cast<int>(std::ceil(kReadablePx / pxPerPt));
    const QString key = QStringLiteral("%1|%2x%3|%4|%5|%6")
                            .arg(text)
                            .arg(m_size.width())
                            .arg(m_size.height())
                            .arg(bold)
                            .arg(floorPt)
                            .arg(m_role);
    if (key == m_farKey)
        return m_far;
    m_farKey = key;
    const QRectF in = inner();
    // The state is what a lecturer points at: it gets the larger type first, the role what is left
    // (one line, elided: roles are short). Nothing below the floor, so nothing is too small to read.
    const int statePts[] = {floorPt * 3 / 2, floorPt * 5 / 4, floorPt};
    const int rolePts[] = {std::max(t.titlePt * 2, floorPt * 3 / 2), std::max(t.titlePt, floorPt * 5 / 4), floorPt};
    FarFit fit;
    for (const int statePt : statePts) {
        const QFont state = t.font(std::max(statePt, t.bodyPt), bold);
        const QRectF need = QFontMetricsF(state).boundingRect(
            QRectF(0, 0, in.width(), 100000), Qt::AlignLeft | Qt::TextWordWrap, text);
        for (const int rolePt : rolePts) {
            // The name is the node's headline: never smaller than the line below it.
            const QFont role = t.font(std::max(rolePt, state.pointSize()), true);
            const QFontMetricsF roleMetrics(role);
            const qreal roleH = roleMetrics.height();
            fit = {role, state, QRectF(in.left(), in.top(), in.width(), roleH),
                QRectF(in.left(), in.top() + roleH, in.width(), in.height() - roleH),
                need.height() <= in.height() - roleH + 0.5 && need.width() <= in.width() + 0.5
                    && roleMetrics.horizontalAdvance(m_role) <= in.width()};
            if (fit.fits)
                return m_far = fit;
        }
    }
    return m_far = fit; // the floor for both: the state line ends in an ellipsis (drawElided)
}

void ProcessItem::paintFar(QPainter *painter, qreal pxPerPt, bool gone)
{
    const Theme &t = *m_theme;
    const FarFit fit = fitFar(pxPerPt);
    painter->save();
    painter->setPen(t.text);
    painter->setFont(fit.role);
    const QFontMetricsF role(fit.role);
    const QString elided = role.elidedText(m_role, Qt::ElideRight, fit.roleBox.width());
    painter->drawText(fit.roleBox, Qt::AlignLeft | Qt::AlignVCenter, elided);
    m_drawn.push_back({m_role, fit.role.pointSizeF() * pxPerPt, elided == m_role});
    painter->setFont(fit.state);
    painter->setPen(gone ? t.mutedText : t.text);
    if (fit.fits)
        painter->drawText(fit.stateBox, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, breakable(m_stateText));
    else
        drawElided(painter, fit.stateBox, breakable(m_stateText));
    m_drawn.push_back({m_stateText, fit.state.pointSizeF() * pxPerPt, fit.fits});
    painter->restore();
}

void ProcessItem::drawElided(QPainter *painter, const QRectF &box, const QString &text)
{
    // The lines that fit, and an ellipsis on the last one: never a line cut in half at the edge.
    const QFontMetricsF fm(painter->font());
    QTextLayout layout(text, painter->font());
    layout.beginLayout();
    qreal y = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(box.width());
        const bool last = y + 2 * fm.lineSpacing() > box.height();
        if (last) {
            const QString rest = text.mid(line.textStart());
            painter->drawText(
                QPointF(box.left(), box.top() + y + fm.ascent()), fm.elidedText(rest, Qt::ElideRight, box.width()));
            break;
        }
        painter->drawText(
            QPointF(box.left(), box.top() + y + fm.ascent()), text.mid(line.textStart(), line.textLength()));
        y += fm.lineSpacing();
    }
    layout.endLayout();
}

qreal ProcessItem::statePointSize() const
{
    return fitState().font.pointSizeF();
}

void ProcessItem::flash(const QString &text, qint64 expiresMs)
{
    m_mark.show(text, expiresMs);
    QGraphicsItem::update();
}

void ProcessItem::setTarget(const QPointF &pos, bool jump)
{
    m_target = pos;
    if (jump)
        setPos(pos);
}

bool ProcessItem::animate(qint64 nowMs)
{
    bool moving = glideTowards(this, m_target);
    bool repaint = false;
    moving |= m_mark.step(nowMs, &repaint);
    if (repaint)
        QGraphicsItem::update();
    return moving;
}

void ProcessItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const Theme &t = *m_theme;
    const QRectF r(QPointF(0, 0), m_size);
    QColor accent = t.running;
    Qt::PenStyle style = Qt::SolidLine;
    switch (m_state) {
    case ProcessState::Running: accent = t.running; break;
    case ProcessState::Held: accent = t.held; break;
    case ProcessState::Blocked:
        // Asleep on purpose: calm and solid, so nobody reads a nanosleep as a hang.
        accent = m_sleeping ? t.sleeping : t.blocked;
        style = m_sleeping ? Qt::SolidLine : Qt::DashLine;
        break;
    case ProcessState::Exited:
        accent = t.exited;
        style = Qt::DashLine;
        break;
    case ProcessState::Reaped:
        accent = t.exited;
        style = Qt::DotLine;
        break;
    }
    const bool gone = m_state == ProcessState::Exited || m_state == ProcessState::Reaped;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setOpacity(m_state == ProcessState::Reaped ? 0.75 : 1.0);
    const qreal width = m_state == ProcessState::Held ? 7 : 4;
    // The frame has no text: nodes in one state share one stamp of it (see Stamp).
    const QString frameKey = QStringLiteral("node %1x%2 %3 %4 %5 %6")
                                 .arg(r.width())
                                 .arg(r.height())
                                 .arg(accent.rgba())
                                 .arg(t.nodeFill.rgba())
                                 .arg(int(style))
                                 .arg(width);
    Stamp::draw(painter, frameKey, r.adjusted(-width, -width, width, width), [&](QPainter *p) {
        p->setPen(Qt::NoPen);
        p->setBrush(t.nodeFill);
        p->drawRoundedRect(r, 14, 14);
        p->setBrush(accent);
        const Border &edge = border(width, style);
        p->drawPath(edge.corners);
        p->setRenderHint(QPainter::Antialiasing, false);
        p->drawRects(edge.straight);
        p->setRenderHint(QPainter::Antialiasing, true);
        // A state stripe on the left: a second cue beside the border style.
        p->drawRoundedRect(QRectF(0, 0, 16, r.height()), 8, 8);
    });

    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const qreal pxPerPt = lod * 96.0 / 72.0;
    const bool compact = this->compact();
    const QRectF inner = this->inner();
    painter->setPen(t.text);
    m_drawn.clear();
    auto drawn = [&](const QString &text, bool whole = true) {
        m_drawn.push_back({text, painter->font().pointSizeF() * pxPerPt, whole});
    };
    // The state line may have shrunk to fit: it too must stay readable, or the node is seen from afar.
    if (t.smallPt * pxPerPt < kReadablePx || fitState().font.pointSizeF() * pxPerPt < kReadablePx) {
        paintFar(painter, pxPerPt, gone);
        painter->setOpacity(1);
        return;
    }
    painter->setFont(t.font(t.smallPt, true));
    const QString pid = QStringLiteral("pid %1").arg(m_pid);
    // Compact: the pid starts the state line, so the role keeps the whole title line.
    const qreal pidW = compact ? -10 : QFontMetricsF(painter->font()).horizontalAdvance(pid);
    painter->setFont(t.font(compact ? t.titlePt - 3 : t.titlePt, true));
    const QFontMetricsF title(painter->font());
    const QString role = title.elidedText(m_role, Qt::ElideRight, inner.width() - pidW - 10);
    painter->drawText(QRectF(inner.left(), inner.top(), inner.width(), title.height()), Qt::AlignLeft, role);
    drawn(m_role, role == m_role);
    if (!compact) {
        painter->setFont(t.font(t.smallPt, true));
        painter->setPen(t.mutedText);
        painter->drawText(QRectF(inner.left(), inner.top() + 3, inner.width(), title.height()), Qt::AlignRight, pid);
        drawn(pid);
    }

    const StateFit fit = fitState();
    painter->setFont(fit.font);
    painter->setPen(gone ? t.mutedText : t.text);
    painter->drawText(fit.box, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, breakable(stateLine()));
    drawn(stateLine(), fit.fits);
    if (fit.footer) {
        painter->setFont(t.font(t.smallPt));
        painter->setPen(t.mutedText);
        const QFontMetricsF small(painter->font());
        if (!m_external.isEmpty() && !compact) {
            painter->drawText(
                QRectF(inner.left(), inner.bottom() - small.height() * 2, inner.width(), small.height() * 2),
                Qt::AlignLeft | Qt::TextWordWrap, m_external);
            drawn(m_external);
        } else {
            const QString io = !m_external.isEmpty()
                ? QStringLiteral("external: not observed")
                : QStringLiteral("in %1   out %2").arg(Units::bytes(m_in), Units::bytes(m_out));
            painter->drawText(QRectF(inner.left(), inner.bottom() - small.height(), inner.width(), small.height()),
                Qt::AlignLeft, io);
            drawn(io);
        }
    }
    painter->setOpacity(1);

    if (m_mark.visible()) {
        painter->setOpacity(m_mark.alpha);
        painter->setFont(t.font(compact ? t.smallPt : t.bodyPt, true));
        const QFontMetricsF fm(painter->font());
        const qreal w = fm.horizontalAdvance(m_mark.text) + 20;
        // On the top edge, right, over the pid for a moment; the role and the state stay readable.
        const QRectF bubble(r.right() - w + 6, -20, w, fm.height() + 8);
        painter->setPen(QPen(t.markText, 2));
        painter->setBrush(t.mark);
        painter->drawRoundedRect(bubble, 10, 10);
        painter->drawText(bubble, Qt::AlignCenter, m_mark.text);
        painter->setOpacity(1);
    }
}

} // namespace pipescope
