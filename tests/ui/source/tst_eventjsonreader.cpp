// EventJsonReader reads back exactly what EventJson writes, for every event
// kind, and refuses anything EventJson would not have written.
#include "core/export/eventjson.h"
#include "core/model/eventformat.h"
#include "ui/source/eventjsonreader.h"

#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>

using namespace pipescope;

namespace
{

constexpr std::int64_t kStart = 5'000'000'000'000; // a CLOCK_MONOTONIC time: the run's start

// One realistic event of this kind, with the fields its kind uses set.
Event sample(EventKind kind, int i)
{
    Event e;
    e.seq = 100 + static_cast<std::uint64_t>(i);
    e.kind = kind;
    e.pid = 4000 + i;
    e.timeNs = kStart + 1'000'000 * (i + 1);
    e.startNs = e.timeNs - 2500;
    switch (kind) {
    case EventKind::RunStarted:
        e.timeNs = kStart; // what makes it the start
        e.startNs = 0;
        e.otherPid = 4001;
        break;
    case EventKind::ProcessStarted:
        e.setText("parent");
        e.otherPid = 3999;
        break;
    case EventKind::PipeCreated:
        e.fd = 3;
        e.fd2 = 4;
        e.inode = 91234;
        e.requested = 65536;
        e.status = O_CLOEXEC | O_NONBLOCK;
        break;
    case EventKind::SetPipeSize:
        e.fd = 4;
        e.inode = 91234;
        e.requested = 4096;
        e.result = 4096;
        break;
    case EventKind::Fork:
        e.otherPid = 4100;
        e.result = 4100;
        e.setText("child");
        break;
    case EventKind::Exec: e.setText("cat -n"); break;
    case EventKind::ExecFailed:
        e.err = ENOENT;
        e.result = -1;
        break;
    case EventKind::Dup2:
        e.fd = 1;
        e.fd2 = 4;
        e.inode = 91234;
        e.result = 1;
        break;
    case EventKind::Close:
        e.fd = 3;
        e.inode = 91234;
        break;
    case EventKind::Write:
        e.fd = 4;
        e.inode = 91234;
        e.requested = 20;
        e.result = 20;
        e.setText("hello \"pipe\"\n\t\\ \xc3\xa9");
        break;
    case EventKind::Read:
        e.fd = 3;
        e.inode = 91234;
        e.requested = 4096;
        break; // EOF
    case EventKind::Select:
        e.requested = 1000;
        e.result = 1;
        for (const int fd : {3, 5, 200})
            Event::setBit(e.watched, fd);
        Event::setBit(e.ready, 5);
        break;
    case EventKind::Sleep: e.requested = 250; break;
    case EventKind::Wait:
        e.otherPid = 4100;
        e.result = 4100;
        e.status = 3 << 8;
        break;
    case EventKind::GateWait:
        e.pending = EventKind::Write;
        e.fd = 4;
        e.requested = 20;
        break;
    case EventKind::Blocked:
        e.fd = 4;
        e.inode = 91234;
        e.requested = 1;
        e.result = 65536;
        e.setText("blocked in write(4): pipe full [anon_pipe_write]");
        break;
    case EventKind::Woken: break;
    case EventKind::Exited: e.status = SIGPIPE; break;
    case EventKind::Reaped:
        e.otherPid = 3999;
        e.status = 0;
        break;
    case EventKind::Note: e.setText("verified: 1000000 bytes"); break;
    case EventKind::Watchdog:
        e.requested = 3000;
        e.setText("4100 4101");
        break;
    case EventKind::RunFinished:
        e.status = OutcomeCancelled;
        e.setText("cancelled");
        break;
    case EventKind::Mkfifo:
        e.inode = 91300;
        e.requested = 0600;
        e.setText("/tmp/pipescope-fifo-Ab12Cd/fifo");
        break;
    case EventKind::Open:
        e.fd = 3;
        e.inode = 91300;
        e.status = 01; // O_WRONLY
        e.requested = 65536;
        e.result = 3;
        e.setText("/tmp/pipescope-fifo-Ab12Cd/fifo");
        break;
    case EventKind::SocketPair:
        e.fd = 3;
        e.fd2 = 4;
        e.inode = 91400;
        e.inode2 = 91401;
        e.status = 1; // SOCK_STREAM
        e.requested = 212992;
        break;
    case EventKind::Count_: break;
    }
    return e;
}

} // namespace

