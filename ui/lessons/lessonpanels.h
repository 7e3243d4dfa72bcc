#pragma once

#include "core/model/event.h"
#include "ui/lessons/timelineview.h"

#include <QList>
#include <QPointer>
#include <QVector>
#include <QWidget>

#include <memory>

class QComboBox;
class QTabWidget;

namespace pipescope
{

class CodeView;
class CleanupPanel;
class FdTablePanel;
class PlatformPanel;
class RunState;
class TimelineModel;
struct Theme;

/// The teaching panels of one run, fed by the same event batches as the scene:
/// the code the chosen process runs, its live fd table, the platform's numbers,
/// and the timeline (a separate widget, docked by the window). The chosen
/// process is the one that acted last ("follow the action") or one picked by hand.
class LessonPanels : public QWidget
{
    Q_OBJECT
public:
    LessonPanels(const RunState *state, QWidget *parent = nullptr);
    ~LessonPanels() override;

    TimelineView *timeline() const { return m_timelineView; }
    CodeView *code() const { return m_code; }
    FdTablePanel *fdTable() const { return m_fds; }
    CleanupPanel *cleanup() const { return m_cleanup; }
    QTabWidget *tabs() const { return m_tabs; }
    /// Every event of the current run, in order (the timeline's indexes point here).
    const QList<Event> &events() const { return m_events; }
    int focusedPid() const { return m_pid; }
    void setTheme(const Theme &theme);

public Q_SLOTS:
    void startRun(const QString &scenario);
    void addEvents(const QVector<pipescope::Event> &events);
    void clear();
    /// pid 0: follow the action.
    void focusProcess(int pid);

private:
    void showFocus(int pid);
    void updateChooser();

    const RunState *m_state;
    QString m_scenario;
    QList<Event> m_events;
    std::unique_ptr<TimelineModel> m_timelineModel;
    QPointer<TimelineView> m_timelineView; ///< docked by the window, which may delete it first
    QTabWidget *m_tabs;
    QComboBox *m_chooser;
    CodeView *m_code;
    FdTablePanel *m_fds;
    PlatformPanel *m_platform;
    CleanupPanel *m_cleanup;
    int m_pid = 0; ///< the process shown
    bool m_follow = true;
};

} // namespace pipescope
