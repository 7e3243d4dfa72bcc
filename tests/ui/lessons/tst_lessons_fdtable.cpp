// The live fd table against real processes: a child held right after fork
// holds both ends of the pipe until its close, the ends a correct program
// would have closed are flagged, and EOF is "possible" only with no write end open.
#include "runharness.h"
#include "ui/lessons/fdtablemodel.h"
#include "ui/lessons/fdtablepanel.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QTableView>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace pipescope;

namespace
{

const FdTableModel::Row *pipeRow(const FdTableModel &m, std::uint64_t inode, bool writeEnd)
{
    for (const FdTableModel::Row &r : m.rows()) {
        if (r.entry.pipeInode == inode && r.entry.writeEnd == writeEnd)
            return &r;
    }
    return nullptr;
}

int pidOf(const RunState &s, const std::string &role)
{
    for (const ProcessInfo &p : s.processes()) {
        if (p.role == role)
            return p.pid;
    }
    return 0;
}

/// Asleep in a call of its own. Just let go from its gate, a process may be seen a moment in the
/// gate's futex ("held at its gate"), which is not the block a test waits for.
bool blocked(const RunState &s, const std::string &role)
{
    const ProcessInfo *p = s.process(pidOf(s, role));
    return p && p->state == ProcessState::Blocked && p->detail.rfind("held at its gate", 0) != 0;
}

void savePanel(const RunState &state, const std::vector<Event> &events, int pid, const QString &file)
{
    FdTablePanel panel(&state);
    panel.setInterval(0);
    panel.appendEvents(QVector<Event>(events.begin(), events.end()));
    panel.setProcess(pid);
    panel.resize(1400, 360);
    QDir().mkpath(QStringLiteral("/tmp/lessons"));
    panel.grab().save(file);
}

} // namespace

class TestLessonsFdTable : public QObject
{
    Q_OBJECT
private slots:
    void heldChildHoldsBothEnds();
    void forgottenWriteEndIsFlagged();
    void leakedThroughExecIsFlagged();
    void unusedReadEndIsFlagged();
};

void TestLessonsFdTable::heldChildHoldsBothEnds()
{
    test::RunHarness run;
    RunRequest request;
    request.scenario = "parent-child";
    request.mode = RunMode::Step;
    QVERIFY2(run.start(request), run.error().c_str());
    // Release the parent's pipe2 and fork; the child then waits at its gate before close(fd[1]).
    for (EventKind k : {EventKind::PipeCreated, EventKind::Fork}) {
        const int at = run.waitFor([k](const Event &e) { return e.kind == EventKind::GateWait && e.pending == k; });
        QVERIFY(at >= 0);
        run.session().stepProcess(run.events()[static_cast<std::size_t>(at)].pid);
    }
    const int held = run.waitFor([&](const Event &e) {
        const ProcessInfo *p = run.state().process(e.pid);
        return e.kind == EventKind::GateWait && e.pending == EventKind::Close && p && p->role == "child";
    });
    QVERIFY(held >= 0);
    const int child = run.events()[static_cast<std::size_t>(held)].pid;
    const auto pipes = run.eventsOf(EventKind::PipeCreated);
    QCOMPARE(pipes.size(), std::size_t {1});
    const std::uint64_t inode = pipes.front().inode;

    FdTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.noteEvents(run.events());
    model.setProcess(child);
    QVERIFY(model.refresh(run.state()));
    QVERIFY(model.alive());
    const FdTableModel::Row *readEnd = pipeRow(model, inode, false);
    const FdTableModel::Row *writeEnd = pipeRow(model, inode, true);
    QVERIFY2(readEnd && writeEnd, "after fork the child holds both ends");
    QCOMPARE(readEnd->entry.fd, pipes.front().fd);
    QCOMPARE(writeEnd->entry.fd, pipes.front().fd2);
    QVERIFY(readEnd->what.contains(QStringLiteral("read end")));
    QVERIFY(writeEnd->what.contains(QStringLiteral("write end")));
    QCOMPARE(readEnd->writeEndsOpen, 2); // the parent's and the child's own
    QVERIFY2(readEnd->eof.startsWith(QStringLiteral("no: 2 write ends")), qPrintable(readEnd->eof));
    QVERIFY(readEnd->eof.contains(QStringLiteral("child fd %1").arg(writeEnd->entry.fd)));
    const int telemetry = model.rowOf(FdTableModel::kTelemetryFd);
    QVERIFY(telemetry >= 0);
    QCOMPARE(model.data(model.index(telemetry, FdTableModel::What), Qt::DisplayRole).toString(),
        QStringLiteral("PipeScope telemetry (not part of the lesson)"));
    QVERIFY(model.rows()[static_cast<std::size_t>(telemetry)].entry.closeOnExec);
    QCOMPARE(model.data(model.index(model.rowOf(writeEnd->entry.fd), FdTableModel::Fd), FdTableModel::PipeInodeRole)
                 .toULongLong(),
        static_cast<qulonglong>(inode));
    savePanel(run.state(), run.events(), child, QStringLiteral("/tmp/lessons/fdtable-child-held.png"));

    // One step: the child's close(fd[1]) really happens, and the kernel's table shows it.
    const int writeFd = writeEnd->entry.fd;
    run.session().stepProcess(child);
    QVERIFY(run.waitFor([&](const Event &e) { return e.kind == EventKind::Close && e.pid == child; }) >= 0);
    model.noteEvents(run.events());
    QVERIFY(model.refresh(run.state()));
    QCOMPARE(model.rowOf(writeFd), -1);
    QVERIFY(pipeRow(model, inode, false));
    QCOMPARE(pipeRow(model, inode, false)->writeEndsOpen, 1);

    run.session().cancel();
    QVERIFY(run.finish(10000));
    QVERIFY(!model.refresh(run.state()));
    QCOMPARE(model.rowCount(), 0);
    run.release();
    QVERIFY(test::noChildrenLeft());
}

