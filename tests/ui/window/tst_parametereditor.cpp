// The parameter editor states a scenario's rules between parameters under its
// fields, on screen, before a run is refused for breaking one (issue 13, section 3).
#include "ui/window/parametereditor.h"

#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"

#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QTest>
#include <QVBoxLayout>

#include <algorithm>

using pipescope::ParameterEditor;
using pipescope::ScenarioCatalog;

class TestParameterEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rulesShownUnderTheFields_data();
    void rulesShownUnderTheFields();
    void everyRuleOfEveryScenarioIsShown();
    void noNoteWithoutRules();
};

namespace
{

/// The visible label named "rules" in the editor, or null.
QLabel *visibleRules(ParameterEditor &editor, QWidget &top)
{
    auto *label = editor.findChild<QLabel *>(QStringLiteral("rules"));
    return label && label->isVisibleTo(&top) ? label : nullptr;
}

} // namespace

void TestParameterEditor::rulesShownUnderTheFields_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("rule");
    QTest::addRow("zombie") << QStringLiteral("zombie")
                            << QStringLiteral("Rule: zombie-ms must be less than watchdog-ms, unless fixed is true");
    QTest::addRow("capacity") << QStringLiteral(
        "capacity") << QStringLiteral("Rule: reader-delay-ms must be less than watchdog-ms, unless fixed is true");
    QTest::addRow("select") << QStringLiteral("select") << QStringLiteral("Rule: written must be at most pipes");
}

void TestParameterEditor::rulesShownUnderTheFields()
{
    QFETCH(QString, scenario);
    QFETCH(QString, rule);
    QWidget top;
    auto *editor = new ParameterEditor(&top);
    (new QVBoxLayout(&top))->addWidget(editor);
    top.show();
    editor->setScenario(ScenarioCatalog::find(scenario.toStdString()));
    // Place the new rows now, as the next event loop pass would.
    top.layout()->activate();
    editor->layout()->activate();
    // Shown while every value is valid: the rule is stated before anyone breaks it.
    QVERIFY(editor->isValid());
    QLabel *note = visibleRules(*editor, top);
    QVERIFY2(note, "no visible rules note");
    QVERIFY2(note->text().contains(rule), qPrintable(note->text()));
    QCOMPARE(editor->rulesText(), note->text());
    // Under the last field: below it on screen.
    const QList<QWidget *> fields = editor->findChildren<QWidget *>(QString(), Qt::FindChildrenRecursively);
    int lowestField = 0;
    for (QWidget *w : fields) {
        if (qobject_cast<QLineEdit *>(w))
            lowestField = std::max(lowestField, w->mapTo(editor, QPoint(0, w->height())).y());
    }
    QVERIFY(lowestField > 0); // the rows were laid out
    QVERIFY2(note->mapTo(editor, QPoint(0, 0)).y() >= lowestField, "the note is not under the fields");
}

void TestParameterEditor::everyRuleOfEveryScenarioIsShown()
{
    QWidget top;
    auto *editor = new ParameterEditor(&top);
    top.show();
    int withRules = 0;
    for (const pipescope::Scenario *s : ScenarioCatalog::all()) {
        editor->setScenario(s);
        for (const std::string &rule : s->rules()) {
            QVERIFY2(editor->rulesText().contains(QString::fromStdString(rule)), rule.c_str());
            ++withRules;
        }
        QCOMPARE(visibleRules(*editor, top) != nullptr, !s->rules().empty());
    }
    QVERIFY(withRules >= 3);
}

void TestParameterEditor::noNoteWithoutRules()
{
    QWidget top;
    auto *editor = new ParameterEditor(&top);
    top.show();
    editor->setScenario(ScenarioCatalog::find("zombie"));
    QVERIFY(visibleRules(*editor, top));
    // Switching to a scenario without rules takes the old note away.
    editor->setScenario(ScenarioCatalog::find("simple"));
    QVERIFY(!visibleRules(*editor, top));
    QVERIFY(editor->rulesText().isEmpty());
}

QTEST_MAIN(TestParameterEditor)
#include "tst_parametereditor.moc"
