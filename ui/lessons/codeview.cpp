#include "ui/lessons/codeview.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>

namespace pipescope
{

namespace
{

/// The gutter's name for a tagged line's call.
QString callName(EventKind kind)
{
    switch (kind) {
    case EventKind::PipeCreated: return QStringLiteral("pipe");
    case EventKind::SetPipeSize: return QStringLiteral("fcntl");
    case EventKind::Wait: return QStringLiteral("waitpid");
    case EventKind::Sleep: return QStringLiteral("sleep");
    default: return QString::fromLatin1(eventKindName(kind));
    }
}

} // namespace

CodeView::CodeView(QWidget *parent) : QWidget(parent), m_title(new QLabel(this)), m_text(new QPlainTextEdit(this))
{
    m_text->setReadOnly(true);
    // A narrow panel (a projector, presenter type) wraps a long line instead of cutting it off.
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_text->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_text, 1);
    setTheme(m_theme);
}

void CodeView::setTheme(const Theme &theme)
{
    m_theme = theme;
    m_title->setFont(theme.font(theme.bodyPt, true));
    QPalette pal = m_text->palette();
    pal.setColor(QPalette::Base, theme.background);
    pal.setColor(QPalette::Text, theme.text);
    m_text->setPalette(pal);
    setCodePointSize(m_pointSize);
}

void CodeView::setCodePointSize(int pt)
{
    m_pointSize = pt;
    QFont mono(QStringLiteral("DejaVu Sans Mono"));
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSize(pt);
    m_text->setFont(mono);
    render();
}

int CodeView::widthForColumns(int columns) const
{
    const QFontMetrics mono(m_text->font());
    const QMargins outer = layout()->contentsMargins();
    // The editor's frame, its document margin on both sides and room for a vertical scroll bar.
    const int chrome = 2 * m_text->frameWidth() + 2 * static_cast<int>(m_text->document()->documentMargin())
        + m_text->verticalScrollBar()->sizeHint().width();
    return mono.horizontalAdvance(QLatin1Char('x')) * columns + chrome + outer.left() + outer.right();
}

void CodeView::showProgram(const QString &scenario, const QString &role, int pid)
{
    m_pid = pid;
    m_scenario = scenario;
    m_role = role;
    m_fed.clear();
    load();
}

void CodeView::setLanguage(ListingLanguage language)
{
    if (language == m_language)
        return;
    m_language = language;
    if (m_scenario.isEmpty())
        return;
    const QList<Event> fed = m_fed;
    load();
    // The other language's lines make the same calls: the same events put its cursor on the same call.
    for (const Event &e : fed)
        m_cursor.feed(e);
    m_fed = fed;
    render();
}

void CodeView::load()
{
    const CodeProgram *program = CodeListing::find(m_scenario.toStdString(), m_role.toStdString(), m_language);
    m_cursor = CodeCursor(program);
    const QString language = m_language == ListingLanguage::Python ? QStringLiteral("Python") : QStringLiteral("C");
    m_heading = program ? QStringLiteral("%1 \u2014 %2%3 <small>[%4]</small>")
                              .arg(m_scenario, QString::fromStdString(program->title),
                                  m_pid > 0 ? QStringLiteral(" (pid %1)").arg(m_pid) : QString(), language)
                        : QStringLiteral("No %1 listing for %2 in %3").arg(language, m_role, m_scenario);
    QStringList lines;
    if (program) {
        for (const CodeLine &l : program->lines) {
            // Gutter: the syscall this line makes, so the log and the code meet.
            QString gutter;
            if (l.calls.size() == 1)
                gutter = callName(l.tag());
            else if (l.calls.size() > 1)
                gutter = QStringLiteral("%1 calls").arg(l.calls.size());
            lines << QStringLiteral("%1 \u2502 %2").arg(gutter, -7).arg(QString::fromStdString(l.text));
        }
    }
    m_text->setPlainText(lines.join(QLatin1Char('\n')));
    render();
}

void CodeView::feed(const Event &event)
{
    if (m_pid > 0 && event.pid != m_pid)
        return;
    if (m_cursor.program()) // no listing in either language: nothing to replay
        m_fed.append(event);
    if (m_cursor.feed(event))
        render();
}

void CodeView::setCursor(const CodeCursor &cursor)
{
    m_cursor = cursor;
    render();
}

void CodeView::render()
{
    QList<QTextEdit::ExtraSelection> marks;
    const int line = m_cursor.currentLine();
    const bool pending = m_cursor.pendingLine() >= 0;
    QString state;
    if (line >= 0) {
        QTextEdit::ExtraSelection mark;
        const QTextCursor start(m_text->document()->findBlockByNumber(line));
        mark.cursor = start;
        // The whole line, also where it wraps onto a second row.
        mark.cursor.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        const QColor c = pending ? m_theme.held : m_theme.running;
        mark.format.setBackground(c);
        mark.format.setForeground(pending ? m_theme.markText : QColor(Qt::white));
        mark.format.setFontWeight(QFont::Bold);
        marks << mark;
        m_text->setTextCursor(start);
        m_text->ensureCursorVisible();
        state = pending ? QStringLiteral("orange: the line about to execute (line %1)").arg(line + 1)
                        : QStringLiteral("blue: the line just executed (line %1)").arg(line + 1);
        // A line of several calls: say which one, as the gutter cannot.
        const CodeLine &l = m_cursor.program()->lines[static_cast<std::size_t>(line)];
        const int call = m_cursor.currentCall();
        if (l.calls.size() > 1 && call >= 0)
            state += QStringLiteral(", call %1 of %2: %3")
                         .arg(call + 1)
                         .arg(l.calls.size())
                         .arg(callName(l.calls[static_cast<std::size_t>(call)].kind));
    }
    if (m_cursor.replaced()) // its exec worked: what runs now is another program's code
        state = QStringLiteral("exec'd: it runs another program now, whose own calls (in the log and the scene) have "
                               "no line here (line %1)")
                    .arg(line + 1);
    m_text->setExtraSelections(marks);
    m_title->setText(state.isEmpty() ? m_heading : m_heading + QStringLiteral("<br><small>%1</small>").arg(state));
}

} // namespace pipescope
