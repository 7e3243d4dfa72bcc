#pragma once

#include "ui/scene/fadingmark.h"

#include "core/model/runstate.h"
#include "ui/scene/theme.h"

#include <QGraphicsItem>
#include <QPainterPath>
#include <QString>

namespace pipescope
{

/// One process of the run: pid, role, and what it is doing right now
/// (running, held at its gate, blocked in the kernel, exited, reaped).
class ProcessItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 1 };

    ProcessItem(const Theme *theme, const QSizeF &size);
    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    void setSize(const QSizeF &size);
    /// Takes pid, role and state from the run; heldCall says what a held process is about to do,
    /// sleepMs how long its nanosleep asks for (0: not known).
    void update(const ProcessInfo &info, const QString &heldCall, int sleepMs = 0);
    /// The watchdog is stopping a hung run: the state shown now (blocked in pipe_read, ...) is
    /// the lesson, so the node keeps it beside the exit that follows, marked as the state at
    /// the moment it was stopped.
    void freezeAsStopped();
    /// The live state kept by freezeAsStopped, or empty.
    QString stoppedWhile() const { return m_stoppedWhile; }
    pid_t pid() const { return m_pid; }
    QString role() const { return m_role; }
    /// The state line shown on the node ("held at its gate: about to write(4)").
    QString stateText() const { return m_stateText; }
    ProcessState state() const { return m_state; }
    /// Asleep in nanosleep on purpose (blocked in the kernel, but not on a pipe): drawn calm, not as a hang.
    bool sleeping() const { return m_sleeping; }
    /// The state line exactly as painted (compact nodes start it with the pid); it wraps, never cut short.
    QString stateLine() const;
    /// Lines the state line takes at the font size the node chose for it (for tests: it always fits).
    bool stateFits() const;
    /// The point size the state line is drawn in (it shrinks before it would be cut).
    qreal statePointSize() const;
    /// What a process held at its gate is about to do ("about to write(4, 20 bytes)").
    static QString heldCallText(const Event &gate);

    /// One text line the last paint drew, its font's size (em) on screen in pixels, and
    /// whether it was drawn whole (not elided: a far, compact node with a long state may end in "...").
    struct DrawnText {
        QString text;
        qreal screenPx = 0;
        bool whole = true;
    };
    /// What the last paint drew (role, pid, state, in/out), for tests: a node seen from afar
    /// (side by side on a projector) still shows its role and its state line, readable.
    const QVector<DrawnText> &drawnText() const { return m_drawn; }
    /// The smallest text, in screen pixels, a paint draws; smaller lines are left out or grown.
    static constexpr qreal kReadablePx = 7;

    /// A short-lived label (EOF, EPIPE, ...) shown above the node until expiresMs.
    void flash(const QString &text, qint64 expiresMs);
    /// Glides towards target; returns true while it still moves or shows a mark.
    bool animate(qint64 nowMs);
    void setTarget(const QPointF &pos, bool jump);
    QPointF target() const { return m_target; }

private:
    /// Where the state line goes and in which font, so that it fits whole.
    struct StateFit {
        QFont font;
        QRectF box;
        bool footer = true; ///< room left for the in/out (or external) line below
        bool fits = true;
    };
    StateFit fitState() const;
    /// Seen from afar (the small lines would be under kReadablePx): the role and the state line
    /// only, each in a font that stays readable on screen; the pid and in/out are left out.
    struct FarFit {
        QFont role;
        QFont state;
        QRectF roleBox;
        QRectF stateBox;
        bool fits = true;
    };
    FarFit fitFar(qreal pxPerPt) const;
    void paintFar(QPainter *painter, qreal pxPerPt, bool gone);
    /// Word-wrapped text in box, as many lines as fit; the last one ends in an ellipsis.
    static void drawElided(QPainter *painter, const QRectF &box, const QString &text);
    mutable FarFit m_far;
    mutable QString m_farKey;
    QVector<DrawnText> m_drawn;
    /// Word-wrapped layouts cost more than the rest of a node's paint: the fit is
    /// worked out again only when the state line, the size or the look changed.
    mutable StateFit m_fit;
    mutable QString m_fitKey;
    /// The border, already stroked (and dashed) into outlines to fill: stroking a dashed rounded
    /// rectangle was over half of a full repaint (every zoom step drops the item caches). The
    /// straight pieces are axis-aligned and filled without antialiasing, which costs a fraction;
    /// the four corners keep it.
    struct Border {
        QVector<QRectF> straight; ///< the dashes (or the sides) between the corners
        QPainterPath corners;
    };
    const Border &border(qreal width, Qt::PenStyle style) const;
    mutable Border m_border;
    mutable QString m_borderKey;
    bool compact() const { return m_size.height() < 140; }
    QRectF inner() const;

    const Theme *m_theme;
    QSizeF m_size;
    QPointF m_target;
    pid_t m_pid = 0;
    QString m_role;
    QString m_stateText;
    QString m_stoppedWhile;
    QString m_external;
    qint64 m_in = 0;
    qint64 m_out = 0;
    ProcessState m_state = ProcessState::Running;
    bool m_sleeping = false;
    FadingMark m_mark;
};

} // namespace pipescope
