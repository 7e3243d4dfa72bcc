#include "ui/window/recenttrace.h"

namespace pipescope
{

QStringList RecentTrace::argv() const
{
    QStringList out {program.trimmed()};
    out += splitArguments(arguments);
    return out;
}

QStringList RecentTrace::splitArguments(const QString &text)
{
    // A shell's word rules without the shell: '...' literal, "..." with \" and \\, \ outside quotes.
    QStringList words;
    QString word;
    bool inWord = false;
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quote == QLatin1Char('\'')) {
            if (c == quote)
                quote = QChar();
            else
                word += c;
        } else if (quote == QLatin1Char('"')) {
            if (c == quote)
                quote = QChar();
            else if (c == QLatin1Char('\\') && i + 1 < text.size()
                && (text.at(i + 1) == QLatin1Char('"') || text.at(i + 1) == QLatin1Char('\\')))
                word += text.at(++i);
            else
                word += c;
        } else if (c.isSpace()) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
        } else {
            inWord = true;
            if (c == QLatin1Char('\'') || c == QLatin1Char('"'))
                quote = c;
            else if (c == QLatin1Char('\\') && i + 1 < text.size())
                word += text.at(++i);
            else
                word += c;
        }
    }
    if (inWord)
        words << word;
    return words;
}

QString RecentTrace::label() const
{
    QString text = program.trimmed();
    if (!arguments.trimmed().isEmpty())
        text += QLatin1Char(' ') + arguments.trimmed();
    if (!directory.isEmpty())
        text += QStringLiteral("  (in %1)").arg(directory);
    return text;
}

QVector<RecentTrace> RecentTrace::remember(QVector<RecentTrace> list, const RecentTrace &latest)
{
    list.removeAll(latest);
    list.prepend(latest);
    if (list.size() > kMax)
        list.resize(kMax);
    return list;
}

} // namespace pipescope
