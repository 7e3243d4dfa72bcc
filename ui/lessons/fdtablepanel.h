#pragma once

#include "core/model/event.h"

#include <QVector>
#include <QWidget>

class QLabel;
class QTableView;
class QTimer;

namespace pipescope
{

class FdTableModel;
class ReplayController;
class RunState;

/// A panel with one process's live fd table (FdTableModel): a title naming the
/// process and where the table comes from, the table in large type, and a
/// timer that re-reads /proc while the process lives.
class FdTablePanel : public QWidget
{
    Q_OBJECT
public:
    /// state is the run's RunState (not owned; it must outlive the panel).
    explicit FdTablePanel(const RunState *state, QWidget *parent = nullptr);

    /// Shows this process (0: none) and reads its table now.
    void setProcess(int pid);
    /// Re-read interval while the process lives (default 500 ms; 0: only on refresh()).
    void setInterval(int ms);
    /// A replay: tables come from its file, never from this machine's /proc (null: live again).
    void setReplay(const ReplayController *replay);
    FdTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    /// The line above the table: whose table, and where it comes from.
    QString title() const;

public Q_SLOTS:
    /// Feed every event batch of the run (RunController::eventsArrived).
    void appendEvents(const QVector<pipescope::Event> &events);
    /// Reads /proc now.
    void refresh();
    /// A new run: forgets the events and the process.
    void clear();

private:
    const RunState *m_state;
    FdTableModel *m_model;
    QLabel *m_title;
    QTableView *m_table;
    QTimer *m_timer;
    const ReplayController *m_replay = nullptr;
};

} // namespace pipescope
