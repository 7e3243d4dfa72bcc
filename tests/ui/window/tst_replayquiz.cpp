// Quiz mode on a replay: the CLI records a real epipe run in slow motion, the
// window replays it with Q on, stops at the recorded gate the generator asks
// about (Step and the pace do not run past it), takes a guess, and reveals what
// the file's next events say the kernel did; twice, the same.
#include "core/quiz/quizjudge.h"
#include "core/quiz/quizreplay.h"
#include "ui/source/replaycontroller.h"
#include "ui/window/mainwindow.h"
#include "ui/window/quizmode.h"
#include "ui/window/quizoverlay.h"
#include "warmup.h"

#include <QAction>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace pipescope;

class TstReplayQuiz : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_file;

    /// One pass: what was asked, where, and what was revealed.
    QStringList quizOnce()
    {
        MainWindow window(nullptr);
        window.resize(1280, 720);
        window.show();
        if (!QTest::qWaitForWindowActive(&window)) // shortcuts reach the active window only
            return {QStringLiteral("the window is not active")};
        QString error;
        if (!window.openReplay(m_file, true, &error))
            return {QStringLiteral("cannot open: ") + error};
        ReplayController *replay = window.replay();
        QuizMode *quiz = window.quiz();
        QTest::keyClick(&window, Qt::Key_Q);
        if (!quiz->isActive())
            return {QStringLiteral("Q did not turn the quiz on")};
        QSignalSpy asked(quiz, &QuizMode::questionAsked);
        QSignalSpy shown(quiz, &QuizMode::verdictShown);
        QAction *stepAction = window.findChild<QAction *>(QStringLiteral("stepAction"));
        while (asked.isEmpty() && replay->position() < replay->eventCount())
            stepAction->trigger();
        QStringList out;
        out << QStringLiteral("asked %1").arg(asked.count());
        if (asked.isEmpty())
            return out;
        [&] {
            QVERIFY(replay->held());
            QVERIFY(quiz->overlay()->isVisible());
            const QuizQuestion q = *quiz->replayQuiz()->question();
            QVERIFY(q.choices.size() >= 2 && q.choices.size() <= 4);
            const int at = replay->position();
            // Neither Step nor playing runs past an open question.
            stepAction->trigger();
            QCOMPARE(replay->position(), at);
            replay->resume();
            QCOMPARE(replay->phase(), EventSource::Phase::Paused);
            QCOMPARE(replay->position(), at);

            // What the file says the kernel did: the first event after the gate that answers q.
            std::optional<QuizOutcome> expected;
            int seen = 0;
            for (const Recording::Step &s : replay->recording().steps) {
                if (!s.isEvent())
                    continue;
                if (++seen > at && !expected)
                    expected = QuizJudge::outcome(q, s.event);
            }
            QVERIFY2(expected, "the file answers the question");

            const QString question = quiz->overlay()->text();
            QTest::keyClick(&window, Qt::Key_1);
            QVERIFY(shown.count() == 1 || shown.wait(10000));
            QCOMPARE(replay->phase(), EventSource::Phase::Paused); // the class talks about it first
            const QString verdict = quiz->overlay()->text();
            QVERIFY2(verdict.contains(QString::fromStdString(expected->describe())), qPrintable(verdict));
            const bool right = QuizJudge::choiceOf(q, *expected) == 0;
            QVERIFY2(verdict.contains(right ? QStringLiteral("Right!") : QStringLiteral("Wrong")), qPrintable(verdict));
            QCOMPARE(quiz->sessionGuessed(), 1);
            QCOMPARE(quiz->sessionRight(), right ? 1 : 0);
            out << QStringLiteral("at %1").arg(at) << question << verdict;
            // Step after the verdict: it leaves the stage (unless the next call is a question too).
            stepAction->trigger();
            QCOMPARE(quiz->overlay()->isVisible(), asked.count() == 2);
        }();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        test::warmUpMainWindow();
        m_file = m_dir.filePath(QStringLiteral("epipe.pipescope"));
        QProcess cli;
        cli.start(QString::fromLocal8Bit(qgetenv("PIPESCOPE_CLI")),
            {QStringLiteral("run"), QStringLiteral("epipe"), QStringLiteral("--pace"), QStringLiteral("20"),
                QStringLiteral("--record"), m_file});
        QVERIFY(cli.waitForFinished(30000));
        // epipe's parent exits 1 when its writer dies of SIGPIPE (the lesson): the file is what counts.
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QVERIFY(QFileInfo(m_file).size() > 0);
    }

    void asksAndRevealsWhatTheFileSays()
    {
        const QStringList first = quizOnce();
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(first.size() == 4, qPrintable(first.join(QLatin1Char('|'))));
        QCOMPARE(quizOnce(), first); // deterministic: the same question and answer on a second pass
    }
};

QTEST_MAIN(TstReplayQuiz)
#include "tst_replayquiz.moc"
