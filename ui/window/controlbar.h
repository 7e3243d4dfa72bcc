#pragma once

#include "ui/source/runcontroller.h"

#include <QWidget>

class QAction;
class QLabel;
class QPushButton;
class QSlider;

namespace pipescope
{

/// Run, Pause/Resume, Step, Stop, Reset, the slow-motion pace and Full speed,
/// with their keyboard shortcuts (Space, Right or N, Esc, Ctrl+R). It turns
/// presses into requests; the controller decides what happens.
class ControlBar : public QWidget
{
    Q_OBJECT
public:
    explicit ControlBar(QWidget *parent = nullptr);

    /// The actions with shortcuts; the window adds them so they work anywhere in it.
    QList<QAction *> shortcutActions() const;
    int pace() const;
    void setPace(int ms);
    QPushButton *button(const QString &name) const;
    RunController::Phase phase() const { return m_phase; }

public Q_SLOTS:
    void setPhase(pipescope::RunController::Phase phase);
    /// False while the parameters are refused: nothing can start.
    void setRunnable(bool runnable);
    void setStatus(const QString &text);

Q_SIGNALS:
    /// Start a run; held: start paused at the first gate (Step from idle).
    void runRequested(bool held);
    void pauseRequested();
    void resumeRequested();
    void stepRequested();
    void stopRequested();
    void resetRequested();
    /// Slow motion at ms per step (0: full speed).
    void paceChanged(int ms);
    void fullSpeedRequested();

private:
    void runOrPause();
    void stepPressed();
    void updateButtons();
    void showPace(int ms);

    RunController::Phase m_phase = RunController::Phase::Idle;
    bool m_runnable = true;
    QPushButton *m_run;
    QPushButton *m_step;
    QPushButton *m_stop;
    QPushButton *m_reset;
    QPushButton *m_full;
    QSlider *m_pace;
    QLabel *m_paceLabel;
    QLabel *m_status;
    QAction *m_runAction;
    QAction *m_stepAction;
    QAction *m_stopAction;
    QAction *m_resetAction;
};

} // namespace pipescope
