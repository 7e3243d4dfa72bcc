#pragma once

#include "ui/source/recording.h"

#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <optional>

namespace pipescope
{

/// Reads a recording (docs/recording-format.md) strictly: the header, then
/// every line as an event (through EventJsonReader, so exactly what the jsonl
/// format can say) or a counter sample. Anything else (an empty, foreign,
/// damaged or truncated file, a newer format version) is refused with one line
/// naming the line and the problem; nothing of a refused file is kept.
class RecordingReader
{
public:
    /// Times in the file count from the run's start; read back they count from this (not 0,
    /// which the model takes for "no start yet").
    static constexpr std::int64_t kBaseNs = 1'000'000'000;
    /// A longer file is not a recording of one run (a 1 GiB run records ~60 KB).
    static constexpr qsizetype kMaxBytes = 256 * 1024 * 1024;

    static std::optional<Recording> readFile(const QString &path, QString *error);
    static std::optional<Recording> parse(QByteArrayView bytes, QString *error);
};

} // namespace pipescope
