#pragma once

#include "event.h"

#include <QJsonObject>

namespace pipescope
{

/// An event as a flat JSON object (the CLI's jsonl format, one per line).
class EventJson
{
public:
    static QJsonObject toJson(const Event &event, qint64 startNs, const QString &role);
};

} // namespace pipescope
