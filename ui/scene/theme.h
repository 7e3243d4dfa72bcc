#pragma once

#include <QColor>
#include <QFont>
#include <QString>

class QPalette;

namespace pipescope
{

/// Colours and fonts of the scene and panels. The palette is Okabe-Ito, which
/// stays distinct for the common colour-vision deficiencies; states are also
/// told apart by text and line style, never by colour alone.
struct Theme {
    enum class Kind { Light, Dark };

    Kind kind = Kind::Light;
    QColor background;
    QColor grid;
    QColor text;
    QColor mutedText;
    QColor nodeFill;
    QColor running; ///< Okabe-Ito blue
    QColor held; ///< orange: waiting at its gate
    QColor blocked; ///< vermillion: asleep in the kernel on a pipe (or another process)
    QColor sleeping; ///< reddish purple: a deliberate nanosleep, nothing is wrong
    QColor exited; ///< grey
    QColor pipeBody;
    QColor pipeFill; ///< sky blue: bytes in the buffer
    QColor chunk; ///< bluish green: bytes in flight
    QColor chunkText;
    QColor mark; ///< yellow: EOF, EAGAIN, EPIPE, ready
    QColor markText;
    QColor connector;

    /// Fonts in points: the scene is read from the back of a lecture hall.
    int titlePt = 20;
    int bodyPt = 16;
    int smallPt = 14;

    static Theme light();
    static Theme dark();
    static Theme byName(const QString &name);
    QString name() const;
    QFont font(int pointSize, bool bold = false) const;
    /// A window palette matching the theme (the panels follow it too).
    QPalette palette() const;
};

} // namespace pipescope
