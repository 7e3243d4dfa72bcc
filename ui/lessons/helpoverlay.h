#pragma once

#include "ui/scene/theme.h"

#include <QWidget>

namespace pipescope
{

/// A translucent sheet over its parent listing the keyboard shortcuts in large
/// type, for a lecturer at a projector. It covers the parent (and follows its
/// size), takes the keyboard while shown, and goes away with Esc, F1 or ?
/// (or a click).
class HelpOverlay : public QWidget
{
    Q_OBJECT
public:
    struct Shortcut {
        QString keys;
        QString action;
    };

    /// Starts hidden; covers parent when shown.
    explicit HelpOverlay(QWidget *parent);

    /// The shortcuts it lists (PipeScope's by default).
    static QList<Shortcut> defaultShortcuts();
    void setShortcuts(const QList<Shortcut> &shortcuts);
    const QList<Shortcut> &shortcuts() const { return m_shortcuts; }
    void setTheme(const Theme &theme);

public Q_SLOTS:
    /// Covers the parent, raises itself and takes focus.
    void showOverlay();
    void toggle();

Q_SIGNALS:
    void dismissed();

protected:
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
