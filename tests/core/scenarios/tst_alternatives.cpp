// The two alternatives to a pipe, run for real: a named pipe (fifo) opened by
// two processes that are not parent and child, and a socket pair (socketpair)
// that carries bytes both ways on one connection. Kernel facts only: the order
// the kernel let the opens return in, EOF, bytes per direction, what /proc calls
// each fd; and that nothing is left behind, not even the FIFO's name.
#include "runharness.h"

#include "core/model/eventformat.h"
#include "core/run/procprobe.h"

#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

using namespace pipescope;
using namespace pipescope::test;

namespace
{

bool pathGone(const std::string &path)
{
    struct stat st {
    };
    return lstat(path.c_str(), &st) < 0 && errno == ENOENT;
}

std::string folderOf(const std::string &path)
{
    return path.substr(0, path.rfind('/'));
}

const Event *firstOf(const RunHarness &run, EventKind kind, const std::function<bool(const Event &)> &also)
{
    for (const Event &e : run.events())
        if (e.kind == kind && also(e))
            return &e;
    return nullptr;
}

} // namespace

class TestAlternatives : public QObject
{
    Q_OBJECT

private:
    pid_t pidOf(const RunHarness &run, const std::string &role)
    {
        for (const ProcessInfo &p : run.state().processes())
            if (p.role == role)
                return p.pid;
        return 0;
    }

    void checkNothingLeft(RunHarness &run, const ResourceSnapshot &before)
    {
        run.release();
        QVERIFY2(noChildrenLeft(), "a zombie or child is left");
        for (int pid : run.allPids())
            QVERIFY2(processGone(pid), qPrintable(QStringLiteral("pid %1 still exists").arg(pid)));
        QCOMPARE(ResourceSnapshot::take().fds, before.fds);
    }

private slots:
    void fifoReaderOpensOnlyOnceTheWriterDoes()
    {
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunHarness run;
        RunRequest request;
        request.scenario = "fifo";
        request.assignments = {{"message", "by name, not by fork"}, {"writer-delay-ms", "200"}};
        QVERIFY2(run.start(request), run.error().c_str());
        QVERIFY2(run.finish(30000), "run did not finish in time");
        QCOMPARE(run.session().outcome(), int(OutcomeOk));

        const auto made = run.eventsOf(EventKind::Mkfifo);
        QCOMPARE(made.size(), std::size_t {1});
        QCOMPARE(made[0].err, 0);
        const std::string path(made[0].textView());
        QVERIFY2(path.find("/pipescope-fifo-") != std::string::npos, path.c_str());

        const pid_t reader = pidOf(run, "reader");
        const pid_t writer = pidOf(run, "writer");
        QVERIFY(reader > 0 && writer > 0);
        // Not parent and child: both are children of the scenario's main process.
        QCOMPARE(run.state().process(reader)->parent, run.state().process(writer)->parent);
        const Event *readerOpen = firstOf(run, EventKind::Open, [&](const Event &e) { return e.pid == reader; });
        const Event *writerOpen = firstOf(run, EventKind::Open, [&](const Event &e) { return e.pid == writer; });
        QVERIFY(readerOpen && writerOpen);
        QCOMPARE(readerOpen->err, 0);
        QCOMPARE(writerOpen->err, 0);
        // Both opened the same kernel pipe, by name: the FIFO's inode.
        QCOMPARE(readerOpen->inode, made[0].inode);
        QCOMPARE(writerOpen->inode, made[0].inode);
        QCOMPARE(std::string(readerOpen->textView()), path);
        // The reader came first and waited: its open returned only after the writer's open began.
        QVERIFY(readerOpen->startNs < writerOpen->startNs);
        QVERIFY2(readerOpen->timeNs >= writerOpen->startNs, "the reader's open returned before any writer opened");
        QVERIFY2(readerOpen->timeNs - readerOpen->startNs >= 100'000'000LL, "the reader's open did not wait");
        // Seen from outside while it waited: asleep in open (when the kernel names where).
        for (const Event &e : run.eventsOf(EventKind::Blocked))
            if (e.pid == reader && e.timeNs < writerOpen->startNs)
                QVERIFY2(e.textView().find("open()") != std::string_view::npos, e.text);

        // The same EOF rule as a pipe: the reader's 0 comes after the writer's close.
        const Event *writerClose = firstOf(run, EventKind::Close, [&](const Event &e) { return e.pid == writer; });
        const Event *eof = firstOf(run, EventKind::Read, [&](const Event &e) { return e.pid == reader && e.isEof(); });
        QVERIFY(writerClose && eof);
        QVERIFY(eof->timeNs >= writerClose->startNs);

        const PipeInfo *fifo = run.state().pipe(made[0].inode);
        QVERIFY(fifo);
        QCOMPARE(fifo->kind, ChannelKind::Fifo);
        QCOMPARE(fifo->path, path);
        QCOMPARE(fifo->written, std::int64_t {20});
        QCOMPARE(fifo->read, fifo->written);
        QVERIFY(fifo->eofSeen);
        QVERIFY(EventFormat::summary(run.state()).find("fifo:[" + std::to_string(fifo->inode)) != std::string::npos);
        // Removed by the scenario itself, with its private folder.
        QVERIFY2(pathGone(path), path.c_str());
        QVERIFY2(pathGone(folderOf(path)), folderOf(path).c_str());
        checkNothingLeft(run, before);
    }