void TestLessonsFdTable::forgottenWriteEndIsFlagged()
{
    test::RunHarness run;
    RunRequest request;
    request.scenario = "no-close-eof";
    request.assignments = {{"watchdog-ms", "3000"}};
    QVERIFY2(run.start(request), run.error().c_str());
    // The hang, as the kernel shows it: the child asleep in read, the parent in waitpid.
    // The runner's Blocked samples can overtake the child's own close event: wait for both.
    QVERIFY(run.waitUntil(
        [&] {
            const ProcessInfo *c = run.state().process(pidOf(run.state(), "child"));
            return blocked(run.state(), "child") && blocked(run.state(), "parent") && c && c->fds.size() == 1;
        },
        5000));
    const int parent = pidOf(run.state(), "parent");
    const int child = pidOf(run.state(), "child");
    const std::uint64_t inode = run.eventsOf(EventKind::PipeCreated).front().inode;

    FdTableModel model;
    model.noteEvents(run.events());
    model.setProcess(parent);
    QVERIFY(model.refresh(run.state()));
    const FdTableModel::Row *w = pipeRow(model, inode, true);
    QVERIFY2(w, "the parent still holds its write end");
    QVERIFY(w->shouldClose);
    QVERIFY2(w->advice.contains(QStringLiteral("waits in read for EOF")), qPrintable(w->advice));
    QVERIFY(model.data(model.index(model.rowOf(w->entry.fd), 0), FdTableModel::ShouldCloseRole).toBool());
    QVERIFY(model.data(model.index(model.rowOf(w->entry.fd), 0), Qt::BackgroundRole).isValid());
    QCOMPARE(model.rowOf(run.eventsOf(EventKind::PipeCreated).front().fd), -1); // its read end: closed
    savePanel(run.state(), run.events(), parent, QStringLiteral("/tmp/lessons/fdtable-no-close-eof-parent.png"));

    model.setProcess(child);
    QVERIFY(model.refresh(run.state()));
    const FdTableModel::Row *r = pipeRow(model, inode, false);
    QVERIFY(r && !r->shouldClose);
    QCOMPARE(r->writeEndsOpen, 1);
    QVERIFY2(r->eof.contains(QStringLiteral("parent fd %1").arg(w->entry.fd)), qPrintable(r->eof));
    QVERIFY(!pipeRow(model, inode, true)); // the child did close its own
    savePanel(run.state(), run.events(), child, QStringLiteral("/tmp/lessons/fdtable-no-close-eof-child.png"));

    QVERIFY(run.finish(10000));
    QCOMPARE(run.state().outcome(), static_cast<int>(OutcomeWatchdog));
    run.release();
    QVERIFY(test::noChildrenLeft());
}

