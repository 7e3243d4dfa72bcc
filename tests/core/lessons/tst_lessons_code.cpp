// Code listings and the code cursor against real runs: every syscall a
// scenario process makes lands on a listing line tagged with its kind, in
// order, at full speed and stepped one gate at a time, in the C listing and in
// the Python one alike.
#include "core/lessons/codecursor.h"
#include "core/lessons/codelisting.h"
#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"
#include "runharness.h"

#include <QTest>

#include <map>

using namespace pipescope;
using Assignments = std::vector<std::pair<std::string, std::string>>;
Q_DECLARE_METATYPE(Assignments)

namespace
{

Event call(EventKind kind, std::int64_t requested = 0)
{
    Event e;
    e.kind = kind;
    e.requested = requested;
    return e;
}

Event gate(EventKind kind, std::int64_t requested = 0)
{
    Event e;
    e.kind = EventKind::GateWait;
    e.pending = kind;
    e.requested = requested;
    return e;
}

QString lineText(const CodeCursor &c, int line)
{
    return line < 0 ? QString() : QString::fromStdString(c.program()->lines[static_cast<std::size_t>(line)].text);
}

/// Feeds every process's events to its own cursor; checks each call lands on a line of its kind.
struct Follower {
    std::string scenario;
    ListingLanguage language = ListingLanguage::C;
    std::map<int, CodeCursor> cursors;
    int calls = 0;
    QStringList problems;

    void feed(const Event &e, const RunState &state)
    {
        const ProcessInfo *p = state.process(e.pid);
        if (!p || p->role.empty())
            return;
        auto it = cursors.find(e.pid);
        if (it == cursors.end()) {
            const CodeProgram *program = CodeListing::find(scenario, p->role, language);
            if (!program) {
                problems << QStringLiteral("no %1 listing for role %2")
                                .arg(QString::fromLatin1(listingLanguageName(language)),
                                    QString::fromStdString(p->role));
                return;
            }
            it = cursors.emplace(e.pid, CodeCursor(program)).first;
        }
        CodeCursor &c = it->second;
        if (c.replaced() && e.kind != EventKind::ExecFailed)
            return; // the exec'd program's own calls (traced): no line of this listing
        if (!isSyscallKind(e.kind)) {
            c.feed(e);
            return;
        }
        ++calls;
        const QString who = QStringLiteral("%1 (%2)").arg(
            QString::fromStdString(p->role), QString::fromLatin1(listingLanguageName(language)));
        if (!c.feed(e)) {
            problems << QStringLiteral("%1: %2 matched no line").arg(who, QString::fromLatin1(eventKindName(e.kind)));
            return;
        }
        const CodeLine &line = c.program()->lines[static_cast<std::size_t>(c.lastLine())];
        if (line.calls[static_cast<std::size_t>(c.lastCall())].kind != e.kind)
            problems << QStringLiteral("%1: %2 on a call of another kind")
                            .arg(who, QString::fromLatin1(eventKindName(e.kind)));
    }
    const CodeCursor *byRole(const RunState &state, const std::string &role) const
    {
        for (const auto &[pid, c] : cursors) {
            const ProcessInfo *p = state.process(pid);
            if (p && p->role == role)
                return &c;
        }
        return nullptr;
    }
};

} // namespace

class TestLessonsCode : public QObject
{
    Q_OBJECT
private slots:
    void everyScenarioHasListings();
    void listingFilesInCatalogueOrder();
    void loopsAndBranchesSynthetic();
    void realRunsLandOnTaggedLines_data();
    void realRunsLandOnTaggedLines();
    void steppedRunShowsLineAboutToExecute_data();
    void steppedRunShowsLineAboutToExecute();
    void pythonLineWithHiddenCallsSynthetic();
};

