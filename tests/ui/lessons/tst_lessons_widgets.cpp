// The lesson widgets with real data, rendered offscreen: the code view
// follows a stepped process, the platform panel shows this kernel's facts,
// the help overlay comes and goes by keyboard, and the exports are files a
// browser, Perfetto and an image viewer accept.
#include "runharness.h"
#include "ui/lessons/codeview.h"
#include "ui/lessons/helpoverlay.h"
#include "ui/lessons/platformpanel.h"
#include "ui/scene/pipescene.h"
#include "ui/scene/units.h"
#include "ui/window/exporter.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTextBlock>
#include <QXmlStreamReader>

using namespace pipescope;

namespace
{

const QString kOut = QStringLiteral("/tmp/lessons");

int pidOf(const RunState &s, const std::string &role)
{
    for (const ProcessInfo &p : s.processes()) {
        if (p.role == role)
            return p.pid;
    }
    return 0;
}

/// Distinct colours in an image, up to a limit (a blank render has one).
int colours(const QImage &image, int limit = 8)
{
    QSet<QRgb> seen;
    for (int y = 0; y < image.height() && seen.size() < limit; y += 3) {
        for (int x = 0; x < image.width() && seen.size() < limit; x += 3)
            seen.insert(image.pixel(x, y));
    }
    return static_cast<int>(seen.size());
}

} // namespace

class TestLessonsWidgets : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(QDir().mkpath(kOut)); }
    void codeViewFollowsSteppedChild();
    void platformPanelShowsKernelFacts();
    void helpOverlayByKeyboard();
    void exportsOfARealRun();
};

void TestLessonsWidgets::codeViewFollowsSteppedChild()
{
    test::RunHarness run;
    RunRequest request;
    request.scenario = "parent-child";
    request.mode = RunMode::Step;
    QVERIFY2(run.start(request), run.error().c_str());
    CodeView view;
    view.resize(1100, 560);
    std::size_t fed = 0;
    int child = 0;
    // Step every gate until the child is held before its first read.
    for (;;) {
        const int at = run.waitFor([](const Event &e) { return e.kind == EventKind::GateWait; }, 10000);
        QVERIFY(at >= 0);
        const Event &g = run.events()[static_cast<std::size_t>(at)];
        if (!child && (child = pidOf(run.state(), "child")) != 0)
            view.showProgram(QStringLiteral("parent-child"), QStringLiteral("child"), child);
        for (; child && fed <= static_cast<std::size_t>(at); ++fed)
            view.feed(run.events()[fed]);
        if (g.pid == child && g.pending == EventKind::Read)
            break;
        run.session().stepProcess(g.pid);
    }
    const int line = view.highlightedLine();
    QVERIFY(line >= 0);
    QCOMPARE(view.cursor().pendingLine(), line);
    const QString text = view.editor()->document()->findBlockByNumber(line).text();
    QVERIFY2(text.contains(QStringLiteral("read(fd[0]")), qPrintable(text));
    QVERIFY(text.startsWith(QStringLiteral("read")));
    QVERIFY(view.editor()->font().pointSize() >= 14);
    QVERIFY(view.editor()->font().fixedPitch() || QFontInfo(view.editor()->font()).fixedPitch());
    QVERIFY(view.grab().save(kOut + QStringLiteral("/codeview-child-read.png")));

    // Let everyone go (the parent may not have written yet): the read happens, and
    // the highlight says "executed" on the same line.
    run.session().setFree();
    const int done = run.waitFor([&](const Event &e) { return e.kind == EventKind::Read && e.pid == child; });
    QVERIFY(done >= 0);
    for (; fed <= static_cast<std::size_t>(done); ++fed)
        view.feed(run.events()[fed]);
    QCOMPARE(view.cursor().lastLine(), line);
    QCOMPARE(view.cursor().pendingLine(), -1);
    run.session().cancel();
    QVERIFY(run.finish(10000));
    run.release();
    QVERIFY(test::noChildrenLeft());
}

void TestLessonsWidgets::platformPanelShowsKernelFacts()
{
    PlatformPanel panel;
    panel.resize(1500, 420);
    const PlatformInfo info = PlatformInfo::read();
    QCOMPARE(panel.table()->rowCount(), static_cast<int>(info.facts().size()));
    bool pipeBuf = false;
    const auto facts = info.facts();
    for (int row = 0; row < panel.table()->rowCount(); ++row) {
        const PlatformFact &f = facts[static_cast<std::size_t>(row)];
        QCOMPARE(panel.table()->item(row, PlatformPanel::Value)->data(Qt::UserRole).toLongLong(), f.value);
        QCOMPARE(panel.table()->item(row, PlatformPanel::Elsewhere)->text(), QString::fromStdString(f.elsewhere));
        if (f.key == "pipe-buf") {
            pipeBuf = true;
            QCOMPARE(f.value, info.pipeBuf());
            QVERIFY(panel.table()->item(row, PlatformPanel::Value)->text().contains(Units::exact(f.value)));
        }
    }
    QVERIFY(pipeBuf);
    QVERIFY(panel.table()->font().pointSize() >= 14);
    QVERIFY(panel.grab().save(kOut + QStringLiteral("/platformpanel.png")));
}

