#pragma once

#include "ui/window/mainwindow.h"

#include <QStandardPaths>

namespace pipescope::test
{

/// Settings go to a test location, and fonts and the platform (which open files on
/// first use and keep them) are warmed up, so later fd counts compare like with like.
inline void warmUpMainWindow()
{
    QStandardPaths::setTestModeEnabled(true);
    MainWindow warm(nullptr);
    warm.show();
    warm.grab();
}

} // namespace pipescope::test
