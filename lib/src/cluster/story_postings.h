// The posting index of batch story candidates (private to lib/src/cluster):
// each item's top-weighted terms, posted in per-term lists that the pair
// scorer (story_candidates.cc) walks.
#ifndef STORYSIFT_CLUSTER_STORY_POSTINGS_H_
#define STORYSIFT_CLUSTER_STORY_POSTINGS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "pipeline/default_init_vector.h"
#include "storysift/story_clusterer.h"

namespace storysift::internal {

inline constexpr int64_t kNoDate = INT64_MIN;       // An undated item (its decay is 1).
inline constexpr uint32_t kEndOfList = UINT32_MAX;  // Not an item: n <= UINT32_MAX.

// Posting lists, items appended in index order (so sorted), each ended by a
// kEndOfList sentinel, with each posting's top-term weight and item date
// beside it (the scorer reads them in order). For item i's k-th top term,
// `top` holds i's own slot in that term's list, so the scorer starts there
// without a binary search (one cache miss per probe in long lists at 1M
// items); stop-like terms point at slot 0, an empty list of its own.
struct TopTermPostings {
  std::vector<uint32_t> top;      // Item i owns [top_begin(i), top_end[i]).
  std::vector<uint32_t> top_end;  // By item.
  DefaultInitVector<uint32_t> postings;
  DefaultInitVector<float> weight;
  DefaultInitVector<int64_t> date;

  size_t top_begin(size_t i) const { return i == 0 ? 0 : top_end[i - 1]; }
};

// Posts each item's options.top_terms heaviest terms. A term posted for more
// than posting_window items and more than max_df_fraction of all items is
// stop-like: its postings stay, but no item starts a walk from them.
// Top terms are collected on `threads` threads (same result for any count).
// InvalidArgument past 2^32 - 1 postings.
absl::StatusOr<TopTermPostings> BuildTopTermPostings(absl::Span<const StoryItem> items,
                                                     const CandidateOptions& options,
                                                     int threads);

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_STORY_POSTINGS_H_
