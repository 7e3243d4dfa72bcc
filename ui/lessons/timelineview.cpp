#include "ui/lessons/timelineview.h"

#include "ui/lessons/timelinemodel.h"
#include "ui/scene/units.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace pipescope
{

namespace
{

constexpr double kLabelWidth = 230;
constexpr double kAxisHeight = 44;
constexpr double kLaneHeight = 72;
constexpr double kBarHeight = 28;
constexpr double kRightMargin = 24;
constexpr double kLegendHeight = 48;

double distanceToSegment(const QPointF &p, const QLineF &l)
{
    const QPointF d = l.p2() - l.p1();
    const double len2 = d.x() * d.x() + d.y() * d.y();
    double t = len2 > 0 ? QPointF::dotProduct(p - l.p1(), d) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const QPointF q = l.p1() + t * d;
    return std::hypot(p.x() - q.x(), p.y() - q.y());
}

} // namespace

TimelineView::TimelineView(QWidget *parent) : QWidget(parent)
{
    setMinimumHeight(200);
    setMouseTracking(false);
}

void TimelineView::setModel(const TimelineModel *model)
{
    m_model = model;
    m_selected = -1;
    updateGeometry();
    update();
}

void TimelineView::setTheme(const Theme &theme)
{
    m_theme = theme;
    update();
}

void TimelineView::setSelectedEvent(int eventIndex)
{
    m_selected = eventIndex;
    update();
}

QSize TimelineView::sizeHint() const
{
    const int lanes = m_model ? static_cast<int>(m_model->lanes().size()) : 2;
    return {1000, static_cast<int>(kAxisHeight + std::max(lanes, 2) * kLaneHeight + kLegendHeight)};
}

double TimelineView::xAt(std::int64_t ns) const
{
    const double span = m_model ? std::max<std::int64_t>(m_model->endNs(), 1000000) : 1000000;
    const double w = std::max(10.0, width() - kLabelWidth - kRightMargin);
    return kLabelWidth + w * static_cast<double>(ns) / span;
}

double TimelineView::laneY(int lane) const
{
    return kAxisHeight + lane * kLaneHeight + kLaneHeight / 2;
}

QLineF TimelineView::arrowLine(int i) const
{
    const TimelineModel::Arrow &a = m_model->arrows()[static_cast<std::size_t>(i)];
    const int from = m_model->laneOf(a.fromPid);
    const int to = m_model->laneOf(a.toPid);
    // Leave the state bar: start below the writer's bar, end at the reader's.
    const double dir = to > from ? 1 : (to < from ? -1 : 0);
    const double y1 = laneY(from) + dir * kBarHeight / 2;
    const double y2 = laneY(to) - dir * kBarHeight / 2 + (dir == 0 ? -kBarHeight / 2 : 0);
    return {xAt(a.writeNs), dir == 0 ? y1 - kBarHeight / 2 : y1, xAt(a.readNs), y2};
}

QPointF TimelineView::arrowMidpoint(int arrowIndex) const
{
    return arrowLine(arrowIndex).center();
}

QPointF TimelineView::intervalCentre(int lane, int interval) const
{
    const TimelineModel::Interval &iv
        = m_model->lanes()[static_cast<std::size_t>(lane)].intervals[static_cast<std::size_t>(interval)];
    const std::int64_t end = iv.endNs < 0 ? m_model->endNs() : iv.endNs;
    return {(xAt(iv.startNs) + xAt(end)) / 2, laneY(lane)};
}

QColor TimelineView::pipeColour(std::uint64_t inode) const
{
    // Okabe-Ito hues that are not state colours, picked by the pipe's order of appearance.
    static const QColor kHues[]
        = {QColor(0x00, 0x9e, 0x73), QColor(0xcc, 0x79, 0xa7), QColor(0x00, 0x72, 0xb2), QColor(0x11, 0x11, 0x11)};
    int order = 0;
    for (const auto &[ino, bytes] : m_model->pipes()) {
        if (ino == inode)
            break;
        ++order;
    }
    QColor c = kHues[order % 4];
    if (m_theme.kind == Theme::Kind::Dark && order % 4 == 3)
        c = QColor(0xee, 0xee, 0xee);
    return c;
}

QColor TimelineView::stateColour(int state) const
{
    switch (static_cast<ProcessState>(state)) {
    case ProcessState::Running: return m_theme.running;
    case ProcessState::Held: return m_theme.held;
    case ProcessState::Blocked: return m_theme.blocked;
    default: return m_theme.exited;
    }
}

int TimelineView::eventAt(const QPointF &pos) const
{
    if (!m_model)
        return -1;
    int best = -1;
    double bestDistance = 8;
    for (int i = 0; i < static_cast<int>(m_model->arrows().size()); ++i) {
        const double d = distanceToSegment(pos, arrowLine(i));
        if (d < bestDistance) {
            bestDistance = d;
            best = m_model->arrows()[static_cast<std::size_t>(i)].writeEvent;
        }
    }
    if (best >= 0)
        return best;
    for (int l = 0; l < static_cast<int>(m_model->lanes().size()); ++l) {
        if (std::abs(pos.y() - laneY(l)) > kBarHeight / 2)
            continue;
        for (const TimelineModel::Interval &iv : m_model->lanes()[static_cast<std::size_t>(l)].intervals) {
            const std::int64_t end = iv.endNs < 0 ? m_model->endNs() : iv.endNs;
            if (pos.x() >= xAt(iv.startNs) - 2 && pos.x() <= xAt(end) + 2)
                return iv.eventIndex;
        }
    }
    return -1;
}

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    const int index = eventAt(event->position());
    if (index < 0)
        return;
    setSelectedEvent(index);
    Q_EMIT eventSelected(index);
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), m_theme.background);
    if (!m_model || m_model->lanes().empty()) {
        p.setPen(m_theme.mutedText);
        p.setFont(m_theme.font(m_theme.bodyPt));
        p.drawText(rect(), Qt::AlignCenter, QStringLiteral("The timeline fills in as the run goes"));
        return;
    }
    const auto &lanes = m_model->lanes();
    const double right = width() - kRightMargin;

    // Time axis: about one tick per 120 px, at a round number of ms.
    p.setFont(m_theme.font(m_theme.smallPt));
    const double spanMs = std::max<std::int64_t>(m_model->endNs(), 1000000) / 1e6;
    const double rawStep = spanMs / std::max(1.0, (right - kLabelWidth) / 140);
    double step = std::pow(10.0, std::floor(std::log10(rawStep)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (step * m >= rawStep) {
            step *= m;
            break;
        }
    }
    for (double ms = 0; ms <= spanMs + 1e-9; ms += step) {
        const double x = xAt(static_cast<std::int64_t>(ms * 1e6));
        p.setPen(QPen(m_theme.grid, 1));
        p.drawLine(QPointF(x, kAxisHeight - 6), QPointF(x, kAxisHeight + lanes.size() * kLaneHeight));
        p.setPen(m_theme.mutedText);
        p.drawText(QRectF(x - 70, 4, 140, kAxisHeight - 12), Qt::AlignCenter,
            ms >= 1000 ? QStringLiteral("%1 s").arg(ms / 1000, 0, 'g', 4) : QStringLiteral("%1 ms").arg(ms, 0, 'g', 4));
    }

    // Lanes: label, then the state bar. States differ by fill pattern too, not only by colour.
    for (int l = 0; l < static_cast<int>(lanes.size()); ++l) {
        const TimelineModel::Lane &lane = lanes[static_cast<std::size_t>(l)];
        const double y = laneY(l);
        p.setPen(m_theme.text);
        p.setFont(m_theme.font(m_theme.bodyPt, true));
        p.drawText(QRectF(10, y - kLaneHeight / 2, kLabelWidth - 20, kLaneHeight / 2 + 4),
            Qt::AlignLeft | Qt::AlignBottom, lane.role);
        p.setFont(m_theme.font(m_theme.smallPt));
        p.setPen(m_theme.mutedText);
        p.drawText(QRectF(10, y + 2, kLabelWidth - 20, kLaneHeight / 2 - 4), Qt::AlignLeft | Qt::AlignTop,
            QStringLiteral("pid %1").arg(lane.pid));
        for (const TimelineModel::Interval &iv : lane.intervals) {
            const std::int64_t end = iv.endNs < 0 ? m_model->endNs() : iv.endNs;
            QRectF bar(QPointF(xAt(iv.startNs), y - kBarHeight / 2),
                QPointF(std::max(xAt(end), xAt(iv.startNs) + 2), y + kBarHeight / 2));
            // A nanosleep is the program's own pause: solid, in its own colour, never hatched like a wait on a pipe.
            const bool sleeping = iv.state == ProcessState::Blocked && iv.detail.contains(QLatin1String("nanosleep"));
            const QColor c = sleeping ? m_theme.sleeping : stateColour(static_cast<int>(iv.state));
            p.fillRect(bar, c);
            if (iv.state == ProcessState::Blocked && !sleeping)
                p.fillRect(bar, QBrush(m_theme.background, Qt::BDiagPattern));
            else if (iv.state == ProcessState::Exited)
                p.fillRect(bar, QBrush(m_theme.background, Qt::Dense6Pattern));
            if (iv.eventIndex == m_selected && m_selected >= 0) {
                p.setPen(QPen(m_theme.text, 3));
                p.setBrush(Qt::NoBrush);
                p.drawRect(bar.adjusted(-2, -2, 2, 2));
            }
        }
    }

    // Arrows: write -> read, thicker for more bytes, a label where there is room.
    const auto &arrows = m_model->arrows();
    QList<QRectF> labelBoxes; // level of detail: a label only where it does not cover another
    for (int i = 0; i < static_cast<int>(arrows.size()); ++i) {
        const TimelineModel::Arrow &a = arrows[static_cast<std::size_t>(i)];
        const QLineF line = arrowLine(i);
        const bool selected = m_selected >= 0 && (a.writeEvent == m_selected || a.readEvent == m_selected);
        const QColor c = pipeColour(a.inode);
        p.setPen(QPen(c, selected ? 5 : (arrows.size() > 200 ? 1.5 : 3), Qt::SolidLine, Qt::RoundCap));
        QPainterPath path;
        if (a.fromPid == a.toPid) {
            // Into the same process: a loop above its lane.
            path.moveTo(line.p1());
            path.cubicTo(line.p1() + QPointF(0, -30), line.p2() + QPointF(0, -30), line.p2());
        } else {
            path.moveTo(line.p1());
            path.lineTo(line.p2());
        }
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        // Arrow head at the read.
        const double angle = a.fromPid == a.toPid ? M_PI / 2 : std::atan2(line.dy(), line.dx());
        const QPointF tip = line.p2();
        const double h = selected ? 16 : 12;
        QPolygonF head({tip, tip - QPointF(h * std::cos(angle - 0.4), h * std::sin(angle - 0.4)),
            tip - QPointF(h * std::cos(angle + 0.4), h * std::sin(angle + 0.4))});
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawPolygon(head);
        p.setFont(m_theme.font(m_theme.smallPt, true));
        const QString text = Units::bytes(a.bytes);
        const QPointF mid = a.fromPid == a.toPid ? line.center() + QPointF(0, -30) : line.center();
        const QRectF box(mid.x() + 6, mid.y() - 12, p.fontMetrics().horizontalAdvance(text) + 8, 24);
        const bool covers
            = std::any_of(labelBoxes.begin(), labelBoxes.end(), [&](const QRectF &b) { return b.intersects(box); });
        if (!covers || selected) {
            labelBoxes.append(box);
            p.fillRect(box, m_theme.background);
            p.setPen(c);
            p.drawText(box, Qt::AlignCenter, text);
        }
    }

    // Legend: name every state and the arrows.
    const double ly = kAxisHeight + lanes.size() * kLaneHeight + 12;
    double lx = 10;
    p.setFont(m_theme.font(m_theme.smallPt));
    const struct {
        ProcessState state;
        const char *name;
        Qt::BrushStyle pattern;
        bool sleeping;
    } kLegend[] = {{ProcessState::Running, "running", Qt::NoBrush, false},
        {ProcessState::Held, "held at its gate", Qt::NoBrush, false},
        {ProcessState::Blocked, "blocked in the kernel", Qt::BDiagPattern, false},
        {ProcessState::Blocked, "sleeping (nanosleep)", Qt::NoBrush, true},
        {ProcessState::Exited, "zombie (exited, not waited for)", Qt::Dense6Pattern, false}};
    for (const auto &item : kLegend) {
        const QRectF swatch(lx, ly, 34, 22);
        p.fillRect(swatch, item.sleeping ? m_theme.sleeping : stateColour(static_cast<int>(item.state)));
        if (item.pattern != Qt::NoBrush)
            p.fillRect(swatch, QBrush(m_theme.background, item.pattern));
        p.setPen(m_theme.text);
        const QString name = QString::fromLatin1(item.name);
        p.drawText(QRectF(lx + 42, ly - 4, 400, 30), Qt::AlignLeft | Qt::AlignVCenter, name);
        lx += 42 + p.fontMetrics().horizontalAdvance(name) + 28;
    }
    p.setPen(QPen(pipeColour(arrows.empty() ? 0 : arrows.front().inode), 3));
    p.drawLine(QPointF(lx, ly + 11), QPointF(lx + 34, ly + 11));
    p.setPen(m_theme.text);
    p.drawText(QRectF(lx + 42, ly - 4, 400, 30), Qt::AlignLeft | Qt::AlignVCenter,
        QStringLiteral("write \u2192 read (bytes)"));
}

} // namespace pipescope
