// A traced program from the window: File > Trace a program... (program, arguments,
// working directory, the recent ones kept in the settings), and the keyboard's
// Step and Space on a traced program as on a scenario.
#include "core/run/procprobe.h"
#include "runharness.h"
#include "ui/scene/pipescene.h"
#include "ui/source/eventsource.h"
#include "ui/source/tracecontroller.h"
#include "ui/window/appsettings.h"
#include "ui/window/controlbar.h"
#include "ui/window/mainwindow.h"
#include "ui/window/processpicker.h"
#include "ui/window/recenttrace.h"
#include "ui/window/tracedialog.h"
#include "uiwait.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>
#include <QtTest>

#include <functional>

#include <signal.h>
#include <unistd.h>

using namespace pipescope;

namespace
{

/// Runs act on the modal dialog of type T once exec() has shown it (from inside its event loop).
template<typename T>
void whenModal(const std::function<void(T *)> &act)
{
    auto *poll = new QTimer;
    QObject::connect(poll, &QTimer::timeout, poll, [poll, act] {
        if (auto *d = qobject_cast<T *>(QApplication::activeModalWidget())) {
            poll->stop();
            poll->deleteLater();
            act(d);
        }
    });
    poll->start(10);
}

} // namespace

class TstTraceWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The settings go to a folder of this test's own (AppSettings follows XDG_CONFIG_HOME), never the user's.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
        QApplication::setOrganizationName(QStringLiteral("pipescope-test"));
        QApplication::setApplicationName(QStringLiteral("tst_tracewindow"));
        QVERIFY(!TraceController::cliPath().isEmpty());
        MainWindow warm(nullptr); // fonts and the platform open their fds once: not a leak
        warm.show();
        warm.grab();
    }

    void init() { QFile::remove(AppSettings().fileName()); }

    void argumentsSplitAsAShellWould()
    {
        QCOMPARE(RecentTrace::splitArguments(QStringLiteral("-c 'ls | wc -l'  x\\ y \"a \\\"b\\\"\" ''")),
            (QStringList {QStringLiteral("-c"), QStringLiteral("ls | wc -l"), QStringLiteral("x y"),
                QStringLiteral("a \"b\""), QString()}));
        QCOMPARE(RecentTrace::splitArguments(QStringLiteral("  ")), QStringList());
        QCOMPARE(RecentTrace::splitArguments(QStringLiteral("$HOME *.py")),
            (QStringList {QStringLiteral("$HOME"), QStringLiteral("*.py")})); // no expansion without a shell
    }

    void recentProgramsSurviveARestart()
    {
        const RecentTrace a {QStringLiteral("python3"), QStringLiteral("examples/select_pipe.py"), QString()};
        const RecentTrace b {QStringLiteral("sh"), QStringLiteral("-c 'ls | wc -l'"), QStringLiteral("/tmp")};
        const RecentTrace c {QStringLiteral("./a.out"), QString(), QStringLiteral("/home")};
        {
            AppSettings settings;
            QVERIFY2(settings.fileName().startsWith(m_config.path()), qPrintable(settings.fileName()));
            QVERIFY(settings.recentTraces().isEmpty());
            settings.addRecentTrace(a);
            settings.addRecentTrace(b);
            settings.addRecentTrace(c);
            settings.addRecentTrace(a); // used again: first, and only once
            QCOMPARE(settings.recentTraces(), (QVector<RecentTrace> {a, c, b}));
        }
        {
            AppSettings again; // a new start reads the file
            QCOMPARE(again.recentTraces(), (QVector<RecentTrace> {a, c, b}));
            for (int i = 0; i < 2 * RecentTrace::kMax; ++i)
                again.addRecentTrace({QStringLiteral("prog%1").arg(i), QString(), QString()});
        }
        AppSettings last;
        const QVector<RecentTrace> kept = last.recentTraces();
        QCOMPARE(kept.size(), RecentTrace::kMax); // short, the latest first
        QCOMPARE(kept.first().program, QStringLiteral("prog%1").arg(2 * RecentTrace::kMax - 1));
        QCOMPARE(kept.last().program, QStringLiteral("prog%1").arg(RecentTrace::kMax));
        // b's arguments come back split as a shell would, without a shell.
        QCOMPARE(b.argv(), (QStringList {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("ls | wc -l")}));
    }

    void dialogTracesTheProgramInItsDirectory()
    {
        const int fdsBefore = ProcProbe::countOpenFds();
        QTemporaryDir work;
        QVERIFY(work.isValid());
        const QString dir = QDir(work.path()).canonicalPath();
        AppSettings settings;
        const RecentTrace older {QStringLiteral("true"), QString(), QString()};
        settings.addRecentTrace(older);
        const RecentTrace wanted {QStringLiteral("sh"), QStringLiteral("-c 'pwd > where; echo hi | cat'"), dir};
        {
            MainWindow window(&settings);
            window.show();
            QSignalSpy finished(window.source(), &EventSource::runFinished);
            QString offered;
            int offeredCount = 0;
            QString refused;
            bool stayedOpen = false;
            whenModal<TraceDialog>([&](TraceDialog *d) {
                // The latest recent program is offered first, filled in.
                offered = d->request().program;
                offeredCount = d->findChild<QComboBox *>(QStringLiteral("program"))->count();
                // A program that cannot run is refused in the dialog, which stays open.
                d->setRequest({QStringLiteral("no-such-program-xyz"), QString(), dir});
                d->accept();
                refused = d->findChild<QLabel *>(QStringLiteral("problem"))->text();
                stayedOpen = d->isVisible();
                d->setRequest(wanted);
                d->accept();
            });
            window.openTraceDialog();
            QCOMPARE(offered, older.program);
            QCOMPARE(offeredCount, 1);
            QCOMPARE(refused, QStringLiteral("cannot run 'no-such-program-xyz': No such file or directory"));
            QVERIFY(stayedOpen);

            QCOMPARE(window.trace()->program(),
                (QStringList {
                    QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("pwd > where; echo hi | cat")}));
            QCOMPARE(window.trace()->workingDirectory(), dir);
            QCOMPARE(window.source()->title(), window.trace()->title());
            QVERIFY(finished.count() == 1 || finished.wait(30000));
            QCOMPARE(window.trace()->exitCode(), 0);
            // It ran there: its pwd wrote the folder into a file in that folder.
            QFile where(QDir(dir).filePath(QStringLiteral("where")));
            QVERIFY(where.open(QIODevice::ReadOnly));
            QCOMPARE(QString::fromLocal8Bit(where.readAll()).trimmed(), dir);
            QVERIFY(window.trace()->output().contains("hi\n"));
            // Remembered, the latest first.
            QCOMPARE(settings.recentTraces(), (QVector<RecentTrace> {wanted, older}));

            // Next time the dialog offers it, and Cancel starts nothing.
            whenModal<TraceDialog>([&](TraceDialog *d) {
                offered = d->request().arguments;
                offeredCount = d->findChild<QComboBox *>(QStringLiteral("program"))->count();
                d->reject();
            });
            window.openTraceDialog();
            QCOMPARE(offered, wanted.arguments);
            QCOMPARE(offeredCount, 2);
            QCOMPARE(finished.count(), 1);
            window.close();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
    }

    // Right steps a traced program held at its gate, Space resumes it: the keys of a scenario.
    void keyboardStepsATracedProgram()
    {
        const int fdsBefore = ProcProbe::countOpenFds();
        {
            MainWindow window(nullptr);
            window.show();
            QVERIFY(QTest::qWaitForWindowActive(&window)); // shortcuts reach the active window only
            TraceController *trace = window.trace();
            QSignalSpy finished(window.source(), &EventSource::runFinished);
            QString error;
            QVERIFY2(window.startTrace({QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo hi | cat")},
                         &error, QString(), true),
                qPrintable(error));
            QCOMPARE(window.controls()->phase(), EventSource::Phase::Paused);
            QPushButton *step = window.controls()->button(QStringLiteral("step"));
            QVERIFY(step->isEnabled());
            QVERIFY(test::waitUntil([&] { return trace->heldPid() != 0; }, trace, &EventSource::eventsArrived, 20000));
            const std::size_t before = trace->state().eventCount();
            QTest::keyClick(&window, Qt::Key_Right);
            // The held pipe() is made, then the next call waits at its gate.
            QVERIFY(test::waitUntil([&] { return trace->state().eventCount() >= before + 2 && trace->heldPid() != 0; },
                trace, &EventSource::eventsArrived, 20000));
            QCOMPARE(trace->state().pipes().size(), std::size_t {1});
            QCOMPARE(window.controls()->phase(), EventSource::Phase::Paused);
            QTest::keyClick(&window, Qt::Key_Space); // resume: full speed, to the end
            QCOMPARE(window.controls()->phase(), EventSource::Phase::Running);
            QVERIFY(finished.count() == 1 || finished.wait(30000));
            QVERIFY2(window.controls()->status().startsWith(QLatin1String("finished: ok")),
                qPrintable(window.controls()->status()));
            window.close();
        }
        QVERIFY(test::noChildrenLeft());
        QCOMPARE(ProcProbe::countOpenFds(), fdsBefore);
    }

    // File > Attach to a process...: the picker, the title, Stop detaches and the pipeline runs on.
    void attachFromTheFileMenu()
    {
        QProcess pipeline;
        pipeline.setChildProcessModifier([] { setpgid(0, 0); });
        pipeline.start(QStringLiteral("sh"),
            {QStringLiteral("-c"), QStringLiteral("for i in $(seq 1 30); do echo $i; sleep 0.1; done | cat")});
        QVERIFY(pipeline.waitForStarted());
        const qint64 sh = pipeline.processId();
        auto cleanup = qScopeGuard([&] {
            kill(static_cast<pid_t>(-sh), SIGKILL);
            pipeline.waitForFinished(5000);
        });
        {
            MainWindow window(nullptr);
            window.show();
            QString title;
            whenModal<ProcessPicker>([&](ProcessPicker *picker) {
                title = picker->windowTitle();
                auto *list = picker->findChild<QTreeWidget *>();
                for (int i = 0; i < list->topLevelItemCount(); ++i)
                    if (list->topLevelItem(i)->data(0, Qt::UserRole).toLongLong() == sh)
                        list->setCurrentItem(list->topLevelItem(i));
                picker->accept();
            });
            window.findChild<QAction *>(QStringLiteral("attachProcess"))->trigger();
            QCOMPARE(title, QStringLiteral("Attach to a process"));
            QCOMPARE(window.trace()->attachedPid(), sh);
            QCOMPARE(window.source()->phase(), EventSource::Phase::Running);
            QVERIFY2(window.controls()->status().contains(QLatin1String("Stop detaches; the program keeps running")),
                qPrintable(window.controls()->status()));
            QVERIFY2(window.controls()->status().startsWith(QStringLiteral("attached to %1 (sh)").arg(sh)),
                qPrintable(window.controls()->status()));
            QVERIFY(test::waitUntil([&] { return window.scene()->pipeItemCount() >= 1; }, window.source(),
                &EventSource::eventsArrived, 20000));
            window.controls()->button(QStringLiteral("stop"))->click();
            QCOMPARE(window.source()->phase(), EventSource::Phase::Finished);
            QVERIFY2(window.controls()->status().startsWith(QLatin1String("detached from")),
                qPrintable(window.controls()->status()));
            window.close();
        }
        QCOMPARE(pipeline.state(), QProcess::Running);
        QFile status(QStringLiteral("/proc/%1/status").arg(sh));
        QVERIFY(status.open(QIODevice::ReadOnly));
        QVERIFY(status.readAll().contains("\nTracerPid:\t0\n"));
        QVERIFY(pipeline.waitForFinished(30000));
        QCOMPARE(pipeline.exitCode(), 0);
        QVERIFY(pipeline.readAllStandardOutput().endsWith("29\n30\n"));
        cleanup.dismiss();
        QVERIFY(test::noChildrenLeft());
    }

private:
    QTemporaryDir m_config;
};

QTEST_MAIN(TstTraceWindow)
#include "tst_tracewindow.moc"