void TestLessonsWidgets::helpOverlayByKeyboard()
{
    QWidget window;
    window.resize(1280, 800);
    window.setStyleSheet(QStringLiteral("background: #fbfbf8"));
    HelpOverlay overlay(&window);
    QSignalSpy dismissed(&overlay, &HelpOverlay::dismissed);
    QVERIFY(!overlay.isVisible());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QStringList keys;
    for (const HelpOverlay::Shortcut &s : overlay.shortcuts())
        keys << s.keys.split(QStringLiteral(" / ")); // a row may name several keys ("F5 / F11")
    for (const char *k : {"Space", "Esc", "Ctrl+R", "F11", "F5", "T", "D", "C", "Home", "End", "Left"})
        QVERIFY2(keys.contains(QLatin1String(k)), k);

    overlay.showOverlay();
    QVERIFY(overlay.isVisible());
    QCOMPARE(overlay.geometry(), window.rect());
    QVERIFY(window.grab().save(kOut + QStringLiteral("/helpoverlay.png")));
    window.resize(1000, 700);
    QCOMPARE(overlay.geometry(), window.rect());

    const int keysToClose[] = {Qt::Key_Escape, Qt::Key_F1, Qt::Key_Question};
    for (int i = 0; i < 3; ++i) {
        overlay.showOverlay();
        QTest::keyClick(&overlay, static_cast<Qt::Key>(keysToClose[i]));
        QVERIFY(!overlay.isVisible());
        QCOMPARE(dismissed.count(), i + 1);
    }
    overlay.showOverlay();
    QTest::keyClick(&overlay, Qt::Key_A); // other keys leave it up
    QVERIFY(overlay.isVisible());
    overlay.toggle();
    QVERIFY(!overlay.isVisible());
}

void TestLessonsWidgets::exportsOfARealRun()
{
    test::RunHarness run;
    RunRequest request;
    request.scenario = "bidirectional";
    QVERIFY2(run.start(request), run.error().c_str());
    QVERIFY(run.finish(20000));
    const QList<Event> events(run.events().begin(), run.events().end());
    PipeScene scene;
    scene.applyEvents(events, run.state());
    QVERIFY(scene.processItemCount() >= 2);

    QString error;
    const QString png = kOut + QStringLiteral("/export-scene.png");
    const QString svg = kOut + QStringLiteral("/export-scene.svg");
    const QString json = kOut + QStringLiteral("/export-trace.json");
    const QString log = kOut + QStringLiteral("/export-log.txt");
    for (const QString &f : {png, svg, json, log})
        QFile::remove(f);
    QVERIFY2(Exporter::scenePng(&scene, png, &error), qPrintable(error));
    QVERIFY2(Exporter::sceneSvg(&scene, svg, &error), qPrintable(error));
    QVERIFY2(Exporter::chromeTrace(events, json, &error), qPrintable(error));
    QVERIFY2(Exporter::eventLog(events, log, &error), qPrintable(error));

    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 200 && image.height() > 100);
    QVERIFY2(colours(image) >= 4, "the PNG is blank");

    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&svgFile);
    bool svgRoot = false;
    int texts = 0;
    int images = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            svgRoot |= xml.name() == QLatin1String("svg");
            texts += xml.name() == QLatin1String("text");
            images += xml.name() == QLatin1String("image");
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(svgRoot);
    QVERIFY(texts > 0); // the labels are text, not pixels
    QCOMPARE(images, 0);

    QFile jsonFile(json);
    QVERIFY(jsonFile.open(QIODevice::ReadOnly));
    const QJsonDocument doc = QJsonDocument::fromJson(jsonFile.readAll());
    QVERIFY(doc.isObject());
    const QJsonArray traceEvents = doc.object().value(QStringLiteral("traceEvents")).toArray();
    QVERIFY(traceEvents.size() > 10);
    int writes = 0;
    for (const QJsonValue &v : traceEvents)
        writes += v.toObject().value(QStringLiteral("name")).toString().startsWith(QStringLiteral("write"));
    QVERIFY(writes >= 2);

    QFile logFile(log);
    QVERIFY(logFile.open(QIODevice::ReadOnly | QIODevice::Text));
    const QString text = QString::fromUtf8(logFile.readAll());
    QVERIFY(text.count(QLatin1Char('\n')) >= static_cast<int>(events.size()));
    QVERIFY(text.contains(QStringLiteral("\"ping from parent\"")));
    QVERIFY(text.contains(QStringLiteral("child")));

    QVERIFY(!Exporter::eventLog(events, QStringLiteral("/nonexistent-dir/x.txt"), &error));
    QVERIFY(error.contains(QStringLiteral("/nonexistent-dir/x.txt")));
    run.release();
}

QTEST_MAIN(TestLessonsWidgets)
#include "tst_lessons_widgets.moc"
