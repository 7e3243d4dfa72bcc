#pragma once

#include "core/lessons/codelisting.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QVector>

#include <memory>

class QSettings;

namespace pipescope
{

struct RecentTrace;

/// What a user expects to find again: last scenario, its parameters, theme,
/// window geometry. Stored in an ini file under the standard config location
/// (tests switch QStandardPaths to test mode, so they never touch the user's).
class AppSettings
{
public:
    AppSettings();
    ~AppSettings();

    QString lastScenario() const;
    void setLastScenario(const QString &name);
    QMap<QString, QString> parameters(const QString &scenario) const;
    void setParameters(const QString &scenario, const QMap<QString, QString> &values);
    QString theme() const;
    void setTheme(const QString &name);
    QByteArray geometry() const;
    void setGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    int pace() const;
    void setPace(int ms);
    /// Fd tables beside the process nodes (View > File descriptors beside nodes).
    bool fdTables() const;
    void setFdTables(bool shown);
    /// The code view's language (L switches it); C until chosen.
    ListingLanguage listingLanguage() const;
    void setListingLanguage(ListingLanguage language);
    /// Programs traced from File > Trace a program..., the latest first (RecentTrace::kMax at most).
    QVector<RecentTrace> recentTraces() const;
    /// Puts trace first in recentTraces() (an equal older entry goes).
    void addRecentTrace(const RecentTrace &trace);
    QString fileName() const;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace pipescope
