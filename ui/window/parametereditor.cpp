#include "ui/window/parametereditor.h"

#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace pipescope
{

ParameterEditor::ParameterEditor(QWidget *parent)
    : QWidget(parent), m_form(new QFormLayout), m_rules(new QLabel(this)), m_summary(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_form);
    m_rules->setWordWrap(true);
    m_rules->setTextFormat(Qt::PlainText);
    m_rules->setObjectName(QStringLiteral("rules"));
    m_rules->setVisible(false);
    layout->addWidget(m_rules);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("problem"));
    layout->addWidget(m_summary);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::WrapAllRows);
}

void ParameterEditor::setScenario(const Scenario *scenario, const QMap<QString, QString> &values)
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_edits.clear();
    m_reasons.clear();
    m_scenario = scenario;
    m_specs = scenario ? scenario->params() : std::vector<ParamSpec> {};
    // The rules between parameters, said before a run is refused for breaking one.
    QStringList rules;
    for (const std::string &rule : scenario ? scenario->rules() : std::vector<std::string> {})
        rules << QStringLiteral("Rule: %1.").arg(QString::fromStdString(rule));
    m_rules->setText(rules.join(QLatin1Char('\n')));
    m_rules->setVisible(!rules.isEmpty());
    for (const ParamSpec &spec : m_specs) {
        const QString name = QString::fromStdString(spec.name);
        auto *edit = new QLineEdit(this);
        edit->setObjectName(name);
        edit->setPlaceholderText(QString::fromStdString(spec.defaultValue));
        edit->setText(values.value(name, QString::fromStdString(spec.defaultValue)));
        edit->setToolTip(
            QStringLiteral("%1\n%2: %3")
                .arg(QString::fromStdString(spec.description), QString::fromLatin1(paramTypeName(spec.type)),
                    QString::fromStdString(spec.boundsText())));
        auto *reason = new QLabel(this);
        reason->setWordWrap(true);
        reason->setVisible(false);
        auto *box = new QWidget(this);
        auto *v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        v->setSpacing(2);
        v->addWidget(edit);
        v->addWidget(reason);
        box->show(); // a child of a visible widget added to a layout would only appear on the next event loop pass
        m_form->addRow(QStringLiteral("%1  <small>(%2)</small>")
                           .arg(name, QString::fromStdString(spec.boundsText()).toHtmlEscaped()),
            box);
        // The name and its bounds wrap in a narrow dock (1024x768) instead of asking for a horizontal scroll bar.
        if (auto *label = qobject_cast<QLabel *>(m_form->labelForField(box)))
            label->setWordWrap(true);
        m_edits.push_back(edit);
        m_reasons.push_back(reason);
        connect(edit, &QLineEdit::textChanged, this, [this] {
            revalidate();
            Q_EMIT valuesChanged();
        });
    }
    revalidate();
}

bool ParameterEditor::setValue(const QString &name, const QString &value)
{
    for (QLineEdit *edit : std::as_const(m_edits)) {
        if (edit->objectName() == name) {
            edit->setText(value);
            const int i = static_cast<int>(m_edits.indexOf(edit));
            return m_reasons[i]->isHidden();
        }
    }
    m_problem = QStringLiteral("no parameter named '%1'").arg(name);
    m_summary->setText(m_problem);
    return false;
}

QString ParameterEditor::rulesText() const
{
    return m_rules->text();
}

QString ParameterEditor::value(const QString &name) const
{
    for (const QLineEdit *edit : m_edits)
        if (edit->objectName() == name)
            return edit->text();
    return {};
}

QMap<QString, QString> ParameterEditor::values() const
{
    QMap<QString, QString> out;
    for (const QLineEdit *edit : m_edits)
        out.insert(edit->objectName(), edit->text());
    return out;
}

QStringList ParameterEditor::assignments() const
{
    QStringList out;
    for (std::size_t i = 0; i < m_specs.size(); ++i) {
        const QString text = m_edits[static_cast<int>(i)]->text();
        if (text != QString::fromStdString(m_specs[i].defaultValue))
            out << QStringLiteral("%1=%2").arg(QString::fromStdString(m_specs[i].name), text);
    }
    return out;
}

void ParameterEditor::revalidate()
{
    const bool wasValid = isValid();
    m_problem.clear();
    for (std::size_t i = 0; i < m_specs.size(); ++i) {
        QLineEdit *edit = m_edits[static_cast<int>(i)];
        QLabel *reason = m_reasons[static_cast<int>(i)];
        const auto error = m_specs[i].validate(edit->text().toStdString());
        reason->setVisible(error.has_value());
        // Text and a thick border, not colour alone, mark the refused field.
        edit->setStyleSheet(error ? QStringLiteral("QLineEdit { border: 3px solid #D55E00; }") : QString());
        if (error) {
            reason->setText(QStringLiteral("\u2716 refused: %1").arg(QString::fromStdString(*error)));
            if (m_problem.isEmpty())
                m_problem = QString::fromStdString(*error);
        }
    }
    if (m_problem.isEmpty() && m_scenario) {
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const QString &a : assignments()) {
            bool ok = false;
            pairs.push_back(ParamValues::splitAssignment(a.toStdString(), &ok));
        }
        const ResolvedScenario r = ScenarioCatalog::resolve(m_scenario->name(), pairs);
        if (!r.ok())
            m_problem = QString::fromStdString(r.error);
    }
    m_summary->setText(
        m_problem.isEmpty() ? QString() : QStringLiteral("<b>Cannot run:</b> %1").arg(m_problem.toHtmlEscaped()));
    m_summary->setVisible(!m_problem.isEmpty());
    if (wasValid != isValid())
        Q_EMIT validityChanged(isValid());
}

} // namespace pipescope