class TstEventJsonReader : public QObject
{
    Q_OBJECT

private slots:
    void everyKindRoundTrips()
    {
        const EventJsonReader reader(kStart);
        for (int k = 0; k < static_cast<int>(EventKind::Count_); ++k) {
            const Event e = sample(static_cast<EventKind>(k), k);
            const std::string line = EventJson::toJson(e, kStart, "role-x");
            QString error;
            QString role;
            const std::optional<Event> back = reader.read(QByteArrayView(line.data(), line.size()), &error, &role);
            QVERIFY2(back, qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(eventKindName(e.kind)), error)));
            const Event &b = *back;
            const QByteArray what = eventKindName(e.kind);
            QVERIFY2(b.kind == e.kind, what);
            QCOMPARE(b.seq, e.seq);
            QCOMPARE(b.timeNs, e.timeNs);
            QCOMPARE(b.startNs, e.startNs);
            QCOMPARE(b.pid, e.pid);
            QCOMPARE(b.fd, e.fd);
            QCOMPARE(b.fd2, e.fd2);
            QCOMPARE(b.inode, e.inode);
            QCOMPARE(b.inode2, e.inode2); // a socket pair's second end
            QCOMPARE(b.otherPid, e.otherPid);
            QCOMPARE(b.err, e.err);
            QCOMPARE(b.requested, e.requested);
            QCOMPARE(b.result, e.result);
            QCOMPARE(b.status, e.status);
            QVERIFY(b.pending == e.pending);
            QVERIFY(b.watched == e.watched);
            QVERIFY(b.ready == e.ready);
            QCOMPARE(QByteArray(b.textView().data(), static_cast<qsizetype>(b.textView().size())),
                QByteArray(e.textView().data(), static_cast<qsizetype>(e.textView().size())));
            QCOMPARE(role, QStringLiteral("role-x"));
            // And written again, it is the same line to the byte.
            QCOMPARE(
                QByteArray::fromStdString(EventJson::toJson(b, kStart, "role-x")), QByteArray::fromStdString(line));
        }
    }

    void flagsComeBackDerived()
    {
        const EventJsonReader reader(kStart);
        Event e = sample(EventKind::Write, 1);
        e.result = -1;
        e.err = EPIPE;
        for (const int err : {EPIPE, EAGAIN}) {
            e.err = err;
            const std::string line = EventJson::toJson(e, kStart, {});
            QVERIFY(QByteArray::fromStdString(line).contains(
                err == EPIPE ? "\"broken_pipe\":true" : "\"would_block\":true"));
            const auto back = reader.read(QByteArrayView(line.data(), line.size()), nullptr);
            QVERIFY(back);
            QCOMPARE(back->isBrokenPipe(), err == EPIPE);
            QCOMPARE(back->isWouldBlock(), err == EAGAIN);
        }
    }

    void waitStatusesReadBack_data()
    {
        QTest::addColumn<int>("status");
        QTest::newRow("exit 0") << 0;
        QTest::newRow("exit 3") << (3 << 8);
        QTest::newRow("exit 255") << (255 << 8);
        QTest::newRow("SIGKILL") << int {SIGKILL};
        QTest::newRow("SIGPIPE") << int {SIGPIPE};
        QTest::newRow("unknown (-1)") << -1;
        QTest::newRow("stopped") << 0x137f;
    }

    void waitStatusesReadBack()
    {
        QFETCH(int, status);
        const auto back = EventJsonReader::parseWaitStatus(QString::fromStdString(EventFormat::waitStatus(status)));
        QVERIFY(back);
        QCOMPARE(*back, status);
    }

    void refusesWhatEventJsonNeverWrites_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("why");
        const QByteArray base
            = R"("seq":1,"t_ns":5,"kind":"read","pid":7,"fd":3,"inode":9,"requested":10,"result":4,"line":"x")";
        QTest::newRow("not json") << QByteArray("{\"seq\":") << QStringLiteral("not JSON");
        QTest::newRow("an array") << QByteArray("[1,2]") << QStringLiteral("not a JSON object");
        QTest::newRow("good") << ("{" + base + "}") << QString();
        QTest::newRow("unknown key") << ("{" + base + ",\"colour\":1}") << QStringLiteral("unknown key 'colour'");
        QTest::newRow("unknown kind") << QByteArray(base).replace("\"read\"", "\"reed\"").prepend('{').append('}')
                                      << QStringLiteral("unknown kind 'reed'");
        QTest::newRow("no pid") << QByteArray(base).replace("\"pid\":7,", "").prepend('{').append('}')
                                << QStringLiteral("no 'pid'");
        QTest::newRow("fraction") << QByteArray(base).replace("\"result\":4", "\"result\":4.5").prepend('{').append('}')
                                  << QStringLiteral("'result' is not an integer in range");
        QTest::newRow("string number") << QByteArray(base).replace("\"fd\":3", "\"fd\":\"3\"").prepend('{').append('}')
                                       << QStringLiteral("'fd' is not an integer in range");
        QTest::newRow("negative fd") << QByteArray(base).replace("\"fd\":3", "\"fd\":-1").prepend('{').append('}')
                                     << QStringLiteral("'fd' is not an integer in range");
        QTest::newRow("status on a read")
            << ("{" + base + ",\"status\":\"exit 0\"}") << QStringLiteral("'status' on a read");
        QTest::newRow("eof that is none")
            << ("{" + base + ",\"eof\":true}") << QStringLiteral("'eof' contradicts the call's result");
        QTest::newRow("eof not said")
            << QByteArray(base).replace("\"result\":4", "\"result\":0").prepend('{').append('}')
            << QStringLiteral("'eof' contradicts the call's result");
        QTest::newRow("errno without name")
            << ("{" + base + ",\"errno\":11}") << QStringLiteral("'errno_name' does not name errno 11");
        QTest::newRow("wrong errno name") << ("{" + base + ",\"errno\":11,\"errno_name\":\"EPIPE\"}")
                                          << QStringLiteral("'errno_name' does not name errno 11");
        QTest::newRow("gate without pending")
            << QByteArray(base).replace("\"read\"", "\"gate\"").prepend('{').append('}')
            << QStringLiteral("no 'pending'");
        QTest::newRow("select without sets")
            << QByteArray(base).replace("\"read\"", "\"select\"").prepend('{').append('}')
            << QStringLiteral("no 'watched'");
        QTest::newRow("bad wait status")
            << QByteArray(base).replace("\"read\"", "\"exited\"").prepend('{').append(",\"status\":\"fine\"}")
            << QStringLiteral("'status' is not a wait status");
        QTest::newRow("text not a string")
            << ("{" + base + ",\"text\":5}") << QStringLiteral("'text' is not a non-empty string");
    }

    void refusesWhatEventJsonNeverWrites()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, why);
        QString error;
        const auto e = EventJsonReader().read(line, &error);
        if (why.isEmpty()) {
            QVERIFY2(e, qPrintable(error));
            return;
        }
        QVERIFY(!e);
        QVERIFY2(error.startsWith(why), qPrintable(error));
    }

    void kindNamesMatchTheWriter()
    {
        // The reader knows a kind by the name the writer gives it, for every kind.
        for (int k = 0; k < static_cast<int>(EventKind::Count_); ++k)
            QCOMPARE(static_cast<int>(eventKindFromName(eventKindName(static_cast<EventKind>(k)))), k);
    }
};

QTEST_GUILESS_MAIN(TstEventJsonReader)
#include "tst_eventjsonreader.moc"
