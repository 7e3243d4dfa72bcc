#pragma once

#include "core/lessons/codecursor.h"
#include "ui/scene/theme.h"

#include <QList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace pipescope
{

/// The program one process runs (a CodeListing), in C or in Python, in a large
/// monospace font, with the current line highlighted: the line about to execute
/// (held at its gate, or blocked inside it) in orange, the line just executed in
/// blue; a marker in the margin and the title say which, not the colour alone.
/// Each line that makes a syscall names it in the gutter; where a line makes
/// several (Python's subprocess.Popen) the title says which one is current.
class CodeView : public QWidget
{
    Q_OBJECT
public:
    explicit CodeView(QWidget *parent = nullptr);

    /// Shows the listing of this scenario's role (e.g. "parent-child", "child"); clears the cursor.
    void showProgram(const QString &scenario, const QString &role, int pid = 0);
    /// Shows the same process's program in this language; the cursor follows the events
    /// already fed, so it lands on the same call.
    void setLanguage(ListingLanguage language);
    ListingLanguage language() const { return m_language; }
    /// Feed every event of the shown process (others are ignored); moves the highlight.
    void feed(const Event &event);
    /// Highlights from a cursor the caller keeps (it must follow the shown program).
    void setCursor(const CodeCursor &cursor);
    void setTheme(const Theme &theme);
    /// Font size of the code in points (default 18).
    void setCodePointSize(int pt);
    /// The width this view needs to show columns characters of code on a line (gutter included).
    int widthForColumns(int columns) const;

    const CodeCursor &cursor() const { return m_cursor; }
    /// The highlighted line (0-based), -1 when none.
    int highlightedLine() const { return m_cursor.currentLine(); }
    QPlainTextEdit *editor() const { return m_text; }

private:
    void render();
    void load();

    QLabel *m_title;
    QPlainTextEdit *m_text;
    Theme m_theme = Theme::light();
    CodeCursor m_cursor;
    QString m_heading;
    QString m_scenario;
    QString m_role;
    QList<Event> m_fed; ///< the shown process's events, replayed when the language changes
    ListingLanguage m_language = ListingLanguage::C;
    int m_pid = 0;
    int m_pointSize = 18;
};

} // namespace pipescope
