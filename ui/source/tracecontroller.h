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
/// Slow motion is the CLI's --pace, given at the start; Step needs the CLI's
/// terminal, so it is refused with the reason.
class TraceController : public EventSource
{
    Q_OBJECT
public:
    explicit TraceController(QObject *parent = nullptr);
    ~TraceController() override;

    /// Starts tracing argv (argv[0] found in PATH, no shell unless it is one); paceMs > 0: slow
    /// motion. False with one line ("cannot run 'x': No such file or directory") when it cannot start.
    bool start(const QStringList &argv, int paceMs = 0, QString *error = nullptr);
    /// Why argv cannot be traced (its program is not found), or an empty string.
    static QString refusal(const QStringList &argv);
    /// The pipescope-cli that traces: $PIPESCOPE_CLI, else beside this program, else from PATH.
    static QString cliPath();

    QString title() const override { return QStringLiteral("tracing %1").arg(m_argv.join(QLatin1Char(' '))); }
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

public Q_SLOTS:
    /// Slow motion applies from the next start (the CLI takes its pace once).
    void setPace(int ms) override;
    /// Kills and reaps the traced tree (the CLI does it on SIGTERM); returns when the CLI has ended.
    void stop() override;
    void reset() override;
    /// Reads whatever lines have arrived; called by the notifier (public for tests).
    void readEvents();

private:
    void processEnded(int exitCode, QProcess::ExitStatus status);
    void release();

    QProcess *m_cli = nullptr;
    std::unique_ptr<QTemporaryDir> m_dir;
    QSocketNotifier *m_notifier = nullptr;
    int m_readFd = -1;
    int m_writeFd = -1;
    QByteArray m_pending;
    EventJsonReader m_reader;
    bool m_based = false;
    QStringList m_argv;
    int m_paceMs = 0;
    int m_exitCode = -1;
    int m_badLines = 0;
    QString m_errorText;
};

} // namespace pipescope
