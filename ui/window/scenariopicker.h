#pragma once

#include <QWidget>

class QComboBox;
class QLabel;

namespace pipescope
{

class Scenario;

/// Chooses a scenario by name and shows its one-line description.
class ScenarioPicker : public QWidget
{
    Q_OBJECT
public:
    explicit ScenarioPicker(QWidget *parent = nullptr);

    /// Selects by name; false when there is no such scenario.
    bool select(const QString &name);
    QString current() const;
    const Scenario *currentScenario() const;

Q_SIGNALS:
    void scenarioChosen(const QString &name);

private:
    QComboBox *m_combo;
    QLabel *m_description;
};

} // namespace pipescope
