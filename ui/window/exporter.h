#pragma once

#include "core/model/event.h"

#include <QList>
#include <QString>

class QGraphicsScene;
class QWidget;

namespace pipescope
{

/// Saves what a lesson showed: the scene as PNG or SVG, the trace as Chrome
/// Trace Event JSON (the same document `pipescope-cli run --format chrome`
/// writes), and the event log as text (the CLI's text lines). Each returns
/// false with a one-line reason in error when the file cannot be written.
class Exporter
{
public:
    /// Renders the scene's items (with the scene's background) at scale times their size.
    static bool scenePng(QGraphicsScene *scene, const QString &file, QString *error = nullptr, double scale = 1.0);
    static bool sceneSvg(QGraphicsScene *scene, const QString &file, QString *error = nullptr);
    /// Any widget as it looks now (QWidget::grab).
    static bool widgetPng(QWidget *widget, const QString &file, QString *error = nullptr);
    /// Every event of the run, in arrival order.
    static bool chromeTrace(const QList<Event> &events, const QString &file, QString *error = nullptr);
    static bool eventLog(const QList<Event> &events, const QString &file, QString *error = nullptr);
};

} // namespace pipescope
