// Splitting a run of elements with nondecreasing start offsets (a prefix
// sum of their sizes) into ranges of about equal total size, one a task.
#ifndef STORYSIFT_CLUSTER_BALANCED_RANGES_H_
#define STORYSIFT_CLUSTER_BALANCED_RANGES_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

namespace storysift::internal {

// Bounds of `parts` (at least 1) ranges of element indices,
// [bounds[r], bounds[r + 1]), each holding about total / parts of the size:
// element i starts at start[i] and the last one ends at `total`. A range is
// empty where one element outweighs it.
template <typename Offset>
std::vector<uint32_t> BalancedRanges(absl::Span<const Offset> start, uint64_t total, int parts) {
  const int ranges = std::max(parts, 1);
  std::vector<uint32_t> bounds = {0};
  for (int r = 1; r < ranges; ++r) {
    const uint64_t target = total * static_cast<uint64_t>(r) / static_cast<uint64_t>(ranges);
    const auto at =
        static_cast<uint32_t>(std::lower_bound(start.begin(), start.end(), target) - start.begin());
    bounds.push_back(std::max(bounds.back(), at));
  }
  bounds.push_back(static_cast<uint32_t>(start.size()));
  return bounds;
}

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_BALANCED_RANGES_H_
