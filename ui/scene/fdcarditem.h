#pragma once

#include "ui/scene/fdannotator.h"
#include "ui/scene/theme.h"

#include <QGraphicsItem>
#include <QString>
#include <QVector>

#include <vector>

namespace pipescope
{

/// A process's live fd table as a card attached below its node (a child item,
/// so it glides with the node). Compact and legible from the back of a room:
/// one line per fd ("fd 3  pipe 1 read  O_NONBLOCK  cloexec") and, for pipe
/// ends, a second line with the EOF indicator of a read end or, highlighted
/// in the theme's mark colour, "⚠ close: why". Ends to close come first, then
/// pipe ends, then the rest; beyond the card's room a "+N more" line.
/// PipeScope's own telemetry fd (1000) is hidden, and the title says so.
class FdCardItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 4 };
    /// One entry as shown (also what the tests read).
    struct Line {
        QString text; ///< "fd 3  pipe 1 read  O_NONBLOCK  cloexec", or "fd 0, 2  /dev/null"
        QString status; ///< the lesson's pipe ends: "EOF: no, 2 writers", "2 write ends open", "⚠ close: why"
        QString inode; ///< the lesson's pipe ends: "pipe:[1234]" (the second line's right end); else empty, one line
        QList<int> fds; ///< several when they share a line ("fd 0, 2  /dev/null")
        std::uint64_t pipeInode = 0;
        bool writeEnd = false;
        bool shouldClose = false;
        bool operator==(const Line &) const = default;
    };

    FdCardItem(const Theme *theme, QGraphicsItem *parent = nullptr);
    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    /// Room: the card's size and how many lines of lineHeight it holds.
    void setGeometry(const QSizeF &size, int lines, qreal lineHeight);
    /// The table just read from /proc (repaints only when what is shown changes).
    void setRows(const std::vector<FdAnnotator::Row> &rows);
    /// The process is gone: the kernel closed every fd it had.
    void setExited();
    /// No table can be read (a replay whose file holds none): the card says why instead of "reading /proc".
    void setUnread(const QString &why);
    /// The watchdog is stopping a hung run: keep the table as it was at that moment (the lesson
    /// is in it) and say so; later reads and the exit no longer replace it.
    void freezeAsStopped();
    bool frozen() const { return m_frozen; }

    /// What is shown, in order (at most what fits).
    const QVector<Line> &lines() const { return m_lines; }
    /// Entries left out for lack of room ("+N more").
    int moreCount() const { return m_more; }
    bool exited() const { return m_exited; }
    /// Why no table is shown (setUnread), empty otherwise.
    QString unread() const { return m_read ? QString() : m_unread; }
    /// The title line ("live fds · PipeScope's fd 1000 hidden").
    QString title() const;
    /// Entries at most shown: 5 on a full card, 4 on a compact one.
    int maxEntries() const;
    /// The point size of its rows (a compact card's rows are smaller).
    int rowPointSize() const;

private:
    void rebuild();
    int linesOf(const Line &line) const { return line.inode.isEmpty() ? 1 : 2; }

    const Theme *m_theme;
    QSizeF m_size;
    int m_lineBudget = 0;
    qreal m_lineHeight = 20;
    std::vector<FdAnnotator::Row> m_rows;
    QVector<Line> m_all; ///< every entry, sorted
    QVector<Line> m_lines;
    int m_more = 0;
    bool m_read = false; ///< false until the first table arrives
    bool m_exited = false;
    QString m_unread; ///< why no table is shown, when none can be read
    bool m_frozen = false;
};

} // namespace pipescope
