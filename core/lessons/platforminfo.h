#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pipescope
{

/// One number the running kernel reports, with where it came from and how
/// other systems differ (for a platform panel or `pipescope-cli platform`).
struct PlatformFact {
    std::string key; ///< stable identifier, e.g. "pipe-buf"
    std::string label; ///< "Atomic write limit (PIPE_BUF)"
    std::int64_t value = -1; ///< -1 when this system would not say
    std::string unit; ///< "bytes", "files"
    std::string source; ///< how it was read, e.g. "fpathconf(_PC_PIPE_BUF) on a pipe"
    std::string elsewhere; ///< one line: how it differs on other systems
};

/// What this kernel says about pipes and limits, read live (never assumed):
/// PIPE_BUF, default and maximum pipe capacity, page size, open-file limit.
class PlatformInfo
{
public:
    /// Measures now; opens (and closes) one pipe.
    static PlatformInfo read();

    std::int64_t pipeBuf() const { return m_pipeBuf; }
    std::int64_t defaultPipeCapacity() const { return m_defaultCapacity; }
    std::int64_t maxPipeCapacity() const { return m_maxCapacity; }
    std::int64_t pageSize() const { return m_pageSize; }
    std::int64_t openFilesSoft() const { return m_openFilesSoft; }
    std::int64_t openFilesHard() const { return m_openFilesHard; }
    /// "Linux 6.1.0-18-amd64" (uname sysname and release).
    const std::string &kernel() const { return m_kernel; }

    /// The facts above in display order, each with its note.
    std::vector<PlatformFact> facts() const;
    /// One line per fact: "label: value unit (source). elsewhere".
    std::string text() const;

    /// POSIX's smallest allowed PIPE_BUF (_POSIX_PIPE_BUF).
    static constexpr std::int64_t kPosixMinPipeBuf = 512;

private:
    std::int64_t m_pipeBuf = -1;
    std::int64_t m_defaultCapacity = -1;
    std::int64_t m_maxCapacity = -1;
    std::int64_t m_pageSize = -1;
    std::int64_t m_openFilesSoft = -1;
    std::int64_t m_openFilesHard = -1;
    std::string m_kernel;
};

} // namespace pipescope
