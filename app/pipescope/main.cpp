// pipescope: the GUI. Parses the command line, shows the window, and hands a
// scripted run (--run, --screenshot, --quit-after-ms) and a program of one's own
// (--watch -- COMMAND, --watch-pid PID, [--run] -- PROGRAM) to the AutoPilot.
#include "ui/lessons/nodefdtables.h"
#include "ui/scene/paintmemory.h"
#include "ui/window/appoptions.h"
#include "ui/window/appsettings.h"
#include "ui/window/autopilot.h"
#include "ui/window/comparepane.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presentermode.h"
#include "ui/window/quizmode.h"
#include "ui/window/screenfit.h"

#include <QApplication>

#include <cstdio>
#include <memory>
#include <string_view>

namespace
{

/// True when argv asks only for help or the version (before any "--", which starts a program's own
/// arguments): that needs no display, and QApplication aborts where there is none.
bool asksForHelp(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg == "--")
            return false;
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    if (asksForHelp(argc, argv)) {
        QCoreApplication core(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("pipescope"));
        QCoreApplication::setApplicationVersion(QStringLiteral(PIPESCOPE_VERSION));
        QString error;
        const auto options = pipescope::AppOptions::parse(QCoreApplication::arguments(), &error);
        if (!options || options->helpText.isEmpty()) {
            std::fprintf(stderr, "pipescope: error: %s\n", error.toLocal8Bit().constData());
            return 2;
        }
        std::fputs(options->helpText.toLocal8Bit().constData(), stdout);
        return 0;
    }
    pipescope::keepPaintMemoryInHeap(); // before Qt allocates anything: every zoom repaints from fresh pixmaps
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pipescope"));
    QApplication::setOrganizationName(QStringLiteral("pipescope"));
    QApplication::setApplicationVersion(QStringLiteral(PIPESCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("pipescope"));
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSize(12); // panels are read from the back of a room too
    QApplication::setFont(font);

    QString error;
    const auto options = pipescope::AppOptions::parse(QApplication::arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "pipescope: error: %s\n", error.toLocal8Bit().constData());
        return 2;
    }
    if (!options->helpText.isEmpty()) {
        std::fputs(options->helpText.toLocal8Bit().constData(), stdout);
        return 0;
    }
    // A scripted run must not change what the user finds next time.
    std::unique_ptr<pipescope::AppSettings> settings;
    if (!options->scripted())
        settings = std::make_unique<pipescope::AppSettings>();
    pipescope::MainWindow window(settings.get());
    if (options->scripted()) {
        window.resize(1920, 1080); // the README's pictures; a smaller real screen still wins
        pipescope::ScreenFit::fit(&window);
    }
    pipescope::AutoPilot pilot(*options, &window);
    QObject::connect(&pilot, &pipescope::AutoPilot::finished, &app, &QApplication::exit);
    window.show();
    if (options->presenter)
        window.presenter()->setActive(true);
    if (options->fdTables)
        window.fdTables()->setShown(true);
    if (options->listing)
        window.setListingLanguage(*options->listing);
    if (options->compare)
        window.compare()->setActive(true);
    if (options->quiz)
        window.quiz()->setActive(true);
    if (!pilot.begin(&error)) {
        std::fprintf(stderr, "pipescope: error: %s\n", error.toLocal8Bit().constData());
        return 2;
    }
    // A recorded run plays at once, at the pace set, as --run starts a live one.
    if (!options->replay.isEmpty() && !window.openReplay(options->replay, false, &error)) {
        std::fprintf(stderr, "pipescope: error: %s\n", error.toLocal8Bit().constData());
        return 2;
    }
    return QApplication::exec();
}
