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
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
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

void CodeView::showProgram(const QString &scenario, const QString &role, int pid)
{
    m_pid = pid;
    const CodeProgram *program = CodeListing::find(scenario.toStdString(), role.toStdString());
    m_cursor = CodeCursor(program);
    m_heading = program ? QStringLiteral("%1 \u2014 %2%3")
                              .arg(scenario, QString::fromStdString(program->title),
                                  pid > 0 ? QStringLiteral(" (pid %1)").arg(pid) : QString())
                        : QStringLiteral("No listing for %1 in %2").arg(role, scenario);
    QStringList lines;
    if (program) {
        for (const CodeLine &l : program->lines) {
            // Gutter: the syscall this line makes, so the log and the code meet.
            const QString gutter = l.tagged() ? callName(l.tag) : QString();
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
        mark.cursor = QTextCursor(m_text->document()->findBlockByNumber(line));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        const QColor c = pending ? m_theme.held : m_theme.running;
        mark.format.setBackground(c);
        mark.format.setForeground(pending ? m_theme.markText : QColor(Qt::white));
        mark.format.setFontWeight(QFont::Bold);
        marks << mark;
        m_text->setTextCursor(mark.cursor);
        m_text->ensureCursorVisible();
        state = pending ? QStringLiteral("orange: the line about to execute (line %1)").arg(line + 1)
                        : QStringLiteral("blue: the line just executed (line %1)").arg(line + 1);
    }
    m_text->setExtraSelections(marks);
    m_title->setText(state.isEmpty() ? m_heading : m_heading + QStringLiteral("<br><small>%1</small>").arg(state));
}

} // namespace pipescope
