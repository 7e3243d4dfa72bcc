#pragma once

#include "core/model/paramspec.h"

#include <QMap>
#include <QWidget>

#include <vector>

class QFormLayout;
class QLabel;
class QLineEdit;

namespace pipescope
{

class Scenario;

/// Edits one scenario's parameters, built from Scenario::params(). Every value
/// is checked as it is typed (ParamSpec::validate, then the scenario's own
/// combination check); a bad one is refused with its reason shown beside it,
/// and the run cannot start until it is fixed. The rules between parameters
/// (Scenario::rules) are shown under the fields before anyone breaks them.
class ParameterEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ParameterEditor(QWidget *parent = nullptr);

    /// Rebuilds the form for a scenario, starting from its defaults overridden by values.
    void setScenario(const Scenario *scenario, const QMap<QString, QString> &values = {});
    /// Sets one value as if typed; false (and the reason shown) when it is refused.
    bool setValue(const QString &name, const QString &value);
    QString value(const QString &name) const;
    bool isValid() const { return m_problem.isEmpty(); }
    /// Why the values are refused (empty when valid); also shown on screen.
    QString problem() const { return m_problem; }
    /// The note under the fields that states the scenario's rules between parameters (empty: none).
    QString rulesText() const;
    /// The values that differ from the defaults, as "key=value".
    QStringList assignments() const;
    QMap<QString, QString> values() const;

Q_SIGNALS:
    void validityChanged(bool valid);
    void valuesChanged();

private:
    void revalidate();

    const Scenario *m_scenario = nullptr;
    std::vector<ParamSpec> m_specs;
    QVector<QLineEdit *> m_edits;
    QVector<QLabel *> m_reasons;
    QFormLayout *m_form;
    QLabel *m_rules;
    QLabel *m_summary;
    QString m_problem;
};

} // namespace pipescope
