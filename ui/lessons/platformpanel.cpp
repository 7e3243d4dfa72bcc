#include "ui/lessons/platformpanel.h"

#include "ui/scene/theme.h"
#include "ui/scene/units.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace pipescope
{

PlatformPanel::PlatformPanel(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_table(new QTableWidget(0, ColumnCount, this))
{
    const Theme theme = Theme::light();
    m_title->setFont(theme.font(theme.bodyPt, true));
    m_title->setWordWrap(true);
    m_table->setHorizontalHeaderLabels({QStringLiteral("fact"), QStringLiteral("this system"),
        QStringLiteral("read with"), QStringLiteral("elsewhere")});
    m_table->setFont(theme.font(theme.smallPt));
    m_table->horizontalHeader()->setFont(theme.font(theme.smallPt, true));
    m_table->verticalHeader()->hide();
    // Rows grow with the wrapped text whenever the columns change width.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setWordWrap(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Elsewhere, QHeaderView::Stretch);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
    setInfo(PlatformInfo::read());
}

void PlatformPanel::setInfo(const PlatformInfo &info)
{
    m_title->setText(QStringLiteral("What this kernel says (%1), read now, never assumed")
                         .arg(QString::fromStdString(info.kernel())));
    const auto facts = info.facts();
    m_table->setRowCount(static_cast<int>(facts.size()));
    for (int row = 0; row < static_cast<int>(facts.size()); ++row) {
        const PlatformFact &f = facts[static_cast<std::size_t>(row)];
        QString value;
        if (f.value < 0)
            value = QStringLiteral("not reported");
        else if (f.unit == "bytes")
            value = QStringLiteral("%1 (%2)").arg(Units::exact(f.value), Units::bytes(f.value));
        else
            value = QStringLiteral("%1 %2").arg(Units::exact(f.value), QString::fromStdString(f.unit));
        const QString cells[] = {QString::fromStdString(f.label), value, QString::fromStdString(f.source),
            QString::fromStdString(f.elsewhere)};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            if (c == Value)
                item->setData(Qt::UserRole, static_cast<qlonglong>(f.value));
            m_table->setItem(row, c, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_table->resizeRowsToContents();
}

} // namespace pipescope
