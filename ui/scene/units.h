#pragma once

#include <QString>

namespace pipescope
{

/// Renders byte counts, rates and durations the same way in every panel.
class Units
{
public:
    /// "20 B", "64 KiB", "1.5 MiB": short, for the scene.
    static QString bytes(qint64 n);
    /// "1 048 576": every digit, for counters that must match the core's figures.
    static QString exact(qint64 n);
    /// "812 MiB/s".
    static QString rate(double bytesPerSecond);
    /// "2.4 s", "1 min 3 s".
    static QString duration(double seconds);
    /// Bytes as printable text: other bytes become a middle dot; at most maxChars, then an ellipsis.
    static QString preview(const char *data, int size, int maxChars);
};

} // namespace pipescope
