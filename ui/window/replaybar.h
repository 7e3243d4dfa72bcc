#pragma once

#include <QList>
#include <QWidget>

class QAction;
class QLabel;
class QSlider;
class QToolButton;

namespace pipescope
{

class ReplayController;

/// The scrubber of a replayed run, shown while a replay is on stage: what is
/// replayed and where it was recorded, in words, and a slider over its events
/// that moves forwards and backwards (Home: the start, End: the end, Left: one
/// event back; Step, Right, goes forwards as in a live run).
class ReplayBar : public QWidget
{
    Q_OBJECT
public:
    ReplayBar(ReplayController *replay, QWidget *parent = nullptr);

    /// Home, End and Left, for the window (they act only while the bar is shown).
    QList<QAction *> shortcutActions() const { return m_actions; }
    QSlider *slider() const { return m_slider; }
    /// "REPLAY of ... recorded on ... on ..." as shown.
    QString origin() const;

protected:
    // Home, End and Left are the replay's only while it is on stage; otherwise the keys are the widgets'.
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void showPosition(int position, int count);

    ReplayController *m_replay;
    QLabel *m_origin;
    QSlider *m_slider;
    QLabel *m_position;
    QList<QAction *> m_actions;
    bool m_updating = false;
};

} // namespace pipescope
