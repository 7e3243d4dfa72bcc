#pragma once

#include <QHash>

namespace pipescope
{

/// Bytes per second from a growing counter sampled now and then, smoothed so
/// the number on screen does not flicker. Derived from samples: an estimate.
class RateMeter
{
public:
    /// Feeds the counter's value at nowMs; returns the smoothed rate in bytes/s.
    double update(quint64 key, qint64 value, qint64 nowMs);
    double rate(quint64 key) const { return m_entries.value(key).rate; }
    void clear() { m_entries.clear(); }

private:
    struct Entry {
        qint64 value = 0;
        qint64 timeMs = -1;
        qint64 lastChangeMs = 0;
        double rate = 0;
    };
    QHash<quint64, Entry> m_entries;
};

} // namespace pipescope
