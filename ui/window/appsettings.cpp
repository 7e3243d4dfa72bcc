#include "ui/window/appsettings.h"

#include "ui/window/recenttrace.h"

#include <QSettings>
#include <QStandardPaths>

namespace pipescope
{

AppSettings::AppSettings()
    : m_settings(std::make_unique<QSettings>(
        QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/pipescope.ini"),
        QSettings::IniFormat))
{
}

AppSettings::~AppSettings() = default;

QString AppSettings::fileName() const
{
    return m_settings->fileName();
}

QString AppSettings::lastScenario() const
{
    return m_settings->value(QStringLiteral("scenario/last"), QStringLiteral("parent-child")).toString();
}

void AppSettings::setLastScenario(const QString &name)
{
    m_settings->setValue(QStringLiteral("scenario/last"), name);
}

QMap<QString, QString> AppSettings::parameters(const QString &scenario) const
{
    QMap<QString, QString> out;
    m_settings->beginGroup(QStringLiteral("params-") + scenario);
    for (const QString &key : m_settings->childKeys())
        out.insert(key, m_settings->value(key).toString());
    m_settings->endGroup();
    return out;
}

void AppSettings::setParameters(const QString &scenario, const QMap<QString, QString> &values)
{
    m_settings->beginGroup(QStringLiteral("params-") + scenario);
    m_settings->remove(QString());
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        m_settings->setValue(it.key(), it.value());
    m_settings->endGroup();
}

QString AppSettings::theme() const
{
    return m_settings->value(QStringLiteral("view/theme"), QStringLiteral("light")).toString();
}

void AppSettings::setTheme(const QString &name)
{
    m_settings->setValue(QStringLiteral("view/theme"), name);
}

ListingLanguage AppSettings::listingLanguage() const
{
    const QString name = m_settings->value(QStringLiteral("view/listing"), QStringLiteral("c")).toString();
    return listingLanguageFromName(name.toStdString()).value_or(ListingLanguage::C);
}

void AppSettings::setListingLanguage(ListingLanguage language)
{
    m_settings->setValue(QStringLiteral("view/listing"), QString::fromLatin1(listingLanguageName(language)));
}

QByteArray AppSettings::geometry() const
{
    return m_settings->value(QStringLiteral("window/geometry")).toByteArray();
}

void AppSettings::setGeometry(const QByteArray &geometry)
{
    m_settings->setValue(QStringLiteral("window/geometry"), geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings->value(QStringLiteral("window/state")).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(QStringLiteral("window/state"), state);
}

int AppSettings::pace() const
{
    return m_settings->value(QStringLiteral("run/pace"), 300).toInt();
}

void AppSettings::setPace(int ms)
{
    m_settings->setValue(QStringLiteral("run/pace"), ms);
}

bool AppSettings::fdTables() const
{
    return m_settings->value(QStringLiteral("view/fdTables"), false).toBool();
}

void AppSettings::setFdTables(bool shown)
{
    m_settings->setValue(QStringLiteral("view/fdTables"), shown);
}

QVector<RecentTrace> AppSettings::recentTraces() const
{
    QVector<RecentTrace> out;
    const int n = m_settings->beginReadArray(QStringLiteral("trace-recent"));
    for (int i = 0; i < std::min(n, RecentTrace::kMax); ++i) {
        m_settings->setArrayIndex(i);
        RecentTrace t {m_settings->value(QStringLiteral("program")).toString(),
            m_settings->value(QStringLiteral("arguments")).toString(),
            m_settings->value(QStringLiteral("directory")).toString()};
        if (!t.program.trimmed().isEmpty())
            out.append(t);
    }
    m_settings->endArray();
    return out;
}

void AppSettings::addRecentTrace(const RecentTrace &trace)
{
    const QVector<RecentTrace> list = RecentTrace::remember(recentTraces(), trace);
    m_settings->remove(QStringLiteral("trace-recent")); // a shorter list must not keep the old tail
    m_settings->beginWriteArray(QStringLiteral("trace-recent"), static_cast<int>(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("program"), list[i].program);
        m_settings->setValue(QStringLiteral("arguments"), list[i].arguments);
        m_settings->setValue(QStringLiteral("directory"), list[i].directory);
    }
    m_settings->endArray();
}

} // namespace pipescope
