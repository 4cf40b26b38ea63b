// Strays of average linkage (#15): an article left alone beside a story it
// plainly belongs to. Its mean cosine with a story of many varied articles
// is low, since each of them tells the event with other details; its cosine
// with the story's centroid, which pools them, is not. Centroid linkage for
// every merge lets big clusters drift (docs/quality.md); for a lone article
// joining a story average linkage built, it is the right measure.
#ifndef STORYSIFT_CLUSTER_STRAY_JOIN_H_
#define STORYSIFT_CLUSTER_STRAY_JOIN_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "storysift/story_clusterer.h"

namespace storysift::internal {

// Each item's few most similar candidate neighbours, kept before average
// linkage consumes the pairs: item i's are ids[i * kPerItem ...], most
// similar first (ties by smaller index), padded with kNone.
struct BestNeighbours {
  // The story a stray belongs to holds one of its best few neighbours.
  static constexpr int kPerItem = 8;
  static constexpr uint32_t kNone = UINT32_MAX;
  std::vector<uint32_t> ids;
};
// Items are split over `threads` threads, each scanning all pairs for its
// own items' offers; the best-first order is total, so the result does not
// depend on the split.
BestNeighbours FindBestNeighbours(uint32_t num_items, absl::Span<const SimilarPair> pairs,
                                  int threads = 1);

// Each item alone in its cluster (`root[i]` is item i's cluster root; every
// root is its own root) joins the cluster of 3 or more items, among those
// of its best neighbours, whose centroid it is most like, when that cosine
// is >= min_cosine and clearly the best (the runner-up is at least 0.05
// lower). Every choice is made against the clusters as average linkage
// left them, so the result does not depend on order or `threads`.
void JoinStrays(absl::Span<const StoryItem> items, const BestNeighbours& neighbours,
                float min_cosine, int threads, std::vector<uint32_t>* root);

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_STRAY_JOIN_H_