    void cancelledFifoRunLeavesNoName()
    {
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunHarness run;
        RunRequest request;
        request.scenario = "fifo";
        // The writer would wait 10 s: the reader is stuck in open when the run is cancelled.
        request.assignments = {{"writer-delay-ms", "10000"}};
        QVERIFY2(run.start(request), run.error().c_str());
        QVERIFY(run.waitFor([](const Event &e) { return e.kind == EventKind::Mkfifo; }) >= 0);
        const std::string path(run.eventsOf(EventKind::Mkfifo).front().textView());
        QVERIFY2(!pathGone(path), "the FIFO should exist while the run lasts");
        run.session().cancel();
        QVERIFY2(run.finish(20000), "run did not finish in time");
        QCOMPARE(run.session().outcome(), int(OutcomeCancelled));
        QVERIFY2(pathGone(path), path.c_str());
        QVERIFY2(pathGone(folderOf(path)), folderOf(path).c_str());
        bool said = false;
        for (const Event &e : run.eventsOf(EventKind::Note))
            said = said || e.textView().find("runner removed the FIFO " + path) != std::string_view::npos;
        QVERIFY2(said, "the runner should say it removed the FIFO");
        checkNothingLeft(run, before);
    }

    void socketPairCarriesBothWaysOnOneConnection()
    {
        const ResourceSnapshot before = ResourceSnapshot::take();
        RunHarness run;
        RunRequest request;
        request.scenario = "socketpair";
        request.mode = RunMode::Step;
        const std::string ask = "question, 23 bytes long";
        const std::string answer = "answer: 14 B.";
        request.assignments = {{"request", ask}, {"reply", answer}};
        QVERIFY2(run.start(request), run.error().c_str());
        // Held before its fork, the parent holds both ends: /proc names them sockets.
        int pairAt = -1;
        for (;;) {
            const int i = run.waitFor(
                [](const Event &e) { return e.kind == EventKind::GateWait || e.kind == EventKind::SocketPair; });
            QVERIFY(i >= 0);
            const Event &e = run.events()[static_cast<std::size_t>(i)];
            if (e.kind == EventKind::SocketPair)
                pairAt = i;
            if (e.kind == EventKind::GateWait && e.pending == EventKind::Fork)
                break;
            run.session().step();
        }
        QVERIFY(pairAt >= 0);
        const Event pair = run.events()[static_cast<std::size_t>(pairAt)];
        QCOMPARE(pair.err, 0);
        QVERIFY(pair.inode && pair.inode2 && pair.inode != pair.inode2);
        int sockets = 0;
        for (const FdEntry &fd : ProcProbe::fdTable(pair.pid)) {
            if (fd.fd == pair.fd || fd.fd == pair.fd2) {
                const std::uint64_t inode = fd.fd == pair.fd ? pair.inode : pair.inode2;
                QCOMPARE(fd.target, "socket:[" + std::to_string(inode) + "]");
                QCOMPARE(fd.socketInode, inode);
                QCOMPARE(fd.pipeInode, std::uint64_t {0});
                // Each end both reads and writes.
                QVERIFY(fd.readEnd && fd.writeEnd);
                ++sockets;
            }
        }
        QCOMPARE(sockets, 2);
        run.session().setFree();
        QVERIFY2(run.finish(30000), "run did not finish in time");
        QCOMPARE(run.session().outcome(), int(OutcomeOk));

        QCOMPARE(run.state().pipes().size(), std::size_t {1});
        const PipeInfo &p = run.state().pipes().front();
        QVERIFY(p.isSocket());
        QCOMPARE(p.inode2, pair.inode2);
        // Bytes read = bytes written, in each direction on its own.
        QCOMPARE(p.written, std::int64_t(ask.size()));
        QCOMPARE(p.read, p.written);
        QCOMPARE(p.written2, std::int64_t(answer.size()));
        QCOMPARE(p.read2, p.written2);
        // The parent read EOF on its end once the child closed the other.
        QVERIFY(p.eofSeen2);
        std::string parentGot, childGot;
        const pid_t parent = pair.pid;
        for (const Event &e : run.eventsOf(EventKind::Read))
            if (e.result > 0)
                (e.pid == parent ? parentGot : childGot) += std::string(e.textView());
        QCOMPARE(parentGot, answer);
        QCOMPARE(childGot, ask);
        const std::string summary = EventFormat::summary(run.state());
        QVERIFY2(summary.find("socket pairs") != std::string::npos, summary.c_str());
        checkNothingLeft(run, before);
    }
};

QTEST_GUILESS_MAIN(TestAlternatives)
#include "tst_alternatives.moc"
