#pragma once

namespace pipescope
{

/// Keeps the memory of the scene's item caches in the heap. Each item paints
/// into a device-sized pixmap (a few hundred KiB to a few MiB at 1920x1080),
/// and every zoom, fit or presenter toggle drops them all and makes them
/// again. glibc serves such sizes with mmap and gives them back to the kernel
/// on free, so every full repaint paid a page fault for each 4 KiB of fresh
/// pixmap; kept in the heap they are reused. tst_scenebench prints the figures.
/// Call once, before the first paint.
void keepPaintMemoryInHeap();

} // namespace pipescope
