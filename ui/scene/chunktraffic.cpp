#include "ui/scene/chunktraffic.h"

#include "ui/scene/chunkitem.h"

#include <QGraphicsScene>

namespace pipescope
{

void ChunkTraffic::spawn(QGraphicsScene *scene, const Theme *theme, const QString &label, qint64 bytes,
    const QPainterPath &route, qint64 nowMs, int durationMs)
{
    if (route.elementCount() < 2)
        return;
    if (static_cast<int>(m_chunks.size()) >= kMaxChunks) {
        delete m_chunks.front();
        m_chunks.erase(m_chunks.begin());
    }
    auto *chunk = new ChunkItem(theme, label, bytes, route, nowMs, durationMs);
    scene->addItem(chunk);
    m_chunks.push_back(chunk);
}

bool ChunkTraffic::advance(qint64 nowMs)
{
    bool moving = false;
    for (auto it = m_chunks.begin(); it != m_chunks.end();) {
        if ((*it)->animate(nowMs)) {
            moving = true;
            ++it;
        } else {
            delete *it;
            it = m_chunks.erase(it);
        }
    }
    return moving;
}

} // namespace pipescope
