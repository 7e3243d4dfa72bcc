#include "core/scenarios/transferpattern.h"

#include <cstring>

namespace pipescope
{

TransferPattern::TransferPattern(std::size_t maxChunk) : m_table(kPeriod + maxChunk)
{
    std::uint32_t x = 2463534242u; // xorshift32: cheap, and no two periods alike by accident
    for (std::size_t i = 0; i < kPeriod; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        m_table[i] = static_cast<unsigned char>(x);
    }
    for (std::size_t i = kPeriod; i < m_table.size(); ++i)
        m_table[i] = m_table[i - kPeriod];
}

bool TransferPattern::matches(std::uint64_t offset, const void *data, std::size_t size) const
{
    return std::memcmp(at(offset), data, size) == 0;
}

} // namespace pipescope