void TestLessonsCode::everyScenarioHasListings()
{
    QCOMPARE(ScenarioCatalog::all().size(), std::size_t {16});
    for (const Scenario *s : ScenarioCatalog::all()) {
        const std::string name(s->name());
        const CodeProgram *parent = CodeListing::find(name, "parent");
        QVERIFY2(parent, name.c_str());
        QVERIFY2(CodeListing::find(name, "parent", ListingLanguage::Python), name.c_str());
        // Every role has both listings: the same roles, in the same order.
        std::vector<std::string> cRoles, pythonRoles;
        for (const CodeProgram *p : CodeListing::programs(name, ListingLanguage::C))
            cRoles.push_back(p->role);
        for (const CodeProgram *p : CodeListing::programs(name, ListingLanguage::Python))
            pythonRoles.push_back(p->role);
        QVERIFY2(cRoles == pythonRoles, name.c_str());
        auto programs = CodeListing::programs(name, ListingLanguage::C);
        const auto python = CodeListing::programs(name, ListingLanguage::Python);
        programs.insert(programs.end(), python.begin(), python.end());
        for (const CodeProgram *p : programs) {
            QVERIFY2(p->lines.size() >= 8 && p->lines.size() <= 30, (name + " " + p->role).c_str());
            int tagged = 0;
            for (const CodeLine &l : p->lines) {
                tagged += l.tagged();
                QVERIFY2(l.text.find('$') == std::string::npos, l.text.c_str());
            }
            QVERIFY2(tagged >= 3, (name + " " + p->role).c_str());
            for (const CodeLoop &loop : p->loops)
                QVERIFY(loop.first <= loop.last && loop.last < static_cast<int>(p->lines.size()));
        }
    }
    QCOMPARE(CodeListing::find("select", "writer 7")->role, std::string("writer"));
    QCOMPARE(CodeListing::find("subprocess", "tr")->role, std::string("*"));
    QVERIFY(!CodeListing::find("no-such-scenario", "parent"));
    QCOMPARE(CodeListing::find("subprocess", "tr", ListingLanguage::Python)->role, std::string("*"));
    QCOMPARE(CodeListing::find("simple", "parent", ListingLanguage::Python)->language, ListingLanguage::Python);
    QCOMPARE(CodeListing::find("simple", "parent")->language, ListingLanguage::C);

    // The names --listing and the settings use.
    QCOMPARE(listingLanguageFromName("python"), std::optional<ListingLanguage>(ListingLanguage::Python));
    QCOMPARE(listingLanguageFromName("C"), std::optional<ListingLanguage>(ListingLanguage::C));
    QVERIFY(!listingLanguageFromName("rust"));
    QVERIFY(!listingLanguageFromName(""));
    QCOMPARE(std::string(listingLanguageName(ListingLanguage::Python)), std::string("python"));
}

