#include "ui/lessons/cleanuppanel.h"

#include "core/model/eventformat.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <sys/wait.h>

namespace pipescope
{

CleanupPanel::CleanupPanel(QWidget *parent)
    : QWidget(parent), m_verdict(new QLabel(this)), m_table(new QTableWidget(0, ColumnCount, this))
{
    m_table->setHorizontalHeaderLabels({QStringLiteral("process"), QStringLiteral("closed itself"),
        QStringLiteral("closed at exec"), QStringLiteral("left to the kernel at exit")});
    m_table->horizontalHeader()->setSectionResizeMode(LeftToKernel, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    m_verdict->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *title = new QLabel(
        QStringLiteral("<b>Clean-up</b>: who closed each pipe end (fds above 2; the kernel closes whatever a process "
                       "still holds when it exits)"),
        this);
    title->setWordWrap(true);
    layout->addWidget(title);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_verdict);
    refresh();
}

void CleanupPanel::clear()
{
    m_report = CleanupReport();
    refresh();
}

void CleanupPanel::addEvents(const QVector<Event> &events)
{
    bool ended = false;
    for (const Event &e : events) {
        m_report.add(e);
        ended = ended || e.kind == EventKind::Exited || e.kind == EventKind::Reaped || e.kind == EventKind::Close
            || e.kind == EventKind::Fork || e.kind == EventKind::RunFinished;
    }
    if (ended)
        refresh();
}

QString CleanupPanel::verdict() const
{
    if (!m_report.observed())
        return QStringLiteral("No pipe was seen being made or closed: a pipeline watched from /proc shows which "
                              "fds a process holds, not who closed them.");
    // A socket pair's or a FIFO's ends are named for what they are, as the report's text names them.
    const QString ends = QString::fromStdString(CleanupReport::endNoun(m_report.endKinds()));
    if (m_report.anythingLeft())
        return QStringLiteral("Some %1s were left to the kernel. A correct program closes every end it no "
                              "longer needs: a reader waiting for EOF waits for the last write end to close.")
            .arg(ends);
    return QStringLiteral("Every %1 was closed by the process that held it.").arg(ends);
}

void CleanupPanel::refresh()
{
    const auto &all = m_report.processes();
    m_table->setRowCount(0);
    for (const CleanupReport::Process &p : all) {
        if (p.role.empty())
            continue; // the runner's own notes
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto cell = [&](int column, const QString &text) {
            auto *item = new QTableWidgetItem(text);
            m_table->setItem(row, column, item);
            return item;
        };
        cell(Process, QStringLiteral("%1 (pid %2)").arg(QString::fromStdString(p.role)).arg(p.pid));
        cell(ClosedItself, QString::number(p.closedItself));
        cell(ClosedAtExec, QString::number(p.closedAtExec));
        QString left;
        if (p.unobserved)
            left = QStringLiteral("not seen (it ran an untraced program)");
        else if (!p.exited)
            left = QStringLiteral("still running");
        else if (p.leftToKernel.empty())
            left = QStringLiteral("none");
        else {
            QStringList ends;
            for (const CleanupReport::LeftEnd &l : p.leftToKernel)
                ends << QStringLiteral("fd %1 (pipe:[%2] %3 end)")
                            .arg(l.fd)
                            .arg(l.end.inode)
                            .arg(l.end.writeEnd ? QStringLiteral("write") : QStringLiteral("read"));
            left = ends.join(QStringLiteral(", "));
            if (WIFSIGNALED(p.status))
                left += QStringLiteral(": killed by %1")
                            .arg(QString::fromStdString(EventFormat::waitStatus(p.status).substr(10)));
        }
        QTableWidgetItem *item = cell(LeftToKernel, left);
        if (!p.unobserved && p.exited && !p.leftToKernel.empty()) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
            item->setForeground(QColor(0xB0, 0x2A, 0x1A)); // the theme's "hang" red, readable on white
        }
    }
    m_table->resizeColumnsToContents();
    m_table->resizeRowsToContents();
    m_verdict->setText(verdict());
}

} // namespace pipescope
