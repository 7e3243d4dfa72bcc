#include "core/model/sharedstate.h"

#include <algorithm>

namespace pipescope
{

static_assert(std::atomic<std::int64_t>::is_always_lock_free, "shared counters must be lock-free across processes");

void SharedPipe::countWrite(std::int64_t n, bool measureFill)
{
    const std::int64_t total = written.fetch_add(n, std::memory_order_relaxed) + n;
    writes.fetch_add(1, std::memory_order_relaxed);
    if (!measureFill)
        return;
    const std::int64_t fill
        = std::min(total - read.load(std::memory_order_relaxed), capacity.load(std::memory_order_relaxed));
    if (fill > maxFill.load(std::memory_order_relaxed))
        maxFill.store(fill, std::memory_order_relaxed);
}

void SharedPipe::countRead(std::int64_t n)
{
    if (n == 0) {
        eof.store(1, std::memory_order_relaxed);
        return;
    }
    read.fetch_add(n, std::memory_order_relaxed);
    reads.fetch_add(1, std::memory_order_relaxed);
}

int SharedState::findPipe(std::uint64_t inode) const
{
    const int n = pipeCount.load(std::memory_order_acquire);
    for (int i = 0; i < n && i < kMaxPipes; ++i) {
        if (pipes[i].inode.load(std::memory_order_relaxed) == inode)
            return i;
    }
    return -1;
}

int SharedState::addPipe(std::uint64_t inode, std::int64_t capacity)
{
    if (const int existing = findPipe(inode); existing >= 0)
        return existing;
    // Slots are claimed first and published by setting the inode, so concurrent
    // creators in different processes never share a slot.
    const int slot = pipeCount.fetch_add(1, std::memory_order_acq_rel);
    if (slot >= kMaxPipes)
        return -1;
    pipes[slot].capacity.store(capacity, std::memory_order_relaxed);
    pipes[slot].inode.store(inode, std::memory_order_release);
    return slot;
}

} // namespace pipescope
