#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pipescope
{

/// Reads a traced process's memory with process_vm_readv (one system call,
/// no ptrace word-by-word peeking). Every read is bounded: a tracee's
/// pointers are not to be trusted.
class TraceMemory
{
public:
    /// Up to size bytes at address; fewer (or none) where the memory ends.
    static std::vector<unsigned char> read(pid_t pid, std::uint64_t address, std::size_t size);
    /// One value of a trivially copyable type; false when unreadable.
    template<typename T>
    static bool readValue(pid_t pid, std::uint64_t address, T *value)
    {
        const auto bytes = read(pid, address, sizeof(T));
        if (bytes.size() != sizeof(T))
            return false;
        __builtin_memcpy(value, bytes.data(), sizeof(T));
        return true;
    }
    /// A NUL-terminated string of at most maxSize bytes.
    static std::string readString(pid_t pid, std::uint64_t address, std::size_t maxSize);
    /// An argv-style array of string pointers, joined by spaces, at most maxSize bytes.
    static std::string readArgv(pid_t pid, std::uint64_t address, std::size_t maxSize);
    /// Bytes as the event preview shows them: printable ASCII, '|' for newline, '.' else.
    static std::string preview(const std::vector<unsigned char> &bytes);
};

} // namespace pipescope
