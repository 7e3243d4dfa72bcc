// The real pipescope binary in a real X server (Xvfb, xcb platform): it runs
// a scenario and saves a screenshot that is neither missing nor blank; and on
// projector-sized screens (1024x768, 1280x720) presenter mode fits the screen
// for every scenario: the window, its minimum size, and every scene item.
#include "core/scenarios/scenariocatalog.h"

#include <QImage>
#include <QProcess>
#include <QRect>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

namespace
{

/// One Xvfb server on a display it picks itself (-displayfd): no guessed numbers, no sleeps;
/// it is ready when it has written the number.
class XServer
{
public:
    explicit XServer(const QString &screen)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(QStandardPaths::findExecutable(QStringLiteral("Xvfb")),
            {QStringLiteral("-displayfd"), QStringLiteral("1"), QStringLiteral("-nolisten"), QStringLiteral("tcp"),
                QStringLiteral("-screen"), QStringLiteral("0"), screen});
        if (!m_process.waitForStarted(10000))
            return;
        QByteArray out;
        while (!out.contains('\n') && m_process.waitForReadyRead(15000))
            out += m_process.readAllStandardOutput();
        bool ok = false;
        const int number = out.trimmed().toInt(&ok);
        if (ok)
            m_display = QStringLiteral(":%1").arg(number);
    }
    ~XServer()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(10000);
    }
    QString display() const { return m_display; }

private:
    QProcess m_process;
    QString m_display;
};

/// What --report-geometry printed.
struct Report {
    QRect screen, window, minimum;
    QList<QRect> views, items;
    QString raw;
};

Report parseReport(const QByteArray &out)
{
    Report r;
    r.raw = QString::fromLocal8Bit(out);
    for (const QByteArray &line : out.split('\n')) {
        const QList<QByteArray> f = line.split(' ');
        if (f.size() != 5)
            continue;
        const QRect rect(f[1].toInt(), f[2].toInt(), f[3].toInt(), f[4].toInt());
        if (f[0] == "screen")
            r.screen = rect;
        else if (f[0] == "window")
            r.window = rect;
        else if (f[0] == "minimum")
            r.minimum = rect;
        else if (f[0] == "view")
            r.views << rect;
        else if (f[0] == "items")
            r.items << rect;
    }
    return r;
}

/// a inside b, give or take a pixel of rounding.
bool inside(const QRect &a, const QRect &b)
{
    return b.adjusted(-1, -1, 1, 1).contains(a);
}

QString text(const QRect &r)
{
    return QStringLiteral("%1x%2+%3+%4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

} // namespace

class TestXvfbApp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helpNeedsNoDisplay();
    void aScriptedRunThatCannotStartSaysWhy();
    void screenshotUnderXvfb();
    void presenterFitsTheScreen_data();
    void presenterFitsTheScreen();
};

