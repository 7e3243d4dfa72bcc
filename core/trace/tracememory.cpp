#include "core/trace/tracememory.h"

#include <sys/uio.h>

#include <algorithm>

namespace pipescope
{

std::vector<unsigned char> TraceMemory::read(pid_t pid, std::uint64_t address, std::size_t size)
{
    std::vector<unsigned char> out(size);
    if (size == 0 || address == 0)
        return {};
    iovec local {out.data(), size};
    iovec remote {reinterpret_cast<void *>(address), size};
    const ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

std::string TraceMemory::readString(pid_t pid, std::uint64_t address, std::size_t maxSize)
{
    // A string may end just before an unmapped page: read in small pieces that
    // do not cross a page boundary, so a short tail still comes back.
    constexpr std::uint64_t kPage = 4096;
    std::string out;
    while (out.size() < maxSize && address != 0) {
        const std::size_t chunk
            = static_cast<std::size_t>(std::min<std::uint64_t>(kPage - address % kPage, maxSize - out.size()));
        const auto bytes = read(pid, address, chunk);
        for (const unsigned char c : bytes) {
            if (c == 0)
                return out;
            out += static_cast<char>(c);
        }
        if (bytes.size() < chunk)
            break;
        address += chunk;
    }
    return out;
}

std::string TraceMemory::readArgv(pid_t pid, std::uint64_t address, std::size_t maxSize)
{
    constexpr std::size_t kMaxArgs = 64;
    std::string out;
    for (std::size_t i = 0; i < kMaxArgs && out.size() < maxSize; ++i) {
        std::uint64_t pointer = 0;
        if (!readValue(pid, address + i * sizeof pointer, &pointer) || pointer == 0)
            break;
        if (i > 0)
            out += ' ';
        out += readString(pid, pointer, maxSize - out.size());
    }
    return out.substr(0, maxSize);
}

std::string TraceMemory::preview(const std::vector<unsigned char> &bytes)
{
    std::string out;
    for (const unsigned char c : bytes)
        out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : (c == '\n' ? '|' : '.');
    return out;
}

} // namespace pipescope