// The listings are files beside their scenarios (core/scenarios/<name>/<role>.c),
// embedded in the order core/lessons/CMakeLists.txt names them: that order is
// the catalogue's, parent first, as when they were a table in codelisting.cpp.
void TestLessonsCode::listingFilesInCatalogueOrder()
{
    const std::vector<std::pair<std::string, std::string>> expected = {{"simple", "parent"}, {"parent-child", "parent"},
        {"parent-child", "child"}, {"bidirectional", "parent"}, {"bidirectional", "child"}, {"subprocess", "parent"},
        {"subprocess", "*"}, {"nonblocking", "parent"}, {"nonblocking", "writer"}, {"select", "parent"},
        {"select", "writer"}, {"large-transfer", "parent"}, {"large-transfer", "reader"}, {"no-close-eof", "parent"},
        {"no-close-eof", "child"}, {"epipe", "parent"}, {"epipe", "reader"}, {"epipe", "writer"},
        {"capacity", "parent"}, {"capacity", "reader"}, {"deadlock", "parent"}, {"deadlock", "child"},
        {"fd-leak-exec", "parent"}, {"fd-leak-exec", "cat"}, {"fd-leak-exec", "reader"}, {"atomic-writes", "parent"},
        {"atomic-writes", "writer"}, {"zombie", "parent"}, {"zombie", "child"}, {"fifo", "parent"}, {"fifo", "reader"},
        {"fifo", "writer"}, {"socketpair", "parent"}, {"socketpair", "child"}};
    std::vector<std::pair<std::string, std::string>> actual, actualPython;
    for (const CodeProgram &p : CodeListing::all()) {
        (p.language == ListingLanguage::C ? actual : actualPython).emplace_back(p.scenario, p.role);
        QVERIFY2(!p.title.empty(), (p.scenario + " " + p.role).c_str());
        QVERIFY2(ScenarioCatalog::find(p.scenario), p.scenario.c_str()); // no listing without its scenario
        // The file's header lines are stripped; its last newline too.
        if (p.language == ListingLanguage::C) {
            QVERIFY2(p.lines.front().text.rfind("///", 0) == std::string::npos, p.lines.front().text.c_str());
            QVERIFY2(p.lines.back().text == "}", (p.scenario + " " + p.role).c_str());
        } else {
            QVERIFY2(p.lines.front().text.find("title:") == std::string::npos, p.lines.front().text.c_str());
            QVERIFY2(p.lines.front().text.find("role:") == std::string::npos, p.lines.front().text.c_str());
            QVERIFY2(!p.lines.back().text.empty(), (p.scenario + " " + p.role).c_str());
            // Real Python: no C left in it.
            for (const CodeLine &l : p.lines) {
                QVERIFY2(l.text.find(';') == std::string::npos || l.text.find('#') < l.text.find(';'), l.text.c_str());
                QVERIFY2(l.text.find('{') == std::string::npos, l.text.c_str());
            }
        }
    }
    QVERIFY(actual == expected);
    QVERIFY(actualPython == expected); // each C listing's Python sibling, in the same order

    // Catalogue order: the first listing of each scenario comes in the catalogue's order.
    std::vector<std::string> scenarios;
    for (const auto &[scenario, role] : actual) {
        if (scenarios.empty() || scenarios.back() != scenario)
            scenarios.push_back(scenario);
    }
    std::vector<std::string> catalogue;
    for (const Scenario *s : ScenarioCatalog::all()) {
        catalogue.emplace_back(s->name());
        QVERIFY2(!CodeListing::programs(s->name()).empty(), catalogue.back().c_str());
        QCOMPARE(CodeListing::programs(s->name()).front()->role, std::string("parent"));
    }
    QVERIFY(scenarios == catalogue);
}

void TestLessonsCode::loopsAndBranchesSynthetic()
{
    // parent-child's child: close, then the read loop repeats, then close.
    CodeCursor child(CodeListing::find("parent-child", "child"));
    QVERIFY(child.feed(call(EventKind::Close)));
    QVERIFY(lineText(child, child.lastLine()).contains(QStringLiteral("close(fd[1])")));
    QVERIFY(child.feed(gate(EventKind::Read, 256)));
    QVERIFY(lineText(child, child.pendingLine()).contains(QStringLiteral("read(fd[0]")));
    QCOMPARE(child.currentLine(), child.pendingLine());
    const int readLine = child.pendingLine();
    for (int i = 0; i < 3; ++i) {
        QVERIFY(child.feed(call(EventKind::Read, 256)));
        QCOMPARE(child.lastLine(), readLine);
        QCOMPARE(child.pendingLine(), -1);
    }
    QVERIFY(child.feed(call(EventKind::Close)));
    QVERIFY(lineText(child, child.lastLine()).contains(QStringLiteral("close(fd[0])")));
    QVERIFY(!child.feed(call(EventKind::Fork))); // no fork in the child's code
    QCOMPARE(child.unmatched(), 1);

    // select's parent: the loop of pipe/fork/close, then close(release[0]); the
    // last select (timeout 0) is told apart by its requested value.
    CodeCursor parent(CodeListing::find("select", "parent"));
    QVERIFY(parent.feed(call(EventKind::PipeCreated)));
    for (int i = 0; i < 2; ++i) {
        QVERIFY(parent.feed(call(EventKind::PipeCreated)));
        QVERIFY(parent.feed(call(EventKind::Fork)));
        QVERIFY(parent.feed(call(EventKind::Close)));
        QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("close(p[1])")));
    }
    QVERIFY(parent.feed(call(EventKind::Close)));
    QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("close(release[0])")));
    QVERIFY(parent.feed(call(EventKind::Select, 2000)));
    QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("&timeout")));
    QVERIFY(parent.feed(call(EventKind::Read, 6)));
    QVERIFY(parent.feed(gate(EventKind::Select, 0)));
    QVERIFY(lineText(parent, parent.pendingLine()).contains(QStringLiteral("&zero")));
    QVERIFY(parent.feed(call(EventKind::Select, 0)));
    QVERIFY(parent.feed(call(EventKind::Close)));
    QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("close(release[1])")));

    // A process seen blocked in read(2) (syscall 0) is "in" its read line.
    CodeCursor reader(CodeListing::find("large-transfer", "reader"));
    QVERIFY(reader.feed(call(EventKind::Close)));
    Event blocked;
    blocked.kind = EventKind::Blocked;
    blocked.requested = 0; // SYS_read on x86-64
    QVERIFY(reader.feed(blocked));
    QVERIFY(lineText(reader, reader.currentLine()).contains(QStringLiteral("read(fd[0]")));
}