/// A student on a text console, or over ssh without X, asks for help: it comes, no abort.
void TestXvfbApp::helpNeedsNoDisplay()
{
    const QString gui = qEnvironmentVariable("PIPESCOPE_GUI");
    QVERIFY2(!gui.isEmpty(), "PIPESCOPE_GUI is not set");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    for (const QString &flag : {QStringLiteral("--help"), QStringLiteral("--version")}) {
        QProcess app;
        app.setProcessEnvironment(env);
        app.start(gui, {flag});
        QVERIFY(app.waitForFinished(20000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        const QByteArray out = app.readAllStandardOutput();
        QVERIFY2(out.contains(flag == QLatin1String("--help") ? "--scenario" : "pipescope "), out.constData());
    }
}

/// A scripted run refused by the window says the window's reason, not only that it failed.
void TestXvfbApp::aScriptedRunThatCannotStartSaysWhy()
{
    const QString gui = qEnvironmentVariable("PIPESCOPE_GUI");
    QVERIFY2(!gui.isEmpty(), "PIPESCOPE_GUI is not set");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
    QProcess app;
    app.setProcessEnvironment(env);
    // A rule between two parameters (zombie-ms below watchdog-ms) refuses the run.
    app.start(gui,
        {QStringLiteral("--scenario"), QStringLiteral("zombie"), QStringLiteral("--set"),
            QStringLiteral("watchdog-ms=100"), QStringLiteral("--set"), QStringLiteral("zombie-ms=5000"),
            QStringLiteral("--run"), QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png"))});
    QVERIFY(app.waitForFinished(30000));
    QCOMPARE(app.exitCode(), 2);
    const QByteArray err = app.readAllStandardError();
    QVERIFY2(err.contains("pipescope: error: ") && err.contains("zombie-ms"), err.constData());
    QVERIFY2(!err.contains("cannot start the run"), err.constData());
}

void TestXvfbApp::screenshotUnderXvfb()
{
    const QString xvfbRun = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    if (xvfbRun.isEmpty())
        QSKIP("xvfb-run is not installed (apt-get install xvfb xauth)");
    const QString gui = qEnvironmentVariable("PIPESCOPE_GUI");
    QVERIFY2(!gui.isEmpty(), "PIPESCOPE_GUI is not set");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString shot = dir.filePath(QStringLiteral("simple.png"));

    QProcess app;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config"))); // never the user's settings
    app.setProcessEnvironment(env);
    app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    app.start(xvfbRun,
        {QStringLiteral("-a"), QStringLiteral("-s"), QStringLiteral("-screen 0 1920x1080x24"), gui,
            QStringLiteral("--scenario"), QStringLiteral("simple"), QStringLiteral("--run"),
            QStringLiteral("--screenshot"), shot, QStringLiteral("--quit-after-ms"), QStringLiteral("20000")});
    QVERIFY(app.waitForStarted(10000));
    QVERIFY2(app.waitForFinished(60000), "the app did not quit");
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 0);

    QImage image(shot);
    QVERIFY2(!image.isNull(), "no PNG was written");
    QVERIFY(image.width() >= 800 && image.height() >= 600);
    // Not blank: a window with text, boxes and a pipe has many colours.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
}

void TestXvfbApp::presenterFitsTheScreen_data()
{
    QTest::addColumn<QString>("screen");
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x768") << QStringLiteral("1024x768x24") << QSize(1024, 768);
    QTest::newRow("1280x720") << QStringLiteral("1280x720x24") << QSize(1280, 720);
}

void TestXvfbApp::presenterFitsTheScreen()
{
    QFETCH(QString, screen);
    QFETCH(QSize, size);
    if (QStandardPaths::findExecutable(QStringLiteral("Xvfb")).isEmpty())
        QSKIP("Xvfb is not installed (apt-get install xvfb)");
    const QString gui = qEnvironmentVariable("PIPESCOPE_GUI");
    QVERIFY2(!gui.isEmpty(), "PIPESCOPE_GUI is not set");
    const XServer x(screen);
    QVERIFY2(!x.display().isEmpty(), "Xvfb did not start");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    env.insert(QStringLiteral("DISPLAY"), x.display());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));

    // Every scenario in presenter mode, a pitfall side by side, and a first start on the desk.
    struct Case {
        QString name;
        QStringList arguments;
    };
    QList<Case> cases;
    for (const pipescope::Scenario *s : pipescope::ScenarioCatalog::all()) {
        const QString name = QString::fromUtf8(s->name().data(), static_cast<qsizetype>(s->name().size()));
        cases.append(
            {name, {QStringLiteral("--scenario"), name, QStringLiteral("--presenter"), QStringLiteral("--run")}});
    }
    cases.append({QStringLiteral("no-close-eof side by side"),
        {QStringLiteral("--scenario"), QStringLiteral("no-close-eof"), QStringLiteral("--presenter"),
            QStringLiteral("--compare"), QStringLiteral("--fd-tables"), QStringLiteral("--run")}});
    cases.append({QStringLiteral("first start, no presenter mode"), {}});

    // All at once on one server: each waits for its own run, not for the others.
    std::vector<std::unique_ptr<QProcess>> apps;
    for (const Case &c : std::as_const(cases)) {
        auto app = std::make_unique<QProcess>();
        app->setProcessEnvironment(env);
        app->setProcessChannelMode(QProcess::SeparateChannels);
        app->start(gui,
            c.arguments
                + QStringList {
                    QStringLiteral("--quit-after-ms"), QStringLiteral("4000"), QStringLiteral("--report-geometry")});
        apps.push_back(std::move(app));
    }
    const QRect screenRect(QPoint(0, 0), size);
    for (std::size_t i = 0; i < apps.size(); ++i) {
        QProcess &app = *apps[i];
        const QString &name = cases[static_cast<qsizetype>(i)].name;
        QVERIFY2(app.waitForFinished(60000), qPrintable(name + QStringLiteral(": did not quit")));
        QVERIFY2(app.exitStatus() == QProcess::NormalExit && app.exitCode() == 0,
            qPrintable(name + QStringLiteral(": ") + QString::fromLocal8Bit(app.readAllStandardError())));
        const Report r = parseReport(app.readAllStandardOutput());
        const QString where = QStringLiteral("%1 at %2:\n%3").arg(name, text(screenRect), r.raw);
        QCOMPARE(r.screen, screenRect);
        // The window and the smallest it can be lie on the screen: no label widened it.
        QVERIFY2(!r.window.isEmpty() && inside(r.window, screenRect), qPrintable(where));
        QVERIFY2(r.minimum.width() <= size.width() && r.minimum.height() <= size.height(), qPrintable(where));
        // Each scene is drawn whole, inside its view, on the screen.
        QVERIFY2(!r.views.isEmpty(), qPrintable(where));
        for (const QRect &view : r.views)
            QVERIFY2(inside(view, screenRect), qPrintable(where));
        if (!cases[static_cast<qsizetype>(i)].arguments.contains(QStringLiteral("--run")))
            continue;
        QVERIFY2(r.items.size() == r.views.size(), qPrintable(where));
        for (qsizetype v = 0; v < r.items.size(); ++v)
            QVERIFY2(inside(r.items[v], r.views[v]) && inside(r.items[v], screenRect), qPrintable(where));
    }
}

QTEST_GUILESS_MAIN(TestXvfbApp)
#include "tst_xvfbapp.moc"
