#pragma once

#include "ui/window/appoptions.h"

#include <QObject>
#include <QTimer>

namespace pipescope
{

class MainWindow;

/// Carries out the scripted part of the command line: open a scenario, run
/// it, save a screenshot when the run ends (or at the time limit) and quit.
class AutoPilot : public QObject
{
    Q_OBJECT
public:
    AutoPilot(const AppOptions &options, MainWindow *window, QObject *parent = nullptr);

    /// Applies the options; false (with error set) when the run cannot start.
    bool begin(QString *error);

Q_SIGNALS:
    /// The script is done: quit with this exit code.
    void finished(int exitCode);

private:
    void runEnded();
    void capture();
    bool exportAll();
    /// --report-geometry: the screen, the window and the scenes' items in screen coordinates, on stdout.
    void reportGeometry() const;

    AppOptions m_options;
    MainWindow *m_window;
    QTimer m_limit;
    QTimer m_settle;
    bool m_done = false;
};

} // namespace pipescope