void TestLessonsCode::realRunsLandOnTaggedLines_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<Assignments>("assignments");
    QTest::addColumn<QString>("role");
    QTest::addColumn<QString>("lastLine"); ///< text in the last line that role executed
    QTest::addColumn<QString>("pythonLastLine"); ///< the same in the Python listing
    QTest::newRow("simple") << QStringLiteral("simple") << Assignments {} << QStringLiteral("parent")
                            << QStringLiteral("close(fd[0])") << QStringLiteral("os.close(r)");
    QTest::newRow("parent-child") << QStringLiteral("parent-child") << Assignments {} << QStringLiteral("child")
                                  << QStringLiteral("close(fd[0])") << QStringLiteral("os.close(r)");
    QTest::newRow("bidirectional") << QStringLiteral("bidirectional") << Assignments {} << QStringLiteral("parent")
                                   << QStringLiteral("waitpid") << QStringLiteral("os.waitpid");
    QTest::newRow("subprocess") << QStringLiteral("subprocess") << Assignments {} << QStringLiteral("cat")
                                << QStringLiteral("execvp") << QStringLiteral("os.execvp");
    QTest::newRow("nonblocking") << QStringLiteral("nonblocking") << Assignments {{"delay-ms", "50"}}
                                 << QStringLiteral("parent") << QStringLiteral("waitpid")
                                 << QStringLiteral("os.waitpid");
    QTest::newRow("select") << QStringLiteral("select") << Assignments {{"pipes", "4"}, {"written", "2"}}
                            << QStringLiteral("parent") << QStringLiteral("close(rfd[i])")
                            << QStringLiteral("os.close(r)");
    QTest::newRow("large-transfer") << QStringLiteral("large-transfer")
                                    << Assignments {{"total", "64K"}, {"chunk", "1000"}, {"capacity", "4K"}}
                                    << QStringLiteral("reader") << QStringLiteral("close(fd[0])")
                                    << QStringLiteral("os.close(r)");
    QTest::newRow("no-close-eof") << QStringLiteral("no-close-eof") << Assignments {{"watchdog-ms", "800"}}
                                  << QStringLiteral("parent") << QStringLiteral("write(fd[1]")
                                  << QStringLiteral("os.write(w");
    QTest::newRow("no-close-eof fixed") << QStringLiteral("no-close-eof") << Assignments {{"fixed", "true"}}
                                        << QStringLiteral("parent") << QStringLiteral("waitpid")
                                        << QStringLiteral("os.waitpid");
    QTest::newRow("epipe") << QStringLiteral("epipe") << Assignments {} << QStringLiteral("reader")
                           << QStringLiteral("close(fd[0])") << QStringLiteral("os.close(r)");
    QTest::newRow("epipe ignore") << QStringLiteral("epipe") << Assignments {{"ignore-sigpipe", "true"}}
                                  << QStringLiteral("writer") << QStringLiteral("close(fd[1])")
                                  << QStringLiteral("os.close(w)");
    QTest::newRow("epipe fixed") << QStringLiteral("epipe") << Assignments {{"fixed", "true"}}
                                 << QStringLiteral("reader") << QStringLiteral("close(fd[0])")
                                 << QStringLiteral("os.close(r)");
    QTest::newRow("capacity") << QStringLiteral("capacity") << Assignments {{"reader-delay-ms", "200"}}
                              << QStringLiteral("reader") << QStringLiteral("close(fd[0])")
                              << QStringLiteral("os.close(r)");
    QTest::newRow("deadlock") << QStringLiteral("deadlock") << Assignments {{"watchdog-ms", "800"}}
                              << QStringLiteral("child") << QStringLiteral("write(up[1]")
                              << QStringLiteral("os.write(up_w");
    QTest::newRow("deadlock fixed") << QStringLiteral("deadlock") << Assignments {{"fixed", "true"}}
                                    << QStringLiteral("child") << QStringLiteral("close(down[0])")
                                    << QStringLiteral("os.close(down_r)");
    QTest::newRow("fd-leak-exec") << QStringLiteral("fd-leak-exec") << Assignments {{"watchdog-ms", "800"}}
                                  << QStringLiteral("parent") << QStringLiteral("close(data[1])")
                                  << QStringLiteral("os.close(data_w)");
    QTest::newRow("fd-leak-exec fixed") << QStringLiteral("fd-leak-exec") << Assignments {{"fixed", "true"}}
                                        << QStringLiteral("parent") << QStringLiteral("waitpid(cat")
                                        << QStringLiteral("os.waitpid(cat");
    QTest::newRow("atomic-writes") << QStringLiteral("atomic-writes") << Assignments {{"size", "8K"}}
                                   << QStringLiteral("parent") << QStringLiteral("waitpid")
                                   << QStringLiteral("os.waitpid");
    QTest::newRow("zombie") << QStringLiteral("zombie") << Assignments {{"zombie-ms", "100"}}
                            << QStringLiteral("parent") << QStringLiteral("waitpid") << QStringLiteral("os.waitpid");
    QTest::newRow("fifo") << QStringLiteral("fifo") << Assignments {{"writer-delay-ms", "50"}}
                          << QStringLiteral("reader") << QStringLiteral("close(fd)") << QStringLiteral("os.close(fd)");
    QTest::newRow("socketpair") << QStringLiteral("socketpair") << Assignments {} << QStringLiteral("child")
                                << QStringLiteral("close(sv[1])") << QStringLiteral("b.close()");
}

