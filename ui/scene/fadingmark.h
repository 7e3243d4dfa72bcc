#pragma once

#include <QString>

#include <algorithm>
#include <cmath>

namespace pipescope
{

/// A short-lived mark on a scene item ("EOF", "EAGAIN", "ready"): full strength,
/// then fading over its last 400 ms, driven by the animation clock.
struct FadingMark {
    QString text;
    qint64 expiresMs = 0;
    qreal alpha = 0;

    void show(const QString &mark, qint64 expires)
    {
        text = mark;
        expiresMs = expires;
        alpha = 1;
    }
    bool visible() const { return !text.isEmpty(); }

    /// Advances to nowMs. Returns true while the mark still animates; sets
    /// repaint when what it looks like changed.
    bool step(qint64 nowMs, bool *repaint)
    {
        if (text.isEmpty())
            return false;
        const qint64 left = expiresMs - nowMs;
        if (left <= 0) {
            text.clear();
            *repaint = true;
            return false;
        }
        const qreal next = std::min<qreal>(1.0, static_cast<qreal>(left) / 400.0);
        if (std::abs(next - alpha) > 0.02) {
            alpha = next;
            *repaint = true;
        }
        return true;
    }
};

} // namespace pipescope
