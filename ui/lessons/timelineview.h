#pragma once

#include "ui/scene/theme.h"

#include <QWidget>

namespace pipescope
{

class TimelineModel;

/// Paints a TimelineModel as a sequence diagram: a lane per process with its
/// state over time (running, held at its gate, blocked in the kernel, zombie;
/// told apart by colour, fill pattern and the legend), and an arrow from each
/// write to the read that consumed its bytes. Clicking an arrow or a state
/// emits the index of the event behind it (the event log's row).
class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget *parent = nullptr);

    /// The model to paint (not owned); call update() after feeding it events.
    void setModel(const TimelineModel *model);
    void setTheme(const Theme &theme);
    /// Marks the arrow or state of this event (-1: none).
    void setSelectedEvent(int eventIndex);
    int selectedEvent() const { return m_selected; }

    /// The event behind the arrow or state at pos (arrows first), -1 when nothing is there.
    int eventAt(const QPointF &pos) const;
    /// Where arrow i crosses its middle, in widget coordinates (for tests and tooltips).
    QPointF arrowMidpoint(int arrowIndex) const;
    /// Centre of the state interval k of lane i.
    QPointF intervalCentre(int lane, int interval) const;

    QSize sizeHint() const override;

Q_SIGNALS:
    void eventSelected(int eventIndex);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    double xAt(std::int64_t ns) const;
    double laneY(int lane) const;
    QLineF arrowLine(int arrowIndex) const;
    QColor pipeColour(std::uint64_t inode) const;
    QColor stateColour(int state) const;

    const TimelineModel *m_model = nullptr;
    Theme m_theme = Theme::light();
    int m_selected = -1;
};

} // namespace pipescope
