// The real pipescope binary in a real X server (Xvfb, xcb platform): it runs
// a scenario and saves a screenshot that is neither missing nor blank.
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestXvfbApp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void screenshotUnderXvfb();
};

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

QTEST_GUILESS_MAIN(TestXvfbApp)
#include "tst_xvfbapp.moc"
