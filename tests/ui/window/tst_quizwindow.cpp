// Quiz mode in the real main window, driven by keys: Q turns it on, Space runs
// the scenario, the run stops before a lesson call and the question is on
// screen with its answers; 2 is the class's guess; the call runs for real and
// the kernel's answer appears beside the guess, right or wrong, and the score
// counts it. Q turns it off again and the run goes on at its pace.
#include "core/quiz/quizdriver.h"
#include "runharness.h"
#include "ui/scene/pipeitem.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/processitem.h"
#include "ui/scene/sceneview.h"
#include "ui/source/runcontroller.h"
#include "ui/window/comparepane.h"
#include "ui/window/controlbar.h"
#include "ui/window/mainwindow.h"
#include "ui/window/quizmode.h"
#include "ui/window/quizoverlay.h"
#include "uiwait.h"
#include "warmup.h"

#include <QtTest>

using namespace pipescope;

class TestQuizWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::warmUpMainWindow(); }
    void askGuessReveal();
    void takesOverARunningRun();
    void questionCoversNothingItAsksAbout_data();
    void questionCoversNothingItAsksAbout();
};

void TestQuizWindow::questionCoversNothingItAsksAbout_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QSize>("size");
    QTest::newRow("epipe 1024x768") << QStringLiteral("epipe") << QSize(1024, 768);
    QTest::newRow("capacity 1920x1080") << QStringLiteral("capacity") << QSize(1920, 1080);
}

/// The question card lies over the stage, but the scene is fitted beside it: neither the asked
/// process's node nor any pipe is under the card (at 1024x768 the card covered both).
void TestQuizWindow::questionCoversNothingItAsksAbout()
{
    QFETCH(QString, scenario);
    QFETCH(QSize, size);
    const auto before = test::ResourceSnapshot::take();
    {
        MainWindow window(nullptr);
        window.resize(size);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.openScenario(scenario));
        window.controls()->setPace(50);
        QuizMode *quiz = window.quiz();
        QTest::keyClick(&window, Qt::Key_Q);
        QSignalSpy asked(quiz, &QuizMode::questionAsked);
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(asked.wait(15000));
        const QuizQuestion *q = quiz->driver()->question();
        QVERIFY(q);
        QVERIFY(quiz->overlay()->isVisible());
        const QRect card = quiz->overlay()->geometry();
        SceneView *view = window.view();
        QWidget *stage = window.compare();
        auto onStage = [&](const QGraphicsItem *item) {
            const QRect inView = view->mapFromScene(item->sceneBoundingRect()).boundingRect();
            return QRect(view->viewport()->mapTo(stage, inView.topLeft()), inView.size());
        };
        const ProcessItem *node = window.scene()->processItem(q->pid);
        QVERIFY(node);
        QVERIFY2(!onStage(node).intersects(card),
            qPrintable(QStringLiteral("node %1,%2 %3x%4 under the card at y %5..%6")
                           .arg(onStage(node).x())
                           .arg(onStage(node).y())
                           .arg(onStage(node).width())
                           .arg(onStage(node).height())
                           .arg(card.top())
                           .arg(card.bottom())));
        int pipes = 0;
        for (const QGraphicsItem *item : window.scene()->items()) {
            if (!dynamic_cast<const PipeItem *>(item))
                continue;
            ++pipes;
            QVERIFY2(!onStage(item).intersects(card), qPrintable(QStringLiteral("a pipe under the card")));
        }
        QVERIFY(pipes >= 1);
        if (const QByteArray dir = qgetenv("PIPESCOPE_SHOT_DIR"); !dir.isEmpty())
            window.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/quiz-%1.png").arg(scenario));
        // The card gone, the scene has the whole stage again.
        QTest::keyClick(&window, Qt::Key_Q);
        QVERIFY(!quiz->overlay()->isVisible());
        QCOMPARE(view->viewport()->height(), view->height() - 2 * view->frameWidth());
        window.controller()->reset();
    }
    QVERIFY(test::noChildrenLeft());
    QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
}

