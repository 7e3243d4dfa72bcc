#include "ui/source/tracecontroller.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QStandardPaths>

#include "core/run/gatekeeper.h"
#include "core/trace/attachcheck.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <limits>

namespace pipescope
{

namespace
{

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t {ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

TraceController::TraceController(QObject *parent) : EventSource(parent)
{
    m_state.setExecsTraced(true);
}

TraceController::~TraceController()
{
    release();
}

bool TraceController::canStep(QString *why) const
{
    Q_UNUSED(why)
    return true;
}

bool TraceController::canPace(QString *why) const
{
    Q_UNUSED(why)
    return true;
}

bool TraceController::canPause(QString *why) const
{
    Q_UNUSED(why)
    return true;
}

QString TraceController::endText(int outcome) const
{
    if (!m_errorText.isEmpty())
        return QStringLiteral("%1: %2").arg(
            m_attachPid > 0 ? QStringLiteral("cannot attach") : QStringLiteral("cannot trace"), m_errorText);
    if (m_attachPid > 0)
        return m_stopped ? QStringLiteral("detached from %1 (%2): it keeps running, no longer traced")
                               .arg(m_attachPid)
                               .arg(m_attachName)
                         : QStringLiteral("finished: every attached process has ended");
    return QStringLiteral("finished: %1 (pipescope-cli trace exited %2)")
        .arg(QString::fromLatin1(outcomeName(outcome)))
        .arg(m_exitCode);
}

QString TraceController::cliPath()
{
    const QString env = qEnvironmentVariable("PIPESCOPE_CLI");
    if (!env.isEmpty())
        return env;
    const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/pipescope-cli");
    if (QFileInfo(beside).isExecutable())
        return beside;
    return QStandardPaths::findExecutable(QStringLiteral("pipescope-cli"));
}

QString TraceController::refusal(const QStringList &argv, const QString &directory)
{
    if (argv.isEmpty() || argv.constFirst().isEmpty())
        return QStringLiteral("no program to trace");
    const QString program = argv.constFirst();
    // execvp's rules: a name with a slash is a path (from the program's working directory), any
    // other is looked up in PATH.
    const QFileInfo path(directory.isEmpty() ? QDir::current() : QDir(directory), program);
    const bool found = program.contains(QLatin1Char('/')) ? path.isExecutable() && !path.isDir()
                                                          : !QStandardPaths::findExecutable(program).isEmpty();
    if (!found)
        return QStringLiteral("cannot run '%1': %2")
            .arg(program,
                path.exists() ? QStringLiteral("Permission denied") : QStringLiteral("No such file or directory"));
    return QString();
}

bool TraceController::start(const QStringList &argv, int paceMs, QString *error, bool held)
{
    reset();
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        release();
        return false;
    };
    if (!m_directory.isEmpty() && !QFileInfo(m_directory).isDir())
        return fail(QStringLiteral("no such directory: %1").arg(m_directory));
    if (const QString why = refusal(argv, m_directory); !why.isEmpty())
        return fail(why);
    m_argv = argv;
    return launch(QStringList {QStringLiteral("--")} + argv, paceMs, held, error);
}

QString TraceController::attachRefusal(qint64 pid)
{
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max())
        return QStringLiteral("'%1' is not a process id").arg(pid);
    const std::optional<std::string> why = AttachCheck::refusal(static_cast<pid_t>(pid));
    if (!why)
        return QString();
    // The CLI's line starts "attach: PID ..."; here it follows "--attach: " or "cannot attach: ".
    QString text = QString::fromStdString(*why);
    if (text.startsWith(QLatin1String("attach: ")))
        text.remove(0, 8);
    return text;
}

bool TraceController::attach(qint64 pid, int paceMs, QString *error, bool held)
{
    reset();
    if (const QString why = attachRefusal(pid); !why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    m_attachPid = pid;
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    if (comm.open(QIODevice::ReadOnly))
        m_attachName = QString::fromLocal8Bit(comm.readAll()).trimmed();
    // --follow-pipes: the other stages of its pipeline too, as --watch-pid shows them.
    return launch(
        {QStringLiteral("--attach"), QString::number(pid), QStringLiteral("--follow-pipes")}, paceMs, held, error);
}

QString TraceController::title() const
{
    if (m_attachPid > 0)
        return QStringLiteral("attached to %1 (%2)").arg(m_attachPid).arg(m_attachName);
    return QStringLiteral("tracing %1").arg(m_argv.join(QLatin1Char(' ')));
}

bool TraceController::launch(const QStringList &what, int paceMs, bool held, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        release();
        return false;
    };
    const QString cli = cliPath();
    if (cli.isEmpty())
        return fail(QStringLiteral("cannot find pipescope-cli (it traces the program): set PIPESCOPE_CLI"));
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
        return fail(QStringLiteral("pipe2: %1").arg(QString::fromLocal8Bit(strerror(errno))));
    m_readFd = fds[0];
    // Our own write end stays open until the CLI has ended: the read end never sees an
    // EOF before the CLI has opened its copy (the end is the CLI's exit, not an EOF).
    m_writeFd = fds[1];
    // The control channel is a socket pair rather than a pipe: send(MSG_NOSIGNAL) to a CLI that has
    // died fails with EPIPE instead of killing the GUI with SIGPIPE. Both ends are close-on-exec; the
    // CLI's end is made inheritable in the forked child only (below), so no other child gets it.
    int control[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, control) != 0)
        return fail(QStringLiteral("socketpair: %1").arg(QString::fromLocal8Bit(strerror(errno))));
    m_controlFd = control[0];
    const int cliEnd = control[1];
    m_dir = std::make_unique<QTemporaryDir>();
    m_paceMs = std::max(0, paceMs);
    m_cli = new QProcess(this);
    // The CLI starts the program in its own working directory.
    m_cli->setWorkingDirectory(m_directory);
    // A program that reads stdin gets /dev/null here (in a terminal the CLI gives it the terminal).
    m_cli->setStandardInputFile(QProcess::nullDevice());
    m_cli->setStandardOutputFile(m_dir->filePath(QStringLiteral("stdout")));
    m_cli->setStandardErrorFile(m_dir->filePath(QStringLiteral("stderr")));
    // The CLI opens the pipe through /proc: a new write end of its own, close-on-exec, so the
    // traced program never inherits it (its fd numbers stay what they would be in a terminal).
    QStringList args {QStringLiteral("trace"), QStringLiteral("--format"), QStringLiteral("jsonl"),
        QStringLiteral("--output"), QStringLiteral("/proc/%1/fd/%2").arg(getpid()).arg(m_writeFd)};
    args << QStringLiteral("--control-fd") << QString::number(cliEnd);
    if (held)
        args << QStringLiteral("--step"); // with --control-fd: paused from the first call
    else if (m_paceMs > 0)
        args << QStringLiteral("--pace") << QString::number(m_paceMs);
    args << what;
    connect(m_cli, &QProcess::finished, this, &TraceController::processEnded);
    connect(m_cli, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            processEnded(-1, QProcess::CrashExit);
    });
    m_notifier = new QSocketNotifier(m_readFd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &TraceController::readEvents);
    // Runs in the forked child before exec: only async-signal-safe calls (fcntl).
    m_cli->setChildProcessModifier([cliEnd] { fcntl(cliEnd, F_SETFD, 0); });
    m_cli->start(cli, args);
    ::close(cliEnd); // the CLI has its copy (or never started); its EOF is ours to give by closing m_controlFd
    if (!m_cli->waitForStarted(5000))
        return fail(QStringLiteral("cannot start %1: %2").arg(cli, m_cli->errorString()));
    setPhase(held ? Phase::Paused : Phase::Running);
    Q_EMIT runStarted();
    if (m_attachPid > 0)
        Q_EMIT statusChanged(QStringLiteral("%1: Stop detaches; the program keeps running").arg(title()));
    return true;
}

