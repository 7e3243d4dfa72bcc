#pragma once

#include "core/lessons/platforminfo.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace pipescope
{

/// What this kernel says about pipes and limits (PlatformInfo, read live):
/// a table of value, how it was read, and how other systems differ.
class PlatformPanel : public QWidget
{
    Q_OBJECT
public:
    enum Column { Fact, Value, Source, Elsewhere, ColumnCount };

    explicit PlatformPanel(QWidget *parent = nullptr);

    /// Shows these facts (the constructor shows PlatformInfo::read()).
    void setInfo(const PlatformInfo &info);
    QTableWidget *table() const { return m_table; }

private:
    QLabel *m_title;
    QTableWidget *m_table;
};

} // namespace pipescope
