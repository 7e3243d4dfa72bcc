#include "ui/scene/chunktraffic.h"

#include "ui/scene/chunkitem.h"

#include <QGraphicsScene>

namespace pipescope
{

void ChunkTraffic::spawn(QGraphicsScene *scene, const Theme *theme, const Spec &spec, qint64 nowMs, int durationMs)
{
    if (spec.route.elementCount() < 2)
        return;
    if (count(spec.connector) >= kPerConnector) {
        // A fast writer would stack chips into an unreadable pile: the newest one counts the rest.
        for (auto it = m_chunks.rbegin(); it != m_chunks.rend(); ++it)
            if (it->connector == spec.connector) {
                it->item->addMore(1);
                return;
            }
    }
    if (static_cast<int>(m_chunks.size()) >= kMaxChunks) {
        delete m_chunks.front().item;
        m_chunks.erase(m_chunks.begin());
    }
    auto *chunk
        = new ChunkItem(theme, spec.preview, spec.amount, spec.bytes, spec.route, nowMs, durationMs, spec.maxWidth);
    scene->addItem(chunk);
    m_chunks.push_back({chunk, spec.connector});
}

int ChunkTraffic::count(quint64 connector) const
{
    int n = 0;
    for (const Flight &f : m_chunks)
        n += f.connector == connector;
    return n;
}

std::vector<ChunkItem *> ChunkTraffic::chunks() const
{
    std::vector<ChunkItem *> out;
    out.reserve(m_chunks.size());
    for (const Flight &f : m_chunks)
        out.push_back(f.item);
    return out;
}

bool ChunkTraffic::advance(qint64 nowMs)
{
    bool moving = false;
    for (auto it = m_chunks.begin(); it != m_chunks.end();) {
        if (it->item->animate(nowMs)) {
            moving = true;
            ++it;
        } else {
            delete it->item;
            it = m_chunks.erase(it);
        }
    }
    return moving;
}

} // namespace pipescope
