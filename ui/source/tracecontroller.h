#pragma once

#include "ui/source/eventjsonreader.h"
#include "ui/source/eventsource.h"

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

class QSocketNotifier;

namespace pipescope
{

/// A user's own program, traced (core/trace) and drawn live. ptrace wants every
/// call from one thread and the GUI has several, so the tracer runs in a child:
/// `pipescope-cli trace --format jsonl --output /proc/OURPID/fd/N -- PROGRAM ARGS`,
/// writing its events as JSON lines into a pipe of ours, which EventJsonReader
/// turns back into the same Events the scene draws for a built-in scenario.
/// The program's stdin is /dev/null; its stdout and stderr go to files (output()).
/// Step, Pause and slow motion are lines written to the CLI's --control-fd
/// (`step`, `pause`, `run`, `pace MS`): the tracer holds one process at a time
/// at the entry of its next pipe-related call and reports it with a GateWait.
class TraceController : public EventSource
{
    Q_OBJECT
public:
    explicit TraceController(QObject *parent = nullptr);
    ~TraceController() override;

    /// Starts tracing argv (argv[0] found in PATH, no shell unless it is one); paceMs > 0: slow
    /// motion. False with one line ("cannot run 'x': No such file or directory") when it cannot start.
    /// held: every process waits at its first pipe-related call (Paused) until Step or Resume.
    bool start(const QStringList &argv, int paceMs = 0, QString *error = nullptr, bool held = false);
    /// Why argv cannot be traced (its program is not found), or an empty string. A relative path
    /// (./a.out) is looked for in directory (empty: ours), where the program will run.
    static QString refusal(const QStringList &argv, const QString &directory = QString());
    /// The program's working directory from the next start (empty: this program's own).
    void setWorkingDirectory(const QString &directory) { m_directory = directory; }
    QString workingDirectory() const { return m_directory; }
    /// The pipescope-cli that traces: $PIPESCOPE_CLI, else beside this program, else from PATH.
    static QString cliPath();

    /// Attaches to the running process pid, its descendants and the other holders of their pipes
    /// (the other stages of its pipeline). Stop detaches: nothing is killed. held: paused at once.
    /// False with one line when pid may not be attached (attachRefusal, or the CLI's own).
    bool attach(qint64 pid, int paceMs = 0, QString *error = nullptr, bool held = false);
    /// Why pid cannot be attached (none, PID 1, PipeScope itself, already traced...), or an empty string.
    static QString attachRefusal(qint64 pid);
    /// The pid attached to (0: a program started here).
    qint64 attachedPid() const { return m_attachPid; }

    /// "tracing PROGRAM ARGS" or "attached to PID (name)".
    QString title() const override;
    QStringList program() const { return m_argv; }
    bool canStep(QString *why = nullptr) const override;
    bool canPace(QString *why = nullptr) const override;
    bool canPause(QString *why = nullptr) const override;
    QString endText(int outcome) const override;
    /// The CLI's exit code once it ended (the program's own status), -1 before.
    int exitCode() const { return m_exitCode; }
    /// What the CLI said on stderr (its one error line when the program cannot run), once it ended.
    QString errorText() const { return m_errorText; }
    /// Lines the reader refused (none, unless the CLI and this reader disagree on the format).
    int badLines() const { return m_badLines; }
    /// The program's stdout and stderr so far.
    QByteArray output() const;

    /// The process held at its gate (a GateWait came and no step or run was sent since), 0 when none.
    int heldPid() const { return m_gatePending ? m_heldPid : 0; }

public Q_SLOTS:
    /// Every process is held at its next pipe-related call.
    void pause() override;
    /// Back to the pace (or full speed) from a pause.
    void resume() override;
    /// Lets the held process make its call; pauses first when running. Releases nobody and says why
    /// (stepRefused) when nobody is at a gate: nothing is remembered for later.
    void step() override;
    /// As step() when pid is the one held; the tracer holds one process at a time, so another is refused.
    void stepProcess(int pid) override;
    /// Slow motion from now on (0: full speed); a paused program stays paused.
    void setPace(int ms) override;
    void fullSpeed() override;
    /// Kills and reaps the traced tree (the CLI does it on SIGTERM); returns when the CLI has ended.
    void stop() override;
    void reset() override;
    /// Reads whatever lines have arrived; called by the notifier (public for tests).
    void readEvents();

private:
    /// Starts pipescope-cli trace with what (-- PROGRAM... or --attach PID ...).
    bool launch(const QStringList &what, int paceMs, bool held, QString *error);
    void processEnded(int exitCode, QProcess::ExitStatus status);
    void release();
    /// Writes one command line to the CLI's control fd; false when it is gone.
    bool send(const QByteArray &command);
    /// Why a Step released nobody (issue 9's words).
    QString whyNobodyHeld() const;

    QProcess *m_cli = nullptr;
    std::unique_ptr<QTemporaryDir> m_dir;
    QSocketNotifier *m_notifier = nullptr;
    int m_readFd = -1;
    int m_writeFd = -1;
    int m_controlFd = -1; ///< our end of the CLI's --control-fd
    bool m_gatePending = false; ///< a GateWait came and no event, step or run since
    bool m_stepSent = false; ///< a step went out and no event came back yet
    int m_heldPid = 0;
    bool m_stopped = false; ///< stop() ended it (attached: detached)
    qint64 m_attachPid = 0;
    QString m_attachName; ///< its comm when attached
    QByteArray m_pending;
    EventJsonReader m_reader;
    bool m_based = false;
    QStringList m_argv;
    QString m_directory;
    int m_paceMs = 0;
    int m_exitCode = -1;
    int m_badLines = 0;
    QString m_errorText;
};

} // namespace pipescope
