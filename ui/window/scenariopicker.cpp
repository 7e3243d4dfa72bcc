#include "ui/window/scenariopicker.h"

#include "core/run/scenario.h"
#include "core/scenarios/scenariocatalog.h"

#include <QComboBox>
#include <QLabel>
#include <QVBoxLayout>

namespace pipescope
{

namespace
{
QString toQString(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}
} // namespace

ScenarioPicker::ScenarioPicker(QWidget *parent)
    : QWidget(parent), m_combo(new QComboBox(this)), m_description(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);
    layout->addWidget(m_description);
    m_description->setWordWrap(true);
    // The dock is narrow at 1024x768: the box shows as much of a name as fits (the list and the
    // tool tip show it whole) instead of widening the dock past the screen's share.
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_combo->setMinimumContentsLength(6);
    int lesson = 1;
    for (const Scenario *s : ScenarioCatalog::all())
        m_combo->addItem(QStringLiteral("%1. %2").arg(lesson++).arg(toQString(s->name())), toQString(s->name()));
    connect(m_combo, &QComboBox::currentIndexChanged, this, [this] {
        const Scenario *s = currentScenario();
        m_description->setText(s ? toQString(s->description()) : QString());
        m_combo->setToolTip(m_combo->currentText());
        Q_EMIT scenarioChosen(current());
    });
    const Scenario *s = currentScenario();
    m_description->setText(s ? toQString(s->description()) : QString());
    m_combo->setToolTip(m_combo->currentText());
}

bool ScenarioPicker::select(const QString &name)
{
    const int i = m_combo->findData(name);
    if (i < 0)
        return false;
    if (i == m_combo->currentIndex())
        Q_EMIT scenarioChosen(name);
    else
        m_combo->setCurrentIndex(i);
    return true;
}

QString ScenarioPicker::current() const
{
    return m_combo->currentData().toString();
}

const Scenario *ScenarioPicker::currentScenario() const
{
    return ScenarioCatalog::find(current().toStdString());
}

} // namespace pipescope
