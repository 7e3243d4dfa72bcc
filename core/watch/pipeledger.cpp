#include "core/watch/pipeledger.h"

#include <algorithm>

namespace pipescope
{

void PipeLedger::sawHolder(pid_t pid, bool writeEnd, bool counted, std::uint64_t count)
{
    (writeEnd ? m_everWriters : m_everReaders).insert(pid);
    const Counts &counts = writeEnd ? m_in : m_out;
    if (!counted && !counts.count(pid))
        (writeEnd ? m_badIn : m_badOut).try_emplace(pid, count, count).first->second.second = count;
}

void PipeLedger::count(pid_t pid, bool writeEnd, std::uint64_t count, bool sole)
{
    (writeEnd ? m_in : m_out)[pid] = count;
    (writeEnd ? m_badIn : m_badOut).erase(pid);
    if (!sole)
        m_assumed.insert(pid);
}

void PipeLedger::forgetIdleHolders(const std::function<bool(pid_t, bool)> &holdsNow)
{
    for (const bool write : {true, false}) {
        std::erase_if(write ? m_badIn : m_badOut,
            [&](const auto &kv) { return !holdsNow(kv.first, write) && kv.second.first == kv.second.second; });
    }
}

void PipeLedger::fillBytes(WatchedPipe &p, std::int64_t now, const std::function<CountState(pid_t)> &state)
{
    p.bytesIn = 0;
    p.bytesOut = 0;
    for (const auto &[pid, n] : m_in)
        p.bytesIn += n;
    for (const auto &[pid, n] : m_out)
        p.bytesOut += n;
    p.inKnown = !m_in.empty() && m_badIn.empty();
    p.outKnown = !m_out.empty() && m_badOut.empty();
    const Counts *used = nullptr;
    if (p.outKnown && p.inKnown) {
        p.basis = ByteBasis::Both;
        p.bytes = std::min(p.bytesIn, p.bytesOut);
        used = p.bytesIn <= p.bytesOut ? &m_in : &m_out;
    } else if (p.outKnown) {
        p.basis = ByteBasis::Readers;
        p.bytes = p.bytesOut;
        used = &m_out;
    } else if (p.inKnown) {
        p.basis = ByteBasis::Writers;
        p.bytes = p.bytesIn;
        used = &m_in;
    } else {
        p.basis = ByteBasis::None;
        p.bytes = 0;
    }
    p.bytesFinal = false;
    p.bytesSlack = 0;
    p.bytesAssumed = false;
    if (used) {
        const auto final = [&](const Counts &counts) {
            return std::all_of(counts.begin(), counts.end(), [&](const auto &kv) { return state(kv.first).final; });
        };
        // Both sides: the smaller may still change until both are final.
        p.bytesFinal = p.basis == ByteBasis::Both ? final(m_in) && final(m_out) : final(*used);
        for (const auto &[pid, n] : *used) {
            p.bytesSlack += state(pid).slack;
            p.bytesAssumed |= m_assumed.count(pid) > 0;
        }
    }
    p.rate = 0;
    if (m_lastNs > 0 && now > m_lastNs && p.basis == m_last.basis && p.bytes >= m_last.bytes)
        p.rate = static_cast<double>(p.bytes - m_last.bytes) * 1e9 / static_cast<double>(now - m_lastNs);
    m_last = p;
    m_lastNs = now;
}

} // namespace pipescope
