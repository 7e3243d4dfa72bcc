#pragma once

#include <QHash>

namespace pipescope
{

/// Bytes per second from a growing counter sampled now and then, smoothed so
/// the number on screen does not flicker. Derived from samples: an estimate,
/// and 0 until it means something: a flow of at least kMinFlowMs that moved at
/// least kMinBytes (16 bytes in one go is no "1 B/s").
class RateMeter
{
public:
    static constexpr qint64 kMinFlowMs = 500;
    static constexpr qint64 kMinBytes = 4096;

    /// Feeds the counter's value at nowMs; returns the smoothed rate in bytes/s.
    double update(quint64 key, qint64 value, qint64 nowMs);
    double rate(quint64 key) const { return shown(m_entries.value(key)); }
    void clear() { m_entries.clear(); }

private:
    struct Entry {
        qint64 value = 0;
        qint64 timeMs = -1;
        qint64 lastChangeMs = 0;
        double rate = 0;
        qint64 flowStartMs = -1; ///< when the current flow began (-1: stalled)
        qint64 flowStartValue = 0;
    };
    static double shown(const Entry &e);
    QHash<quint64, Entry> m_entries;
};

} // namespace pipescope