void TestLessonsCode::realRunsLandOnTaggedLines()
{
    QFETCH(QString, scenario);
    QFETCH(Assignments, assignments);
    QFETCH(QString, role);
    QFETCH(QString, lastLine);
    QFETCH(QString, pythonLastLine);
    test::RunHarness run;
    RunRequest request;
    request.scenario = scenario.toStdString();
    request.assignments = assignments;
    QVERIFY2(run.start(request), run.error().c_str());
    QVERIFY(run.finish(20000));
    // One run, followed in both languages: the Python listing makes the same calls in the same order.
    Follower follow, followPython;
    follow.scenario = followPython.scenario = request.scenario;
    followPython.language = ListingLanguage::Python;
    RunState state;
    for (const Event &e : run.events()) {
        state.apply(e);
        follow.feed(e, state);
        followPython.feed(e, state);
    }
    for (const Follower *f : {&follow, &followPython}) {
        QVERIFY2(f->problems.isEmpty(), qPrintable(f->problems.join(QStringLiteral("; "))));
        QVERIFY(f->calls >= 5);
        for (const auto &[pid, cursor] : f->cursors)
            QCOMPARE(cursor.unmatched(), 0);
        const CodeCursor *c = f->byRole(state, role.toStdString());
        QVERIFY(c);
        const QString want = f == &follow ? lastLine : pythonLastLine;
        QVERIFY2(lineText(*c, c->lastLine()).contains(want), qPrintable(lineText(*c, c->lastLine())));
    }
    run.release();
    QVERIFY(test::noChildrenLeft());
}

