#pragma once

#include <QElapsedTimer>
#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <functional>

namespace pipescope::test
{

/// Runs the event loop until condition() holds or timeoutMs passes; the loop
/// wakes on every signal of sender given (no polling sleeps).
template<typename Sender, typename Signal>
bool waitUntil(const std::function<bool()> &condition, Sender *sender, Signal signal, int timeoutMs)
{
    QElapsedTimer elapsed;
    elapsed.start();
    while (!condition()) {
        const qint64 left = timeoutMs - elapsed.elapsed();
        if (left <= 0)
            return false;
        QEventLoop loop;
        QTimer limit;
        limit.setSingleShot(true);
        QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);
        QObject::connect(sender, signal, &loop, &QEventLoop::quit);
        limit.start(static_cast<int>(left));
        loop.exec();
    }
    return true;
}

} // namespace pipescope::test
