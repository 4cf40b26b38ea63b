// Transparent huge pages for the large arrays that later stages read at
// random (the vocabulary, posting lists, neighbour lists; the TF-IDF rows
// get theirs from GrowableArray).
// At 1M documents those arrays span gigabytes, and with 4 KiB pages most of
// their random reads also missed the TLB.
#ifndef STORYSIFT_PIPELINE_HUGE_PAGES_H_
#define STORYSIFT_PIPELINE_HUGE_PAGES_H_

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace storysift::internal {

// Arrays smaller than this keep 4 KiB pages. A huge page is zeroed whole
// at its first touch, which on a VM also has the host back all of it then
// (a fresh one cost 4x a 4 KiB page's time per byte there); below this size
// their TLB reach gave nothing back: a 20k-document `cluster` (~40 MB of
// TF-IDF rows) ran x0.96 in 4 KiB pages on fresh memory and the same on
// recycled memory (docs/performance.md, session 18).
inline constexpr size_t kHugePageMinBytes = size_t{64} << 20;

// Asks the kernel to back the 2 MiB-aligned part of [p, p + bytes) with
// transparent huge pages (madvise MADV_HUGEPAGE). Advice only: nothing
// happens below kHugePageMinBytes, off Linux, or where THP is disabled.
// Pages already touched stay as they are, so call it before filling.
void AdviseHugePages(const void* p, size_t bytes);

// Whether the kernel backs advised ranges with transparent huge pages: its
// mode ("always [madvise] never", the chosen one in brackets) is not never.
// False off Linux or where the mode cannot be read.
bool TransparentHugePagesOn();

// v->reserve(n), with huge pages advised for the new capacity before the
// elements move in (reserve() copied them first, into 4 KiB pages).
template <typename T, typename Allocator>
void ReserveHugePages(std::vector<T, Allocator>* v, size_t n) {
  if (n <= v->capacity()) return;
  std::vector<T, Allocator> grown;
  grown.reserve(n);
  AdviseHugePages(grown.data(), grown.capacity() * sizeof(T));
  grown.insert(grown.end(), std::make_move_iterator(v->begin()),
               std::make_move_iterator(v->end()));
  v->swap(grown);
}

}  // namespace storysift::internal

#endif  // STORYSIFT_PIPELINE_HUGE_PAGES_H_
