#include "ui/scene/paintmemory.h"

#include <malloc.h>

namespace pipescope
{

void keepPaintMemoryInHeap()
{
    // Above every cache pixmap of a 4K screen (3840x2160x4 = 32 MiB), so none goes to mmap;
    // the heap's top is given back only past 256 MiB free, so a zoom does not hand it back.
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}

} // namespace pipescope