void TestLessonsFdTable::leakedThroughExecIsFlagged()
{
    test::RunHarness run;
    RunRequest request;
    request.scenario = "fd-leak-exec";
    request.assignments = {{"watchdog-ms", "3000"}};
    QVERIFY2(run.start(request), run.error().c_str());
    // The reader asleep in read, and cat asleep in its own read (not writing): only then is cat's write end
    // one nobody will use. cat's block can reach the state after the reader's.
    QVERIFY(run.waitUntil([&] { return blocked(run.state(), "reader") && blocked(run.state(), "cat"); }, 5000));
    const int cat = pidOf(run.state(), "cat");
    const Event data = run.eventsOf(EventKind::PipeCreated).front();
    FdTableModel model;
    model.noteEvents(run.events());
    model.setProcess(cat);
    QVERIFY(model.refresh(run.state()));
    const FdTableModel::Row *w = pipeRow(model, data.inode, true);
    QVERIFY2(w, "cat inherited the write end through exec");
    QCOMPARE(w->entry.fd, data.fd2);
    QVERIFY(!w->entry.closeOnExec);
    QVERIFY(w->shouldClose);
    QVERIFY2(w->advice.contains(QStringLiteral("reader")), qPrintable(w->advice));
    const FdTableModel::Row *r = pipeRow(model, data.inode, false);
    QVERIFY(r && r->shouldClose);
    QVERIFY2(r->advice.contains(QStringLiteral("inherited through exec")), qPrintable(r->advice));
    savePanel(run.state(), run.events(), cat, QStringLiteral("/tmp/lessons/fdtable-fd-leak-exec-cat.png"));
    QVERIFY(run.finish(10000));
    run.release();
    QVERIFY(test::noChildrenLeft());
}

void TestLessonsFdTable::unusedReadEndIsFlagged()
{
    // This test process plays the part: a real pipe, and events saying it only wrote to it.
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    struct stat st {
    };
    QCOMPARE(fstat(fds[0], &st), 0);
    Event started;
    started.kind = EventKind::ProcessStarted;
    started.pid = getpid();
    started.setText("writer");
    Event created;
    created.kind = EventKind::PipeCreated;
    created.pid = getpid();
    created.fd = fds[0];
    created.fd2 = fds[1];
    created.inode = created.inode2 = st.st_ino;
    created.requested = 65536;
    Event wrote;
    wrote.kind = EventKind::Write;
    wrote.pid = getpid();
    wrote.fd = fds[1];
    wrote.inode = st.st_ino;
    wrote.requested = wrote.result = 5;
    RunState state;
    FdTableModel model;
    for (const Event &e : {started, created, wrote}) {
        state.apply(e);
        model.noteEvent(e);
    }
    model.setProcess(getpid());
    QVERIFY(model.refresh(state));
    const FdTableModel::Row *r = pipeRow(model, st.st_ino, false);
    QVERIFY(r && r->shouldClose);
    QVERIFY2(r->advice.contains(QStringLiteral("only writes to pipe")), qPrintable(r->advice));
    QVERIFY(!pipeRow(model, st.st_ino, true)->shouldClose);
    QCOMPARE(r->eof, QStringLiteral("no: 1 write end open (writer fd %1)").arg(fds[1]));
    ::close(fds[0]);
    ::close(fds[1]);
}

QTEST_MAIN(TestLessonsFdTable)
#include "tst_lessons_fdtable.moc"
