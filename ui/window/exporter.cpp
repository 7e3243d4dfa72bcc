#include "ui/window/exporter.h"

#include "core/export/chrometrace.h"
#include "core/model/eventformat.h"
#include "core/model/runstate.h"

#include <QFile>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace pipescope
{

namespace
{

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

bool writeAll(const QString &file, const QByteArray &bytes, QString *error)
{
    // QSaveFile: a failed export never leaves half a file behind.
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return fail(error, QStringLiteral("cannot write %1: %2").arg(file, out.errorString()));
    out.write(bytes);
    if (!out.commit())
        return fail(error, QStringLiteral("cannot write %1: %2").arg(file, out.errorString()));
    return true;
}

/// Items may cache themselves as pixmaps for speed; an export wants them drawn
/// for real (vector text and shapes in SVG, crisp pixels when scaled).
class NoItemCache
{
public:
    explicit NoItemCache(QGraphicsScene *scene)
    {
        for (QGraphicsItem *item : scene->items()) {
            if (item->cacheMode() != QGraphicsItem::NoCache) {
                m_saved.append({item, item->cacheMode()});
                item->setCacheMode(QGraphicsItem::NoCache);
            }
        }
    }
    ~NoItemCache()
    {
        for (const auto &[item, mode] : m_saved)
            item->setCacheMode(mode);
    }
    NoItemCache(const NoItemCache &) = delete;
    NoItemCache &operator=(const NoItemCache &) = delete;

private:
    QList<QPair<QGraphicsItem *, QGraphicsItem::CacheMode>> m_saved;
};

QRectF sceneArea(QGraphicsScene *scene)
{
    const QRectF items = scene->itemsBoundingRect();
    return (items.isEmpty() ? scene->sceneRect() : items).adjusted(-20, -20, 20, 20);
}

} // namespace

bool Exporter::scenePng(QGraphicsScene *scene, const QString &file, QString *error, double scale)
{
    const QRectF area = sceneArea(scene);
    if (area.isEmpty())
        return fail(error, QStringLiteral("the scene is empty"));
    const NoItemCache uncached(scene);
    QImage image((area.size() * scale).toSize(), QImage::Format_ARGB32_Premultiplied);
    image.fill(scene->backgroundBrush().style() == Qt::NoBrush ? QColor(Qt::white) : scene->backgroundBrush().color());
    {
        QPainter p(&image);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        scene->render(&p, QRectF(QPointF(0, 0), image.size()), area);
    }
    if (!image.save(file, "PNG"))
        return fail(error, QStringLiteral("cannot write %1").arg(file));
    return true;
}

bool Exporter::sceneSvg(QGraphicsScene *scene, const QString &file, QString *error)
{
    const QRectF area = sceneArea(scene);
    if (area.isEmpty())
        return fail(error, QStringLiteral("the scene is empty"));
    const NoItemCache uncached(scene);
    QSvgGenerator svg;
    svg.setFileName(file);
    svg.setSize(area.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), area.size()));
    svg.setTitle(QStringLiteral("PipeScope scene"));
    svg.setDescription(QStringLiteral("Processes and pipes of a PipeScope run"));
    QPainter p;
    if (!p.begin(&svg))
        return fail(error, QStringLiteral("cannot write %1").arg(file));
    if (scene->backgroundBrush().style() != Qt::NoBrush)
        p.fillRect(QRectF(QPointF(0, 0), area.size()), scene->backgroundBrush());
    scene->render(&p, QRectF(QPointF(0, 0), area.size()), area);
    p.end();
    if (!QFile::exists(file))
        return fail(error, QStringLiteral("cannot write %1").arg(file));
    return true;
}

bool Exporter::widgetPng(QWidget *widget, const QString &file, QString *error)
{
    if (!widget->grab().save(file, "PNG"))
        return fail(error, QStringLiteral("cannot write %1").arg(file));
    return true;
}

bool Exporter::chromeTrace(const QList<Event> &events, const QString &file, QString *error)
{
    RunState state;
    ChromeTrace trace;
    for (const Event &e : events) {
        state.apply(e);
        trace.add(e, state);
    }
    return writeAll(file, QByteArray::fromStdString(trace.toJson()), error);
}

bool Exporter::eventLog(const QList<Event> &events, const QString &file, QString *error)
{
    RunState state;
    std::string text;
    for (const Event &e : events) {
        state.apply(e);
        const ProcessInfo *p = state.process(e.pid);
        text += EventFormat::line(
            e, state.startNs(), p ? p->role : std::string("runner"), EventFormat::channelOf(e, state));
        text += '\n';
    }
    if (state.finished())
        text += EventFormat::summary(state);
    return writeAll(file, QByteArray::fromStdString(text), error);
}

} // namespace pipescope
