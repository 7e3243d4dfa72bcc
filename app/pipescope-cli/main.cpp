// pipescope-cli: run PipeScope's scenarios from a terminal.
#include "app/pipescope-cli/clicommand.h"

#include <QCoreApplication>

#include <csignal>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pipescope-cli"));
    // Ctrl+C cancels the run: the runner kills and reaps the tree, then we exit.
    struct sigaction sa {
    };
    sa.sa_handler = [](int) { pipescope::CliCommand::requestCancel(); };
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    pipescope::CliCommand command(stdout, stderr, stdin);
    return command.exec(argc, argv);
}
