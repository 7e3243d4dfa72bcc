#pragma once

#include "core/quiz/quizquestion.h"

#include <QWidget>

class QLabel;

namespace pipescope
{

/// Quiz mode on screen, in type a projector's back row can read: the open
/// question with its answers labelled 1-4, then the kernel's answer beside the
/// class's guess (right or wrong) with the one-line reason and the score, and at
/// the end of a run the session's score. It lies over the stage (the held process
/// stays visible above it) and never takes the keyboard or the mouse.
class QuizOverlay : public QWidget
{
    Q_OBJECT
public:
    /// host: the widget it covers (the window's stage); it follows host's size.
    explicit QuizOverlay(QWidget *host);

    void showQuestion(const QuizQuestion &question);
    /// The guess was given: the call runs, the kernel has not answered yet.
    void showJudging(const QuizQuestion &question, int guess);
    void showVerdict(const QuizVerdict &verdict, const QString &score);
    /// A line of its own (the session's score at the end of a run, "quiz on").
    void showNote(const QString &title, const QString &text);
    /// The part of the host (its coordinates) to keep in sight: the asked process's node.
    /// The overlay lies along the top or bottom edge, whichever is farther from it.
    void setAvoid(const QRect &area) { m_avoid = area; }
    /// Where the stage's scene begins in the host (below its headline): a card along the top starts there.
    void setTop(int y) { m_top = y; }
    /// What is on it now, as plain text (for tests and the status line).
    QString text() const;
    /// True when the whole card is on screen, its last line included (a long card on a small
    /// stage takes smaller type rather than being cut at the bottom).
    bool showsWholeCard() const;

Q_SIGNALS:
    /// Where it lies now, in the host's coordinates (empty once hidden): the stage keeps that strip
    /// free so the card covers neither the asked process nor its pipe.
    void coverChanged(const QRect &area);

protected:
    void hideEvent(QHideEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void present(const QString &html);
    void place();
    int basePixels() const;

    QWidget *m_host;
    QLabel *m_label;
    QRect m_avoid;
    int m_top = 0;
};

} // namespace pipescope