void TestLessonsCode::steppedRunShowsLineAboutToExecute_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<bool>("python");
    QTest::addColumn<int>("minGates");
    QTest::addColumn<int>("minExecdGates"); ///< gates of an exec'd program (traced): no line of the listing
    // pipe, fork, close, write, close, wait (parent); close, read x2, close (child)
    QTest::newRow("parent-child C") << QStringLiteral("parent-child") << false << 10 << 0;
    QTest::newRow("parent-child Python") << QStringLiteral("parent-child") << true << 10 << 0;
    // Popen's hidden pipe, fork, close and read, one gate each, on its comment lines;
    // then cat's own read, write, read (EOF) and closes, held in the runner's ptrace stops.
    QTest::newRow("subprocess Python") << QStringLiteral("subprocess") << true << 20 << 4;
    // socketpair, fork, close, write, read x2, close, wait (parent); close, write, read, close (child)
    QTest::newRow("socketpair C") << QStringLiteral("socketpair") << false << 12 << 0;
    QTest::newRow("socketpair Python") << QStringLiteral("socketpair") << true << 12 << 0;
}

void TestLessonsCode::steppedRunShowsLineAboutToExecute()
{
    QFETCH(QString, scenario);
    QFETCH(bool, python);
    QFETCH(int, minGates);
    QFETCH(int, minExecdGates);
    test::RunHarness run;
    RunRequest request;
    request.scenario = scenario.toStdString();
    request.mode = RunMode::Step;
    int execdGates = 0;
    QVERIFY2(run.start(request), run.error().c_str());
    Follower follow;
    follow.scenario = request.scenario;
    follow.language = python ? ListingLanguage::Python : ListingLanguage::C;
    RunState state;
    std::size_t fed = 0;
    int gates = 0;
    for (;;) {
        const int at = run.waitFor([](const Event &e) { return e.kind == EventKind::GateWait; }, 10000);
        for (; fed < run.events().size() && (at < 0 || fed <= static_cast<std::size_t>(at)); ++fed) {
            state.apply(run.events()[fed]);
            follow.feed(run.events()[fed], state);
        }
        if (at < 0)
            break;
        const Event &g = run.events()[static_cast<std::size_t>(at)];
        const auto it = follow.cursors.find(g.pid);
        QVERIFY(it != follow.cursors.end());
        const CodeCursor &c = it->second;
        if (c.replaced()) { // held before a call of the program it exec'd
            ++execdGates;
            run.session().stepProcess(g.pid);
            continue;
        }
        QVERIFY2(c.pendingLine() >= 0, eventKindName(g.pending));
        const CodeLine &line = c.program()->lines[static_cast<std::size_t>(c.pendingLine())];
        QCOMPARE(line.calls[static_cast<std::size_t>(c.pendingCall())].kind, g.pending);
        QCOMPARE(c.currentLine(), c.pendingLine());
        ++gates;
        run.session().stepProcess(g.pid);
    }
    QVERIFY(run.finish(10000));
    for (; fed < run.events().size(); ++fed) {
        state.apply(run.events()[fed]);
        follow.feed(run.events()[fed], state);
    }
    QVERIFY2(follow.problems.isEmpty(), qPrintable(follow.problems.join(QStringLiteral("; "))));
    QVERIFY2(gates >= minGates, qPrintable(QString::number(gates)));
    QVERIFY2(execdGates >= minExecdGates, qPrintable(QString::number(execdGates)));
    QCOMPARE(gates, follow.calls);
    QCOMPARE(state.outcome(), static_cast<int>(OutcomeOk));
    run.release();
    QVERIFY(test::noChildrenLeft());
}

