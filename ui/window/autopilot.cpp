#include "ui/window/autopilot.h"

#include "ui/lessons/lessonpanels.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/sceneview.h"
#include "ui/window/comparepane.h"
#include "ui/window/exporter.h"

#include "ui/source/runcontroller.h"
#include "ui/window/controlbar.h"
#include "ui/window/mainwindow.h"
#include "ui/window/parametereditor.h"

#include <QFileInfo>
#include <QImage>
#include <QPixmap>
#include <QScreen>

#include <cstdio>

namespace pipescope
{

AutoPilot::AutoPilot(const AppOptions &options, MainWindow *window, QObject *parent)
    : QObject(parent), m_options(options), m_window(window)
{
    m_limit.setSingleShot(true);
    m_settle.setSingleShot(true);
    // Let the last chunks land and the marks show before the picture is taken.
    m_settle.setInterval(700);
    connect(&m_limit, &QTimer::timeout, this, &AutoPilot::capture);
    connect(&m_settle, &QTimer::timeout, this, &AutoPilot::capture);
    // Whatever is on stage: a scenario's run, a watched pipeline or a traced program.
    connect(window->source(), &EventSource::runFinished, this, &AutoPilot::runEnded);
    connect(window->compare()->twin(), &RunController::runFinished, this, &AutoPilot::runEnded);
}

bool AutoPilot::begin(QString *error)
{
    if (!m_options.scenario.isEmpty() && !m_window->openScenario(m_options.scenario, m_options.assignments)) {
        *error = QStringLiteral("cannot open scenario '%1'").arg(m_options.scenario);
        return false;
    }
    if (m_options.paceMs >= 0)
        m_window->controls()->setPace(m_options.paceMs);
    else if (m_options.scripted())
        m_window->controls()->setPace(0); // unattended: full speed unless asked otherwise
    if (m_options.quitAfterMs > 0)
        m_limit.start(m_options.quitAfterMs);
    QString why;
    if (!m_options.watchCommand.isEmpty() && !m_window->startWatch(m_options.watchCommand, &why)) {
        *error = why;
        return false;
    }
    if (m_options.watchPid > 0 && !m_window->startWatchPid(m_options.watchPid, &why)) {
        *error = why;
        return false;
    }
    if (!m_options.traceProgram.isEmpty() && !m_window->startTrace(m_options.traceProgram, &why)) {
        *error = why;
        return false;
    }
    if (m_options.attachPid > 0 && !m_window->startAttach(m_options.attachPid, &why)) {
        *error = why;
        return false;
    }
    if (m_options.run && !m_options.ownProgram() && !m_window->startRun(false)) {
        // The window has said why: a parameter's rule, or the runner's own line on the status.
        const ParameterEditor *parameters = m_window->parameters();
        *error = !parameters->isValid() ? parameters->problem() : m_window->controls()->status();
        if (error->isEmpty())
            *error = QStringLiteral("cannot start the run");
        return false;
    }
    return true;
}

void AutoPilot::runEnded()
{
    // Side by side, the picture waits for both runs.
    const RunController::Phase twin = m_window->compare()->twin()->phase();
    if (twin == RunController::Phase::Running || twin == RunController::Phase::Paused)
        return;
    if (m_window->source()->phase() != EventSource::Phase::Finished)
        return;
    if (!m_options.screenshot.isEmpty() || m_options.exports() || m_options.reportGeometry)
        m_settle.start();
}

bool AutoPilot::exportAll()
{
    const QList<Event> &events = m_window->lessons()->events();
    QString error;
    bool ok = true;
    auto check = [&](bool saved, const QString &file) {
        if (!saved) {
            std::fprintf(stderr, "pipescope: error: cannot export %s: %s\n", file.toLocal8Bit().constData(),
                error.toLocal8Bit().constData());
            ok = false;
        }
    };
    if (!m_options.exportTrace.isEmpty())
        check(Exporter::chromeTrace(events, m_options.exportTrace, &error), m_options.exportTrace);
    if (!m_options.exportLog.isEmpty())
        check(Exporter::eventLog(events, m_options.exportLog, &error), m_options.exportLog);
    if (!m_options.exportSvg.isEmpty())
        check(Exporter::sceneSvg(m_window->scene(), m_options.exportSvg, &error), m_options.exportSvg);
    if (!m_options.exportPng.isEmpty())
        check(Exporter::scenePng(m_window->scene(), m_options.exportPng, &error), m_options.exportPng);
    return ok;
}

void AutoPilot::reportGeometry() const
{
    auto line = [](const char *what, const QRect &r) {
        std::printf("%s %d %d %d %d\n", what, r.x(), r.y(), r.width(), r.height());
    };
    if (const QScreen *screen = m_window->screen()) {
        line("screen", screen->geometry());
        line("available", screen->availableGeometry());
    }
    line("window", m_window->frameGeometry());
    line("minimum", QRect(QPoint(0, 0), m_window->minimumSizeHint().expandedTo(m_window->minimumSize())));
    for (const SceneView *view : {m_window->view(), m_window->compare()->twinView()}) {
        if (!view->isVisible() || !view->scene())
            continue;
        const QWidget *port = view->viewport();
        line("view", QRect(port->mapToGlobal(QPoint(0, 0)), port->size()));
        // Every item at once: their union, as the viewer sees it on the screen.
        const QRectF items = view->scene()->itemsBoundingRect();
        if (items.isEmpty())
            continue;
        const QRect inView = view->mapFromScene(items).boundingRect();
        line("items", QRect(port->mapToGlobal(inView.topLeft()), inView.size()));
    }
    std::fflush(stdout);
}

void AutoPilot::capture()
{
    if (m_done)
        return;
    m_done = true;
    int code = 0;
    if (!m_options.screenshot.isEmpty()) {
        const QImage image = m_window->grab().toImage();
        if (image.isNull() || !image.save(m_options.screenshot, "PNG")) {
            std::fprintf(stderr, "pipescope: error: cannot save screenshot to %s\n",
                QFileInfo(m_options.screenshot).absoluteFilePath().toLocal8Bit().constData());
            code = 1;
        }
    }
    code |= exportAll() ? 0 : 1;
    if (m_options.reportGeometry)
        reportGeometry();
    m_window->source()->reset(); // kills and reaps what it started; a watched pid runs on
    m_window->controller()->reset();
    m_window->compare()->reset();
    Q_EMIT finished(code);
}

} // namespace pipescope
