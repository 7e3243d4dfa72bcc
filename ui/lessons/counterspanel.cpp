#include "ui/lessons/counterspanel.h"

#include "core/model/eventformat.h"
#include "core/model/paramspec.h"
#include "core/model/runstate.h"
#include "ui/scene/units.h"

#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace pipescope
{

namespace
{

QTableWidget *makeTable(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionMode(QAbstractItemView::NoSelection);
    t->setFocusPolicy(Qt::NoFocus);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

} // namespace

CountersPanel::CountersPanel(QWidget *parent)
    : QWidget(parent),
      m_pipes(makeTable({QStringLiteral("pipe"), QStringLiteral("written"), QStringLiteral("read"),
                            QStringLiteral("in buffer"), QStringLiteral("capacity"), QStringLiteral("rate (est.)")},
          this)),
      m_processes(makeTable({QStringLiteral("pid"), QStringLiteral("role"), QStringLiteral("bytes in"),
                                QStringLiteral("bytes out"), QStringLiteral("state")},
          this)),
      m_progress(new QProgressBar(this)),
      m_progressLabel(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *pipesTitle = new QLabel(QStringLiteral("<b>Pipes</b> (bytes, from the shared counters)"), this);
    auto *procTitle = new QLabel(QStringLiteral("<b>Processes</b> (bytes)"), this);
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(true);
    m_progress->setMinimumHeight(34);
    layout->addWidget(m_progressLabel);
    layout->addWidget(m_progress);
    layout->addWidget(pipesTitle);
    layout->addWidget(m_pipes, 3);
    layout->addWidget(procTitle);
    layout->addWidget(m_processes, 2);
    setExpectedTotal(0);
    m_clock.start();
}

void CountersPanel::setExpectedTotal(qint64 bytes)
{
    m_total = bytes;
    m_progress->setVisible(bytes > 0);
    m_progressLabel->setVisible(bytes > 0);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("0 %"));
    m_progressLabel->setText(QStringLiteral("<b>Transfer</b> of %1").arg(Units::bytes(bytes)));
}

void CountersPanel::setExpectedTotal(const QMap<QString, QString> &parameters)
{
    const auto total = parameters.contains(QStringLiteral("total"))
        ? parseSize(parameters.value(QStringLiteral("total")).toStdString())
        : std::nullopt;
    setExpectedTotal(total ? *total : 0);
}

void CountersPanel::clear()
{
    m_pipes->setRowCount(0);
    m_processes->setRowCount(0);
    m_rates.clear();
    setExpectedTotal(m_total);
}

void CountersPanel::setCell(QTableWidget *table, int row, int column, const QString &text, qint64 raw)
{
    QTableWidgetItem *item = table->item(row, column);
    if (!item) {
        item = new QTableWidgetItem;
        if (column > 0)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table->setItem(row, column, item);
    }
    if (item->text() != text)
        item->setText(text);
    item->setData(Qt::UserRole, raw);
}

void CountersPanel::refresh(const RunState &state)
{
    ++m_refreshes;
    const qint64 now = m_clock.elapsed();
    const auto &pipes = state.pipes();
    m_pipes->setRowCount(static_cast<int>(pipes.size()));
    qint64 moved = 0;
    double rate = 0;
    for (int i = 0; i < static_cast<int>(pipes.size()); ++i) {
        const PipeInfo &p = pipes[static_cast<std::size_t>(i)];
        const double r = m_rates.update(p.inode, p.read, now);
        // A socket pair's row counts its first end to its second; the other way is said in its name.
        const QString name = p.isSocket() ? QStringLiteral("socket pair [%1] 1\u21922 (2\u21921: wrote %2, read %3)")
                                                .arg(p.inode)
                                                .arg(Units::exact(p.written2), Units::exact(p.read2))
            : p.kind == ChannelKind::Fifo
            ? QStringLiteral("fifo:[%1] %2").arg(p.inode).arg(QString::fromStdString(p.path))
            : QStringLiteral("pipe:[%1]").arg(p.inode);
        setCell(m_pipes, i, PipeName, name, static_cast<qint64>(p.inode));
        // Read never exceeds written on screen: a blocking write still in progress
        // is counted when it returns, but the reader may already have its first bytes.
        const qint64 written = std::max(p.written, p.read);
        setCell(m_pipes, i, Written, Units::exact(written) + (p.externalWriter ? QStringLiteral(" +?") : QString()),
            written);
        setCell(
            m_pipes, i, Read, Units::exact(p.read) + (p.externalReader ? QStringLiteral(" +?") : QString()), p.read);
        // An exec'd program's reads are not counted (written - read is then an upper
        // bound), its writes neither (a lower bound): say which bound it is.
        // While a writer sleeps on a full pipe the runner's FIONREAD is the truth: its write has
        // already put bytes in that the counters learn only when it returns.
        const qint64 held = p.inBuffer();
        QString bound = p.fillMeasured() ? QStringLiteral(" (FIONREAD)") : QString();
        if (p.externalReader && p.externalWriter)
            bound = QStringLiteral(" (not observed)");
        else if (p.externalReader)
            bound = QStringLiteral(" (at most)");
        else if (p.externalWriter)
            bound = QStringLiteral(" (at least)");
        setCell(m_pipes, i, InBuffer,
            p.externalReader && p.externalWriter ? QStringLiteral("?") + bound : Units::exact(held) + bound, held);
        setCell(m_pipes, i, Capacity, Units::exact(p.capacity), p.capacity);
        setCell(m_pipes, i, Rate, r > 0 ? Units::rate(r) : QStringLiteral("-"), static_cast<qint64>(r));
        moved = std::max<qint64>(moved, p.read);
        rate = std::max(rate, r);
    }
    const auto &procs = state.processes();
    m_processes->setRowCount(static_cast<int>(procs.size()));
    for (int i = 0; i < static_cast<int>(procs.size()); ++i) {
        const ProcessInfo &p = procs[static_cast<std::size_t>(i)];
        setCell(m_processes, i, ProcPid, QString::number(p.pid), p.pid);
        setCell(m_processes, i, ProcRole, QString::fromStdString(p.role), 0);
        setCell(m_processes, i, BytesIn, p.external ? QStringLiteral("(not observed)") : Units::exact(p.bytesIn),
            p.bytesIn);
        setCell(m_processes, i, BytesOut, p.external ? QStringLiteral("(not observed)") : Units::exact(p.bytesOut),
            p.bytesOut);
        const bool gone = p.state == ProcessState::Exited || p.state == ProcessState::Reaped;
        setCell(m_processes, i, ProcState,
            gone ? QString::fromStdString(EventFormat::waitStatus(p.status))
                    + (p.state == ProcessState::Exited ? QStringLiteral(", zombie") : QString())
                : p.sleeping() ? QStringLiteral("sleeping (nanosleep)")
                               : QString::fromLatin1(processStateName(p.state)),
            static_cast<qint64>(p.state));
    }
    if (m_total > 0) {
        const double done = std::min(1.0, static_cast<double>(moved) / static_cast<double>(m_total));
        m_progress->setValue(static_cast<int>(done * 1000));
        QString text = QStringLiteral("%1 %  \u00b7  %2 of %3")
                           .arg(done * 100, 0, 'f', 1)
                           .arg(Units::bytes(moved), Units::bytes(m_total));
        if (rate > 0 && done < 1)
            text += QStringLiteral("  \u00b7  %1  \u00b7  %2 left (est.)")
                        .arg(Units::rate(rate), Units::duration(static_cast<double>(m_total - moved) / rate));
        m_progress->setFormat(text);
    }
}

} // namespace pipescope