// Python's subprocess.Popen makes nine calls the program never wrote: the
// cursor walks them on the comment lines under it, call by call.
void TestLessonsCode::pythonLineWithHiddenCallsSynthetic()
{
    CodeCursor parent(CodeListing::find("subprocess", "parent", ListingLanguage::Python));
    QVERIFY(parent.program());
    QVERIFY(parent.feed(gate(EventKind::PipeCreated)));
    const int pipes = parent.pendingLine();
    QVERIFY2(lineText(parent, pipes).contains(QStringLiteral("os.pipe() x2")), qPrintable(lineText(parent, pipes)));
    QCOMPARE(parent.pendingCall(), 0);
    QVERIFY(parent.feed(call(EventKind::PipeCreated)));
    QCOMPARE(parent.lastLine(), pipes);
    QCOMPARE(parent.lastCall(), 0);
    QVERIFY(parent.feed(gate(EventKind::PipeCreated)));
    QCOMPARE(parent.pendingLine(), pipes); // the second pipe is on the same line
    QCOMPARE(parent.pendingCall(), 1);
    QVERIFY(parent.feed(call(EventKind::PipeCreated)));
    QCOMPARE(parent.lastCall(), 1);
    QVERIFY(parent.feed(call(EventKind::PipeCreated)));
    QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("O_CLOEXEC")));
    QVERIFY(parent.feed(call(EventKind::Fork)));
    QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("fork()")));
    QVERIFY(parent.feed(call(EventKind::Close)));
    QVERIFY(parent.feed(call(EventKind::Close)));
    const int childEnds = parent.lastLine();
    QCOMPARE(parent.lastCall(), 1);
    QVERIFY(parent.feed(call(EventKind::Close)));
    QCOMPARE(parent.lastLine(), childEnds + 1); // errpipe's write end
    QVERIFY(parent.feed(call(EventKind::Read)));
    QCOMPARE(parent.lastLine(), childEnds + 1);
    QCOMPARE(parent.lastCall(), 1);
    QVERIFY(parent.feed(call(EventKind::Close)));
    QVERIFY(parent.feed(call(EventKind::Write)));
    QVERIFY2(lineText(parent, parent.lastLine()).contains(QStringLiteral("p.stdin.write")),
        qPrintable(lineText(parent, parent.lastLine())));
    QVERIFY(parent.feed(call(EventKind::Close)));
    QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("p.stdin.close()")));
    QVERIFY(parent.feed(call(EventKind::Read)));
    QVERIFY(parent.feed(call(EventKind::Read)));
    QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("p.stdout.read")));
    QVERIFY(parent.feed(call(EventKind::Close)));
    QVERIFY(parent.feed(call(EventKind::Wait)));
    QVERIFY(lineText(parent, parent.lastLine()).contains(QStringLiteral("p.wait()")));
    QCOMPARE(parent.unmatched(), 0);

    // Several tags on one line parse as several calls, in order, with their requested values.
    const CodeProgram p
        = CodeListing::parse("x", "parent", "t", "a = f()   $PipeCreated $Read=7 $Fork\nb()", ListingLanguage::Python);
    QCOMPARE(p.language, ListingLanguage::Python);
    QCOMPARE(p.lines.size(), std::size_t {2});
    QCOMPARE(p.lines[0].text, std::string("a = f()"));
    QCOMPARE(p.lines[0].calls.size(), std::size_t {3});
    QCOMPARE(p.lines[0].calls[1].kind, EventKind::Read);
    QVERIFY(p.lines[0].calls[1].hasRequested);
    QCOMPARE(p.lines[0].calls[1].requested, std::int64_t {7});
    QCOMPARE(p.lines[0].tag(), EventKind::PipeCreated);
    QVERIFY(p.lines[0].makes(EventKind::Fork));
    QVERIFY(!p.lines[1].tagged());
}

QTEST_GUILESS_MAIN(TestLessonsCode)
#include "tst_lessons_code.moc"
