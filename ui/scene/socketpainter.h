#pragma once

#include "ui/scene/theme.h"

#include <QRectF>
#include <QString>

#include <cstdint>

class QPainter;

namespace pipescope
{

/// Draws a socket pair where a pipe item would be: one connection with two ends
/// that both read and write, so two arrows (one per direction, each with its own
/// bytes) instead of a pipe's one-way gauge, and the words "socket pair", never "pipe".
class SocketPainter
{
public:
    /// What is shown; "end 1" is socketpair's first fd, drawn on the left unless flowsRight is false.
    struct Look {
        std::uint64_t inode = 0;
        std::uint64_t inode2 = 0;
        qint64 sent1 = 0; ///< written into end 1 (to end 2)
        qint64 got2 = 0; ///< read from end 2
        qint64 sent2 = 0; ///< written into end 2 (to end 1)
        qint64 got1 = 0; ///< read from end 1
        bool closed1 = false; ///< no process holds end 1 any more
        bool closed2 = false;
        bool eof1 = false; ///< end 1 read EOF
        bool eof2 = false;
        bool flowsRight = true;
        QString tag; ///< a short-lived mark ("read() = 0: EOF"), empty when none
        qreal tagAlpha = 1;
    };

    /// The heading: "socket pair [a] <-> [b]".
    static QString label(const Look &look);
    /// The line under the ends, one part per direction as drawn (rightwards first): the bytes
    /// written that way (the writer's "out"), what still waits in the socket for a read (written -
    /// read), and EOF where a read saw it: "\u2192 16 B, 16 B queued \u00b7 \u2190 0 B". Before any
    /// byte moved: "both ends read and write".
    static QString flowLine(const Look &look);
    /// Paints into the item's coordinates; tube is where a pipe's tube would be.
    static void paint(
        QPainter *painter, const Theme &theme, const QRectF &tube, const QSizeF &size, const Look &look, qreal pxPerPt);
};

} // namespace pipescope
