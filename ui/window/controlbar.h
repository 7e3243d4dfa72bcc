#pragma once

#include "ui/source/runcontroller.h"

#include <QWidget>

class QAction;
class QLabel;
class QPushButton;
class QSlider;

class QHBoxLayout;
class QVBoxLayout;

namespace pipescope
{

class ElidedLabel;

/// Run, Pause/Resume, Step, Stop, Reset, Restart, the slow-motion pace and Full
/// speed, with their keyboard shortcuts (Space, Right or N, Esc, Ctrl+R, R, Up,
/// Down, G). It turns presses into requests; the controller decides what
/// happens. Its status line elides (the whole text is its tooltip): no text
/// can make the window wider than the screen.
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
    /// The whole status line (what is shown may be elided to the width there is).
    QString status() const;
    /// The pace one step faster (direction < 0) or slower (> 0) on the ladder of
    /// paces a lecturer picks from (50 .. 2000 ms); slower from full speed is the fastest slow motion.
    static int nextPace(int ms, int direction);
    RunController::Phase phase() const { return m_phase; }

public Q_SLOTS:
    void setPhase(pipescope::RunController::Phase phase);
    /// False while the parameters are refused: nothing can start.
    void setRunnable(bool runnable);
    void setStatus(const QString &text);
    /// What the source on stage cannot do, and why (empty: it can): Step, slow motion, Pause.
    /// Those controls are greyed out with the reason as their tooltip (a watched pipeline is never stopped).
    void setLimits(const QString &noStep, const QString &noPace, const QString &noPause);

    /// True when the status stands on a row of its own below the buttons (a narrow bar).
    bool statusOnItsOwnRow() const;
    /// The width the status has now, in pixels.
    int statusWidth() const;
    /// The status as shown now: the whole of status() when it fits, else elided at its end.
    QString shownStatus() const;

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
    /// Stop what runs and start the open scenario again in the same way (R).
    void restartRequested();

protected:
    /// A narrow bar (presenter mode on a 1024x768 projector) gives the status a row of its own.
    void resizeEvent(QResizeEvent *event) override;
    /// Presenter mode's larger type: Run/Pause/Resume takes the width of its widest label again.
    void changeEvent(QEvent *event) override;

private:
    void runOrPause();
    void stepPressed();
    void updateButtons();
    /// Run, Pause and Resume share one button: it is as wide as the widest of the three, so
    /// nothing to its right moves when the label changes.
    void fixRunWidth();
    /// Beside the buttons when the whole status fits there (and at least a sentence does), else on
    /// its own row. A new status only ever moves it down (no jumping bar); a resize decides anew.
    void placeStatus(int barWidth, bool mayMoveUp);
    void showPace(int ms);
    /// Full speed, or back to the slow motion it left (G).
    void toggleFullSpeed();

    RunController::Phase m_phase = RunController::Phase::Idle;
    bool m_runnable = true;
    QPushButton *m_run;
    QPushButton *m_step;
    QPushButton *m_stop;
    QPushButton *m_reset;
    QPushButton *m_full;
    QSlider *m_pace;
    QLabel *m_paceLabel;
    ElidedLabel *m_status;
    QHBoxLayout *m_row = nullptr; ///< buttons, slow motion and (when there is room) the status
    QVBoxLayout *m_rows = nullptr; ///< the row, and the status below it when the bar is narrow
    int m_slowPace = 300; ///< the slow motion that G returns to
    QString m_noStep; ///< why the source cannot step (empty: it can)
    QString m_noPace;
    QString m_noPause;
    QString m_stepTip; ///< the tooltips when allowed
    QString m_runTip;
    QString m_fullTip;
    QAction *m_runAction;
    QAction *m_stepAction;
    QAction *m_stopAction;
    QAction *m_resetAction;
    QAction *m_restartAction;
    QAction *m_fasterAction;
    QAction *m_slowerAction;
    QAction *m_fullSpeedAction;
};

} // namespace pipescope