void TraceController::readEvents()
{
    if (m_readFd < 0)
        return;
    std::vector<Event> batch;
    char buffer[65536];
    // At most a few hundred KiB per call, so a flood cannot starve painting.
    for (int round = 0; round < 8; ++round) {
        const ssize_t n = ::read(m_readFd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        m_pending.append(buffer, n);
    }
    qsizetype from = 0;
    for (qsizetype nl = m_pending.indexOf('\n'); nl >= 0; nl = m_pending.indexOf('\n', from)) {
        const QByteArrayView line(m_pending.constData() + from, nl - from);
        from = nl + 1;
        if (!m_based) {
            // Times come relative to the tracer's start; ours is a few microseconds later.
            m_reader.setBaseNs(nowNs());
            m_based = true;
        }
        QString why;
        QString role;
        const std::optional<Event> e = m_reader.read(line, &why, &role);
        if (!e) {
            ++m_badLines;
            qWarning("pipescope: unreadable trace line (%s): %s", qPrintable(why), line.toByteArray().constData());
            continue;
        }
        m_state.apply(*e);
        // The tracer is held while a process waits at its gate: any other event means the hold ended.
        m_gatePending = e->kind == EventKind::GateWait;
        m_stepSent = false;
        if (m_gatePending)
            m_heldPid = e->pid;
        // The CLI names each process by the program it runs now: a node shows "cat", not "python3".
        if (e->kind == EventKind::Exec && !role.isEmpty())
            m_state.nameProcess(e->pid, role.toStdString());
        batch.push_back(*e);
    }
    m_pending.remove(0, from);
    if (!batch.empty())
        Q_EMIT eventsArrived(QVector<Event>(batch.begin(), batch.end()));
    // Paused with a process at its gate: the status says who waits, for what, and which key lets it go.
    if (!batch.empty() && m_gatePending && phase() == Phase::Paused && batch.back().kind == EventKind::GateWait) {
        const ProcessInfo *held = m_state.process(m_heldPid);
        const Event &gate = batch.back();
        QString call = QString::fromLatin1(eventKindName(gate.pending));
        if (gate.fd >= 0)
            call += QStringLiteral("(%1)").arg(gate.fd);
        // Short enough for the toolbar of a 1280 px projector.
        Q_EMIT statusChanged(QStringLiteral("paused: %1 (%2) about to %3; Right steps")
                                 .arg(held ? QString::fromStdString(held->role) : QStringLiteral("?"))
                                 .arg(m_heldPid)
                                 .arg(call));
    }
}

void TraceController::processEnded(int exitCode, QProcess::ExitStatus status)
{
    if (!m_cli || phase() == Phase::Idle || phase() == Phase::Finished)
        return;
    // Everything it wrote is in the pipe by now: read it to the last line.
    int before = -1;
    while (static_cast<int>(m_state.eventCount()) != before) {
        before = static_cast<int>(m_state.eventCount());
        readEvents();
    }
    m_exitCode = status == QProcess::NormalExit ? exitCode : -1;
    QFile err(m_dir->filePath(QStringLiteral("stderr")));
    if (err.open(QIODevice::ReadOnly)) {
        // The CLI's own lines; the program's stderr is in the same file, before and after them.
        for (const QByteArray &line : err.readAll().split('\n'))
            if (line.startsWith("pipescope-cli: error: "))
                m_errorText = QString::fromUtf8(line.mid(22));
    }
    if (m_errorText.isEmpty() && m_cli->error() == QProcess::FailedToStart)
        m_errorText = m_cli->errorString();
    const int outcome = m_state.finished() ? m_state.outcome() : OutcomeFailed;
    delete m_notifier;
    m_notifier = nullptr;
    setPhase(Phase::Finished);
    Q_EMIT countersSampled();
    Q_EMIT runFinished(outcome);
}

QByteArray TraceController::output() const
{
    if (!m_dir)
        return {};
    QByteArray out;
    for (const char *name : {"stdout", "stderr"}) {
        QFile f(m_dir->filePath(QLatin1String(name)));
        if (f.open(QIODevice::ReadOnly))
            out += f.readAll();
    }
    return out;
}

bool TraceController::send(const QByteArray &command)
{
    if (m_controlFd < 0 || phase() == Phase::Finished)
        return false;
    const QByteArray line = command + '\n';
    // A few bytes into an empty socket buffer: never short, never blocking unless the CLI stopped reading.
    return ::send(m_controlFd, line.constData(), static_cast<size_t>(line.size()), MSG_NOSIGNAL | MSG_DONTWAIT)
        == line.size();
}

void TraceController::pause()
{
    if (phase() != Phase::Running || !send("pause"))
        return;
    setPhase(Phase::Paused);
}

void TraceController::resume()
{
    if (phase() != Phase::Paused)
        return;
    if (!send(m_paceMs > 0 ? QByteArray("pace ") + QByteArray::number(m_paceMs) : QByteArray("run")))
        return;
    m_gatePending = false;
    setPhase(Phase::Running);
}

QString TraceController::whyNobodyHeld() const
{
    if (m_stepSent)
        return QStringLiteral("the last step is still under way");
    int live = 0;
    int asleep = 0;
    for (const ProcessInfo &p : m_state.processes()) {
        if (p.state == ProcessState::Exited || p.state == ProcessState::Reaped)
            continue;
        ++live;
        asleep += p.state == ProcessState::Blocked;
    }
    return QString::fromUtf8(GateKeeper::whyStepDidNothing(live > 0 && asleep == live));
}

void TraceController::step()
{
    if (phase() != Phase::Running && phase() != Phase::Paused)
        return;
    pause(); // a Step while it runs stops everything first, as for a scenario
    if (!m_gatePending) {
        Q_EMIT stepRefused(whyNobodyHeld());
        return;
    }
    if (send("step")) {
        m_gatePending = false;
        m_stepSent = true;
    }
}

void TraceController::stepProcess(int pid)
{
    if (m_gatePending && m_heldPid != pid) {
        Q_EMIT stepRefused(QStringLiteral("pid %1 is not at a gate: the tracer holds one process at a time, "
                                          "now pid %2 (Step lets it go)")
                               .arg(pid)
                               .arg(m_heldPid));
        return;
    }
    step();
}

void TraceController::setPace(int ms)
{
    m_paceMs = std::max(0, ms);
    // A paused program stays paused: the pace applies when it resumes.
    if (phase() == Phase::Running)
        send(m_paceMs > 0 ? QByteArray("pace ") + QByteArray::number(m_paceMs) : QByteArray("run"));
}

void TraceController::fullSpeed()
{
    m_paceMs = 0;
    if (phase() != Phase::Running && phase() != Phase::Paused)
        return;
    if (send("run")) {
        m_gatePending = false;
        setPhase(Phase::Running);
    }
}

void TraceController::stop()
{
    if (!m_cli || m_cli->state() == QProcess::NotRunning)
        return;
    // SIGTERM: the CLI kills the traced tree (SIGTERM, then SIGKILL after a grace), reaps it and exits;
    // attached, it detaches every thread and kills nothing.
    m_stopped = true;
    m_cli->terminate();
    if (!m_cli->waitForFinished(5000)) {
        m_cli->kill(); // PTRACE_O_EXITKILL takes the tracees with it
        m_cli->waitForFinished(2000);
    }
}

void TraceController::release()
{
    if (m_cli) {
        stop();
        m_cli->disconnect(this);
        delete m_cli;
        m_cli = nullptr;
    }
    delete m_notifier;
    m_notifier = nullptr;
    for (int *fd : {&m_readFd, &m_writeFd, &m_controlFd}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
    m_pending.clear();
}

void TraceController::reset()
{
    release();
    m_dir.reset();
    m_state = RunState();
    m_state.setExecsTraced(true);
    m_based = false;
    m_exitCode = -1;
    m_badLines = 0;
    m_gatePending = false;
    m_stepSent = false;
    m_heldPid = 0;
    m_stopped = false;
    m_attachPid = 0;
    m_attachName.clear();
    m_argv.clear();
    m_errorText.clear();
    setPhase(Phase::Idle);
    Q_EMIT runReset();
}

} // namespace pipescope
