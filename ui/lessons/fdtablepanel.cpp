#include "ui/lessons/fdtablepanel.h"
#include "ui/source/replaycontroller.h"

#include "core/model/runstate.h"
#include "ui/lessons/fdtablemodel.h"
#include "ui/scene/theme.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace pipescope
{

FdTablePanel::FdTablePanel(const RunState *state, QWidget *parent)
    : QWidget(parent),
      m_state(state),
      m_model(new FdTableModel(this)),
      m_title(new QLabel(this)),
      m_table(new QTableView(this)),
      m_timer(new QTimer(this))
{
    const Theme theme = Theme::light();
    m_title->setFont(theme.font(theme.bodyPt, true));
    m_title->setWordWrap(true);
    m_table->setModel(m_model);
    m_table->setFont(theme.font(theme.smallPt));
    m_table->horizontalHeader()->setFont(theme.font(theme.smallPt, true));
    m_table->verticalHeader()->hide();
    // Rows grow with the wrapped text whenever the columns change width.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    // Every column fits its text except the note, which takes the rest and wraps.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(FdTableModel::Advice, QHeaderView::Stretch);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &FdTablePanel::refresh);
    setProcess(0);
}

void FdTablePanel::setInterval(int ms)
{
    m_timer->setInterval(ms);
    if (ms <= 0)
        m_timer->stop();
}

QString FdTablePanel::title() const
{
    return m_title->text();
}

void FdTablePanel::setReplay(const ReplayController *replay)
{
    if (m_replay)
        disconnect(m_replay, nullptr, this, nullptr);
    m_replay = replay;
    if (m_replay)
        connect(m_replay, &ReplayController::fdTablesChanged, this, &FdTablePanel::refresh);
    refresh();
}

void FdTablePanel::setProcess(int pid)
{
    m_model->setProcess(pid);
    refresh();
}

void FdTablePanel::appendEvents(const QVector<Event> &events)
{
    for (const Event &e : events)
        m_model->noteEvent(e);
}

void FdTablePanel::clear()
{
    m_model->clearEvents();
    setProcess(0);
}

void FdTablePanel::refresh()
{
    const int pid = m_model->pid();
    const ProcessInfo *p = m_state->process(pid);
    const QString who = p ? QStringLiteral("%1 (pid %2)").arg(QString::fromStdString(p->role)).arg(pid)
                          : QStringLiteral("pid %1").arg(pid);
    if (m_replay) {
        // The replayed pids were another run's: only what its file recorded is shown.
        FdAnnotator::Tables recorded;
        if (const auto &tables = m_replay->fdTables())
            for (const FdSnapshot::Table &t : tables->tables)
                recorded[t.pid] = t.fds;
        const bool found = m_model->refresh(*m_state, recorded);
        m_timer->stop();
        if (pid <= 0)
            m_title->setText(QStringLiteral("fd table: pick a process"));
        else if (found)
            m_title->setText(QStringLiteral("fd table of %1, as read from /proc during the recorded run").arg(who));
        else
            m_title->setText(QStringLiteral("fd table of %1: none recorded at this point of the replay").arg(who));
        m_table->resizeColumnsToContents();
        return;
    }
    const bool alive = m_model->refresh(*m_state);
    if (pid <= 0)
        m_title->setText(QStringLiteral("fd table: pick a process"));
    else if (alive)
        m_title->setText(QStringLiteral("fd table of %1, read live from /proc/%2/fd").arg(who).arg(pid));
    else
        m_title->setText(QStringLiteral("fd table of %1: the process has exited, the kernel closed every fd").arg(who));
    m_table->resizeColumnsToContents();
    m_table->resizeRowsToContents();
    if (alive && m_timer->interval() > 0 && !m_timer->isActive())
        m_timer->start();
    else if (!alive)
        m_timer->stop();
}

} // namespace pipescope
