#pragma once

#include "ui/scene/ratemeter.h"

#include <QElapsedTimer>
#include <QMap>
#include <QWidget>

class QLabel;
class QProgressBar;
class QTableWidget;

namespace pipescope
{

class RunState;

/// Live byte counters: per pipe written, read, in the buffer, capacity and
/// rate; per process bytes in and out; and, for a transfer with a known
/// total, a progress bar with rate and time left. Counts are exact (every
/// digit); the rate and the time left are estimates from samples and say so.
class CountersPanel : public QWidget
{
    Q_OBJECT
public:
    enum PipeColumn { PipeName, Written, Read, InBuffer, Capacity, Rate, PipeColumns };
    enum ProcessColumn { ProcPid, ProcRole, BytesIn, BytesOut, ProcState, ProcessColumns };

    explicit CountersPanel(QWidget *parent = nullptr);

    /// Bytes the run will move in total (0: unknown, no progress bar).
    void setExpectedTotal(qint64 bytes);
    /// Takes the total from a scenario's "total" size parameter, if it has one (large-transfer).
    void setExpectedTotal(const QMap<QString, QString> &parameters);
    /// Shows the state now; called at every sample and event batch.
    void refresh(const RunState &state);
    void clear();

    /// The tables and the bar, for tests (each count cell also holds its raw value in Qt::UserRole).
    QTableWidget *pipeTable() const { return m_pipes; }
    QTableWidget *processTable() const { return m_processes; }
    QProgressBar *progressBar() const { return m_progress; }
    /// Times refresh() ran (tests check the sampling rate).
    int refreshCount() const { return m_refreshes; }

private:
    void setCell(QTableWidget *table, int row, int column, const QString &text, qint64 raw);

    QTableWidget *m_pipes;
    QTableWidget *m_processes;
    QProgressBar *m_progress;
    QLabel *m_progressLabel;
    qint64 m_total = 0;
    RateMeter m_rates;
    QElapsedTimer m_clock;
    int m_refreshes = 0;
};

} // namespace pipescope
