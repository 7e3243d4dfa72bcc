#pragma once

#include "core/model/event.h"

#include <QList>
#include <QObject>
#include <QRect>
#include <QTimer>
#include <QVector>

#include <map>
#include <memory>

class QAction;
class QWidget;

namespace pipescope
{

class QuizDriver;
class QuizReplay;
struct QuizQuestion;
struct QuizVerdict;
class ReplayController;
class PipeScene;
class QuizOverlay;
class SceneView;
class RunController;

/// Quiz mode for the window (Q, --quiz): "predict, then reveal". It puts the
/// run controller in quiz mode (the runner holds every gate and every exit),
/// paces the gates itself through a QuizDriver at the slow-motion pace, and
/// before a call whose outcome is a lesson shows the question; 1-4 give the
/// class's guess, the call is released, and the kernel's answer is shown beside
/// it, after which the run pauses until the lecturer goes on (Space or Right).
/// The score counts for the session (the window's life); nothing is saved.
class QuizMode : public QObject
{
    Q_OBJECT
public:
    /// stage: the widget the questions cover; scene and view: where the asked process's node is,
    /// so the question does not cover it.
    QuizMode(
        RunController *controller, QWidget *stage, const PipeScene *scene, SceneView *view, QObject *parent = nullptr);
    ~QuizMode() override;

    bool isActive() const { return m_active; }
    void setActive(bool on);
    void toggle() { setActive(!m_active); }
    /// The class's guess (0-based) for the open question; false when none is open.
    bool answer(int choice);
    /// The driver of the run on stage (null before a run or while off).
    const QuizDriver *driver() const { return m_driver.get(); }
    QuizOverlay *overlay() const { return m_overlay; }
    /// A replay asks too: at a recorded gate the generator asks about, it stops, and the
    /// file's next events give the kernel's answer (QuizReplay).
    void setReplay(ReplayController *replay);
    /// The replay's quiz (null before setReplay).
    const QuizReplay *replayQuiz() const { return m_replayQuiz.get(); }
    /// Q: for the window to add (it works with the menu bar hidden); 1-4 are the window's own shortcuts.
    QList<QAction *> actions() const { return m_actions; }
    /// Guesses right / guesses made / questions asked, over the session.
    int sessionRight() const { return m_right; }
    int sessionGuessed() const { return m_guessed; }
    int sessionAsked() const { return m_asked; }
    /// "Score: 2 of 3 right this session".
    QString scoreText() const;

Q_SIGNALS:
    void activeChanged(bool on);
    void questionAsked();
    /// The kernel answered the question on screen.
    void verdictShown();

private:
    void runStarted();
    void eventsArrived(const QVector<pipescope::Event> &events);
    void runFinished();
    void tick();
    /// Shows what the driver did: a new question, or the kernel's answer to the last one.
    void sync();
    /// Puts question q on screen, clear of the process it asks about.
    void ask(const QuizQuestion &q);
    void newDriver();
    void stepRequested();
    void replayEvents(const QVector<pipescope::Event> &events);
    void showVerdict(const QuizVerdict &v);

    /// Where pid's node is on the stage (empty when not drawn).
    QRect nodeOnStage(int pid) const;

    RunController *m_controller;
    QWidget *m_stage;
    const PipeScene *m_scene;
    SceneView *m_view;
    QuizOverlay *m_overlay;
    std::unique_ptr<QuizDriver> m_driver;
    ReplayController *m_replay = nullptr;
    std::unique_ptr<QuizReplay> m_replayQuiz;
    bool m_replayShown = false; ///< the replay's open question is on screen
    QTimer m_timer;
    QList<QAction *> m_actions;
    std::map<int, Event> m_lastGate; ///< each process's gate while it waits there, to take over mid-run
    bool m_active = false;
    std::size_t m_verdictsSeen = 0;
    int m_questionsShown = 0; ///< the driver's questions already on screen
    int m_right = 0;
    int m_guessed = 0;
    int m_asked = 0;
};

} // namespace pipescope
