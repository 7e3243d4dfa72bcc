// PlatformInfo reports what this kernel says; each number is checked against
// an independent measurement and against the kernel's behaviour.
#include "core/lessons/platforminfo.h"
#include "core/run/procprobe.h"

#include <QFile>
#include <QtTest>

#include <fcntl.h>
#include <limits.h>
#include <sys/resource.h>
#include <unistd.h>

#include <set>
#include <vector>

using namespace pipescope;

class TestPlatformInfo : public QObject
{
    Q_OBJECT

private:
    struct Pipe {
        int fds[2] = {-1, -1};
        Pipe(int flags = O_CLOEXEC) { pipe2(fds, flags); }
        ~Pipe()
        {
            for (int fd : fds)
                if (fd >= 0)
                    close(fd);
        }
    };

private slots:
    void readsWithoutLeaking()
    {
        const int before = ProcProbe::countOpenFds();
        const PlatformInfo info = PlatformInfo::read();
        QCOMPARE(ProcProbe::countOpenFds(), before);
        QVERIFY(info.kernel().rfind("Linux ", 0) == 0);
    }

    void pipeBufIsWhatAPipeSays()
    {
        const PlatformInfo info = PlatformInfo::read();
        Pipe p;
        QCOMPARE(info.pipeBuf(), std::int64_t {fpathconf(p.fds[0], _PC_PIPE_BUF)});
        QVERIFY(info.pipeBuf() >= PlatformInfo::kPosixMinPipeBuf);
        QCOMPARE(info.pipeBuf(), std::int64_t {PIPE_BUF}); // Linux: the header and the kernel agree
    }

    void defaultCapacityIsWhatTheKernelHolds()
    {
        const PlatformInfo info = PlatformInfo::read();
        Pipe p(O_CLOEXEC | O_NONBLOCK);
        QCOMPARE(info.defaultPipeCapacity(), std::int64_t {fcntl(p.fds[1], F_GETPIPE_SZ)});
        QVERIFY(info.defaultPipeCapacity() >= info.pipeBuf());
        QCOMPARE(info.defaultPipeCapacity() % info.pageSize(), std::int64_t {0});
        // A fresh pipe takes exactly that many bytes, then would block.
        std::vector<char> data(static_cast<std::size_t>(info.defaultPipeCapacity()) + 1, 'x');
        QCOMPARE(static_cast<std::int64_t>(write(p.fds[1], data.data(), data.size())), info.defaultPipeCapacity());
        errno = 0;
        QCOMPARE(write(p.fds[1], data.data(), 1), ssize_t {-1});
        QCOMPARE(errno, EAGAIN);
    }

    void maxCapacityIsTheProcLimitAndWorks()
    {
        const PlatformInfo info = PlatformInfo::read();
        QFile file(QStringLiteral("/proc/sys/fs/pipe-max-size"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(info.maxPipeCapacity(), file.readAll().trimmed().toLongLong());
        QVERIFY(info.maxPipeCapacity() >= info.defaultPipeCapacity());
        Pipe p;
        QCOMPARE(std::int64_t {fcntl(p.fds[1], F_SETPIPE_SZ, static_cast<int>(info.maxPipeCapacity()))},
            info.maxPipeCapacity());
    }

    void pageSizeAndOpenFileLimit()
    {
        const PlatformInfo info = PlatformInfo::read();
        QCOMPARE(info.pageSize(), std::int64_t {sysconf(_SC_PAGESIZE)});
        rlimit limit {};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
        QCOMPARE(info.openFilesSoft(),
            limit.rlim_cur == RLIM_INFINITY ? std::int64_t {-1} : static_cast<std::int64_t>(limit.rlim_cur));
        QCOMPARE(info.openFilesHard(),
            limit.rlim_max == RLIM_INFINITY ? std::int64_t {-1} : static_cast<std::int64_t>(limit.rlim_max));
    }

    void everyFactExplainsItself()
    {
        const PlatformInfo info = PlatformInfo::read();
        const auto facts = info.facts();
        QCOMPARE(facts.size(), std::size_t {6});
        std::set<std::string> keys;
        const std::string text = info.text();
        for (const PlatformFact &f : facts) {
            QVERIFY(keys.insert(f.key).second);
            QVERIFY(!f.label.empty() && !f.source.empty() && !f.elsewhere.empty() && !f.unit.empty());
            QVERIFY2(f.value > 0, f.key.c_str());
            QVERIFY(text.find(f.label + ": " + std::to_string(f.value) + " " + f.unit) != std::string::npos);
        }
        // The notes name how other systems differ.
        QVERIFY(facts.at(0).elsewhere.find("512") != std::string::npos);
        QVERIFY(facts.at(1).elsewhere.find("macOS") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestPlatformInfo)
#include "tst_platforminfo.moc"
