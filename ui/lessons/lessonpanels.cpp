#include "ui/lessons/lessonpanels.h"

#include "core/lessons/platforminfo.h"
#include "core/model/runstate.h"
#include "ui/lessons/cleanuppanel.h"
#include "ui/lessons/codeview.h"
#include "ui/lessons/fdtablepanel.h"
#include "ui/lessons/platformpanel.h"
#include "ui/lessons/timelinemodel.h"
#include "ui/lessons/timelineview.h"
#include "ui/scene/theme.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace pipescope
{

namespace
{
bool isAction(const Event &e)
{
    // What a process does (or is about to do), as opposed to what the runner observes.
    return e.kind == EventKind::GateWait || e.startNs > 0;
}
} // namespace

LessonPanels::LessonPanels(const RunState *state, QWidget *parent)
    : QWidget(parent),
      m_state(state),
      m_timelineModel(std::make_unique<TimelineModel>()),
      m_timelineView(new TimelineView),
      m_tabs(new QTabWidget(this)),
      m_chooser(new QComboBox(this)),
      m_code(new CodeView(this)),
      m_fds(new FdTablePanel(state, this)),
      m_platform(new PlatformPanel(this)),
      m_cleanup(new CleanupPanel(this))
{
    m_timelineView->setModel(m_timelineModel.get());
    m_platform->setInfo(PlatformInfo::read());
    auto *chooserRow = new QHBoxLayout;
    chooserRow->addWidget(new QLabel(QStringLiteral("Process:"), this));
    chooserRow->addWidget(m_chooser, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(chooserRow);
    layout->addWidget(m_tabs, 1);
    // Short titles, never elided ("Cl..." in presenter type): a narrow dock scrolls them instead.
    m_tabs->setElideMode(Qt::ElideNone);
    m_tabs->setUsesScrollButtons(true);
    m_tabs->addTab(m_code, QStringLiteral("Code"));
    m_tabs->addTab(m_fds, QStringLiteral("Fd table"));
    m_tabs->addTab(m_platform, QStringLiteral("Platform"));
    m_tabs->addTab(m_cleanup, QStringLiteral("Clean-up"));
    connect(m_chooser, &QComboBox::activated, this,
        [this](int index) { focusProcess(m_chooser->itemData(index).toInt()); });
    updateChooser();
}

LessonPanels::~LessonPanels()
{
    // The view is docked elsewhere: it may outlive us (drop our model) or be gone already.
    if (m_timelineView && !m_timelineView->parent())
        delete m_timelineView.data();
    else if (m_timelineView)
        m_timelineView->setModel(nullptr);
}

void LessonPanels::setTheme(const Theme &theme)
{
    m_timelineView->setTheme(theme);
    m_code->setTheme(theme);
}

void LessonPanels::startRun(const QString &scenario)
{
    clear();
    m_scenario = scenario;
}

void LessonPanels::clear()
{
    m_events.clear();
    m_timelineModel->clear();
    m_timelineView->setModel(m_timelineModel.get());
    m_fds->clear();
    m_cleanup->clear();
    m_pid = 0;
    m_code->showProgram(m_scenario, QStringLiteral("parent"));
    updateChooser();
}

void LessonPanels::addEvents(const QVector<Event> &events)
{
    int acted = 0;
    for (const Event &e : events) {
        m_events.append(e);
        m_timelineModel->add(e);
        if (e.pid == m_pid)
            m_code->feed(e);
        if (isAction(e))
            acted = e.pid;
    }
    m_fds->appendEvents(events);
    m_cleanup->addEvents(events);
    m_timelineView->updateGeometry(); // the model grew
    m_timelineView->update();
    if (m_chooser->count() != static_cast<int>(m_state->processes().size()) + 1)
        updateChooser();
    if (m_follow && acted > 0 && acted != m_pid)
        showFocus(acted);
}

void LessonPanels::focusProcess(int pid)
{
    m_follow = pid == 0;
    if (pid > 0)
        showFocus(pid);
    const int index = m_chooser->findData(pid);
    if (index >= 0)
        m_chooser->setCurrentIndex(index);
}

void LessonPanels::showFocus(int pid)
{
    const ProcessInfo *p = m_state->process(pid);
    if (!p)
        return;
    m_pid = pid;
    // A new program view starts at its top: replay what this process already did.
    m_code->showProgram(m_scenario, QString::fromStdString(p->role), pid);
    for (const Event &e : std::as_const(m_events)) {
        if (e.pid == pid)
            m_code->feed(e);
    }
    m_fds->setProcess(pid);
}

void LessonPanels::updateChooser()
{
    const int keep = m_follow ? 0 : m_pid;
    m_chooser->clear();
    m_chooser->addItem(QStringLiteral("follow the action"), 0);
    for (const ProcessInfo &p : m_state->processes())
        m_chooser->addItem(QStringLiteral("%1 (pid %2)").arg(QString::fromStdString(p.role)).arg(p.pid), p.pid);
    m_chooser->setCurrentIndex(std::max(0, m_chooser->findData(keep)));
}

} // namespace pipescope
