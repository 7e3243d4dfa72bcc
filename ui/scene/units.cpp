#include "ui/scene/units.h"

#include <cmath>

namespace pipescope
{

QString Units::bytes(qint64 n)
{
    static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(n);
    int unit = 0;
    while (std::abs(v) >= 1024 && unit < 4) {
        v /= 1024;
        ++unit;
    }
    if (unit == 0)
        return QStringLiteral("%1 B").arg(n);
    const bool whole = std::abs(v - std::round(v)) < 0.05;
    return QStringLiteral("%1 %2").arg(v, 0, 'f', whole || v >= 100 ? 0 : 1).arg(QLatin1String(names[unit]));
}

QString Units::exact(qint64 n)
{
    QString digits = QString::number(n < 0 ? -n : n);
    // A thin space groups thousands without any locale's comma-or-dot ambiguity.
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(i, QChar(0x2009));
    return n < 0 ? QLatin1Char('-') + digits : digits;
}

QString Units::rate(double bytesPerSecond)
{
    return bytes(static_cast<qint64>(bytesPerSecond)) + QStringLiteral("/s");
}

QString Units::duration(double seconds)
{
    if (seconds < 0 || !std::isfinite(seconds))
        return QStringLiteral("?");
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
    const int s = static_cast<int>(seconds);
    return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
}

QString Units::preview(const char *data, int size, int maxChars)
{
    QString out;
    for (int i = 0; i < size && out.size() < maxChars; ++i) {
        const unsigned char c = static_cast<unsigned char>(data[i]);
        if (c == '\n')
            out += QStringLiteral("\\n");
        else
            out += c >= 0x20 && c < 0x7f ? QChar(QLatin1Char(static_cast<char>(c))) : QChar(0x00b7);
    }
    if (size > maxChars && out.size() >= maxChars)
        out += QChar(0x2026);
    return out;
}

} // namespace pipescope