void TestQuizWindow::askGuessReveal()
{
    const auto before = test::ResourceSnapshot::take();
    {
        MainWindow window(nullptr);
        window.resize(1280, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window)); // shortcuts reach the active window only
        QVERIFY(window.openScenario(QStringLiteral("no-close-eof"), {QStringLiteral("fixed=true")}));
        window.controls()->setPace(50);
        QuizMode *quiz = window.quiz();
        RunController *run = window.controller();

        QTest::keyClick(&window, Qt::Key_Q);
        QVERIFY(quiz->isActive());
        QVERIFY(run->quizMode());
        QSignalSpy asked(quiz, &QuizMode::questionAsked);
        QSignalSpy shown(quiz, &QuizMode::verdictShown);
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(asked.wait(15000));
        const QuizQuestion *q = quiz->driver()->question();
        QVERIFY(q);
        QVERIFY(quiz->overlay()->isVisible());
        const QString onScreen = quiz->overlay()->text();
        QVERIFY2(onScreen.contains(QString::fromStdString(q->prompt).toHtmlEscaped().left(20))
                || onScreen.contains(QString::fromStdString(q->prompt).left(20)),
            qPrintable(onScreen));
        for (const QuizChoice &c : q->choices)
            QVERIFY2(onScreen.contains(QString::fromStdString(c.text)), qPrintable(onScreen));
        // The asked process really waits at its gate while the class thinks.
        const pid_t held = q->pid;
        QCOMPARE(run->state().process(held)->state, ProcessState::Held);
        const int questionNumber = q->number;

        QTest::keyClick(&window, Qt::Key_2);
        QVERIFY(shown.wait(15000));
        const QuizVerdict &v = quiz->driver()->verdicts().back();
        QCOMPARE(v.question.number, questionNumber);
        QCOMPARE(v.guess, 1);
        QVERIFY2(v.predicted(), v.actual.describe().c_str()); // the marked answer is the kernel's
        const QString verdict = quiz->overlay()->text();
        QVERIFY2(verdict.contains(v.right() ? QStringLiteral("Right!") : QStringLiteral("Wrong")), qPrintable(verdict));
        QVERIFY2(verdict.contains(QStringLiteral("Why:")), qPrintable(verdict));
        QCOMPARE(quiz->sessionGuessed(), 1);
        QCOMPARE(quiz->sessionRight(), v.right() ? 1 : 0);
        QVERIFY2(verdict.contains(quiz->scoreText()), qPrintable(verdict));
        QVERIFY(quiz->scoreText().contains(QStringLiteral("of 1 right")));
        // The run waits for the lecturer after the reveal.
        QCOMPARE(run->phase(), EventSource::Phase::Paused);

        // Space goes on; Q turns the quiz off and the run ends by itself at its pace.
        QTest::keyClick(&window, Qt::Key_Space);
        QCOMPARE(run->phase(), EventSource::Phase::Running);
        QTest::keyClick(&window, Qt::Key_Q);
        QVERIFY(!quiz->isActive());
        QVERIFY(!run->quizMode());
        QVERIFY(!quiz->overlay()->isVisible());
        QVERIFY(test::waitUntil(
            [&] { return run->phase() == EventSource::Phase::Finished; }, run, &RunController::runFinished, 20000));
        QCOMPARE(run->state().outcome(), static_cast<int>(OutcomeOk));
    }
    QVERIFY(test::noChildrenLeft());
    QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
}

void TestQuizWindow::takesOverARunningRun()
{
    // Q while a run goes on in slow motion: the quiz takes the gates over and still asks
    // only what the kernel then answers.
    const auto before = test::ResourceSnapshot::take();
    {
        MainWindow window(nullptr);
        window.resize(1280, 720);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.openScenario(QStringLiteral("parent-child")));
        window.controls()->setPace(50);
        QuizMode *quiz = window.quiz();
        RunController *run = window.controller();
        QSignalSpy events(run, &RunController::eventsArrived);
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(events.wait(10000));
        QSignalSpy asked(quiz, &QuizMode::questionAsked);
        QSignalSpy shown(quiz, &QuizMode::verdictShown);
        QTest::keyClick(&window, Qt::Key_Q);
        QVERIFY(quiz->isActive());
        QVERIFY(asked.wait(15000));
        QTest::keyClick(&window, Qt::Key_1);
        QVERIFY(shown.wait(15000));
        const QuizVerdict &v = quiz->driver()->verdicts().back();
        QVERIFY2(v.predicted(), v.actual.describe().c_str());
        QCOMPARE(quiz->sessionGuessed(), 1);
        // To the end, revealing every question: each marked answer is the kernel's.
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(test::waitUntil(
            [&] {
                if (quiz->driver() && quiz->driver()->question())
                    quiz->answer(0);
                if (run->phase() == EventSource::Phase::Paused)
                    run->resume();
                return run->phase() == EventSource::Phase::Finished;
            },
            run, &RunController::countersSampled, 30000));
        QCOMPARE(run->state().outcome(), static_cast<int>(OutcomeOk));
        QVERIFY(quiz->sessionGuessed() >= 1);
    }
    QVERIFY(test::noChildrenLeft());
    QCOMPARE(test::ResourceSnapshot::take().fds, before.fds);
}

QTEST_MAIN(TestQuizWindow)
#include "tst_quizwindow.moc"
