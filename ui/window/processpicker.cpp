#include "ui/window/processpicker.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace pipescope
{

ProcessPicker::ProcessPicker(QWidget *parent, const QString &title, const QString &action)
    : QDialog(parent), m_filter(new QLineEdit(this)), m_list(new QTreeWidget(this))
{
    setWindowTitle(title);
    m_filter->setPlaceholderText(QStringLiteral("Filter by pid, name or command line"));
    m_filter->setClearButtonEnabled(true);
    m_list->setHeaderLabels(
        {QStringLiteral("PID"), QStringLiteral("Name"), QStringLiteral("Pipe ends"), QStringLiteral("Command line")});
    m_list->setRootIsDecorated(false);
    m_list->setAllColumnsShowFocus(true);
    m_list->header()->setStretchLastSection(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(action);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &QDialog::accept);
    connect(m_filter, &QLineEdit::textChanged, this, &ProcessPicker::setFilter);
    resize(760, 480);
    m_entries = ProcessCatalog::list();
    fill();
}

void ProcessPicker::fill()
{
    m_list->clear();
    for (const ProcessEntry &e : std::as_const(m_entries)) {
        auto *item
            = new QTreeWidgetItem(m_list, {QString::number(e.pid), e.name, QString::number(e.pipeEnds), e.command});
        item->setData(0, Qt::UserRole, e.pid);
    }
    for (int c = 0; c < 3; ++c)
        m_list->resizeColumnToContents(c);
    setFilter(m_filter->text());
}

void ProcessPicker::setFilter(const QString &text)
{
    QTreeWidgetItem *first = nullptr;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        const bool shown = ProcessCatalog::matches(m_entries.at(i), text);
        item->setHidden(!shown);
        if (shown && !first)
            first = item;
    }
    if (m_list->currentItem() == nullptr || m_list->currentItem()->isHidden())
        m_list->setCurrentItem(first);
}

qint64 ProcessPicker::pid() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item && !item->isHidden() ? item->data(0, Qt::UserRole).toLongLong() : 0;
}

} // namespace pipescope
