// A process node seen from afar (issue 9): side by side in columns on a 1024x768 projector
// draws the scene at about a third of its size, where the node's small lines would be a few
// pixels high. The node then leaves out the pid and the in/out line, but still draws its role
// and its state line ("blocked in read(3)", "exited 0 ..."), whole and readable.
#include "core/model/runstate.h"
#include "ui/scene/processitem.h"
#include "ui/scene/scenelayout.h"
#include "ui/scene/theme.h"

#include <QImage>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QtTest>

using namespace pipescope;

namespace
{

/// Paints item at scale (as a view zoomed out that far would) and returns what it drew.
QVector<ProcessItem::DrawnText> paintAt(ProcessItem &item, qreal scale)
{
    QImage image(600, 400, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.translate(20, 20);
    painter.scale(scale, scale);
    QStyleOptionGraphicsItem option;
    option.exposedRect = item.boundingRect();
    item.paint(&painter, &option, nullptr);
    return item.drawnText();
}

QString describe(const QVector<ProcessItem::DrawnText> &lines)
{
    QStringList out;
    for (const ProcessItem::DrawnText &l : lines)
        out << QStringLiteral("'%1' %2 px%3")
                   .arg(l.text)
                   .arg(l.screenPx, 0, 'f', 1)
                   .arg(l.whole ? QString() : QStringLiteral(" (cut)"));
    return out.join(QStringLiteral("; "));
}

} // namespace

class TestProcessItem : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void farNodeKeepsRoleAndState_data();
    void farNodeKeepsRoleAndState();
    void farCompactNodeEndsInAnEllipsis();
    void nearNodeShowsEverything();

private:
    Theme m_theme = Theme::light();
};

void TestProcessItem::farNodeKeepsRoleAndState_data()
{
    QTest::addColumn<QSizeF>("size");
    QTest::addColumn<qreal>("scale");
    QTest::addColumn<int>("state");
    const QSizeF node(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight);
    const QSizeF annex(SceneLayout::kAnnexNodeWidth, SceneLayout::kNodeHeight);
    const QSizeF compact(SceneLayout::kCompactNodeWidth, SceneLayout::kCompactNodeHeight);
    // 0.3: two panes in columns at 1024x768 in presenter mode, fd cards on; 0.4: without them.
    for (const qreal scale : {0.26, 0.3, 0.35, 0.4, 0.45}) {
        for (const auto state : {ProcessState::Blocked, ProcessState::Held, ProcessState::Exited}) {
            const QByteArray name = QByteArray::number(scale) + " state " + QByteArray::number(int(state));
            QTest::newRow(("node " + name).constData()) << node << scale << int(state);
            QTest::newRow(("annex " + name).constData()) << annex << scale << int(state);
            // A compact cell (five processes or more) is smaller still: see farCompactNodeEndsInAnEllipsis.
            if (scale >= 0.35)
                QTest::newRow(("compact " + name).constData()) << compact << scale << int(state);
        }
    }
}

void TestProcessItem::farNodeKeepsRoleAndState()
{
    QFETCH(QSizeF, size);
    QFETCH(qreal, scale);
    QFETCH(int, state);
    ProcessItem item(&m_theme, size);
    ProcessInfo info;
    info.pid = 2913255;
    info.role = "child";
    info.state = ProcessState(state);
    info.detail = "blocked in read(3): pipe empty [anon_pipe_read]";
    item.update(info, QStringLiteral("about to write(4, 20 bytes)"));
    const QVector<ProcessItem::DrawnText> drawn = paintAt(item, scale);
    const QString report = describe(drawn);
    auto find = [&](auto match) { return std::find_if(drawn.begin(), drawn.end(), match); };
    const auto role = find([](const ProcessItem::DrawnText &l) { return l.text == QLatin1String("child"); });
    const auto line = find([&](const ProcessItem::DrawnText &l) { return l.text.endsWith(item.stateText()); });
    QVERIFY2(role != drawn.end(), qPrintable(report));
    QVERIFY2(line != drawn.end(), qPrintable(report));
    QVERIFY2(line->whole && role->whole, qPrintable(report));
    // Nothing drawn is too small to read on screen.
    for (const ProcessItem::DrawnText &l : drawn)
        QVERIFY2(l.screenPx >= ProcessItem::kReadablePx - 0.01, qPrintable(report));
}

void TestProcessItem::farCompactNodeEndsInAnEllipsis()
{
    // 250x136 at a quarter of its size is 65x35 px: a long state cannot be whole in readable type.
    // It stays readable and says it goes on ("..."), beside the whole role.
    ProcessItem item(&m_theme, QSizeF(SceneLayout::kCompactNodeWidth, SceneLayout::kCompactNodeHeight));
    ProcessInfo info;
    info.pid = 77;
    info.role = "writer 3";
    info.state = ProcessState::Held;
    item.update(info, QStringLiteral("about to write(4, 65536 bytes)"));
    const QVector<ProcessItem::DrawnText> drawn = paintAt(item, 0.26);
    QCOMPARE(drawn.size(), 2);
    QCOMPARE(drawn[0].text, QStringLiteral("writer 3"));
    QVERIFY(drawn[0].whole);
    QCOMPARE(drawn[1].text, item.stateText());
    QVERIFY(!drawn[1].whole);
    for (const ProcessItem::DrawnText &l : drawn)
        QVERIFY2(l.screenPx >= ProcessItem::kReadablePx - 0.01, qPrintable(describe(drawn)));
}

void TestProcessItem::nearNodeShowsEverything()
{
    // At full size the node still has its pid and in/out lines: only a far view leaves them out.
    ProcessItem item(&m_theme, QSizeF(SceneLayout::kNodeWidth, SceneLayout::kNodeHeight));
    ProcessInfo info;
    info.pid = 4242;
    info.role = "parent";
    info.state = ProcessState::Blocked;
    info.detail = "blocked in read(3): pipe empty [anon_pipe_read]";
    item.update(info, {});
    const QVector<ProcessItem::DrawnText> drawn = paintAt(item, 1.0);
    QStringList texts;
    for (const ProcessItem::DrawnText &l : drawn)
        texts << l.text;
    QVERIFY2(texts.contains(QStringLiteral("pid 4242")), qPrintable(describe(drawn)));
    QVERIFY2(texts.contains(item.stateText()), qPrintable(describe(drawn)));
    QVERIFY2(
        std::any_of(texts.begin(), texts.end(), [](const QString &t) { return t.startsWith(QLatin1String("in ")); }),
        qPrintable(describe(drawn)));
}

QTEST_MAIN(TestProcessItem)
#include "tst_processitem.moc"
