#pragma once

#include "ui/scene/theme.h"

#include <QWidget>

namespace pipescope
{

/// A translucent sheet over its parent listing the keyboard shortcuts in large
/// type, for a lecturer at a projector. It covers the parent (and follows its
/// size), takes the keyboard while shown, and goes away with Esc, F1 or ?
/// (or a click). The list reflows into columns, and the type shrinks only when
/// columns are not enough, so every key stays on screen down to 1024x768.
class HelpOverlay : public QWidget
{
    Q_OBJECT
public:
    /// keys: key names as QKeySequence writes them ("Ctrl+R", "PgDown"), alternatives
    /// joined by " or " or " / "; "Ctrl+arrows" stands for the four arrows with Ctrl.
    struct Shortcut {
        QString keys;
        QString action;
    };

    /// How the list is laid out in a given size: type size, columns, the block's rectangle.
    struct Layout {
        int pointSize = 0;
        int columns = 1;
        QRect block;
    };

    /// Starts hidden; covers parent when shown.
    explicit HelpOverlay(QWidget *parent);

    /// The shortcuts it lists (PipeScope's by default).
    static QList<Shortcut> defaultShortcuts();
    void setShortcuts(const QList<Shortcut> &shortcuts);
    const QList<Shortcut> &shortcuts() const { return m_shortcuts; }
    void setTheme(const Theme &theme);
    /// The largest type (24 pt down to 10 pt) and the fewest columns that fit the list in size.
    Layout layoutFor(const QSize &size) const;

public Q_SLOTS:
    /// Covers the parent, raises itself and takes focus.
    void showOverlay();
    void toggle();

Q_SIGNALS:
    void dismissed();

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void dismiss();

    QList<Shortcut> m_shortcuts;
    Theme m_theme = Theme::dark();
};

} // namespace pipescope
