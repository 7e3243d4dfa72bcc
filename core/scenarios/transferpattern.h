#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pipescope
{

/// A byte stream that depends on each byte's offset, so a receiver can check
/// every byte arrived, in order, without a second copy: a lost, repeated or
/// reordered chunk shows as a mismatch. The period is prime so it does not
/// line up with chunk or pipe sizes.
class TransferPattern
{
public:
    static constexpr std::size_t kPeriod = 65521;

    explicit TransferPattern(std::size_t maxChunk);
    /// The bytes at stream offset `offset`, valid for up to maxChunk bytes.
    const unsigned char *at(std::uint64_t offset) const { return m_table.data() + offset % kPeriod; }
    /// True when data equals the stream from offset.
    bool matches(std::uint64_t offset, const void *data, std::size_t size) const;

private:
    std::vector<unsigned char> m_table;
};

} // namespace pipescope
