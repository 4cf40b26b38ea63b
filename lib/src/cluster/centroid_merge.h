// The short-text regime of StoryClusterer: clusters of headline-length
// documents are merged further by the cosine of their centroids.
#ifndef STORYSIFT_CLUSTER_CENTROID_MERGE_H_
#define STORYSIFT_CLUSTER_CENTROID_MERGE_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "storysift/story_clusterer.h"

namespace storysift::internal {

// Item pairs of `pairs` whose two items both have at most `max_terms` terms
// (the candidates of MergeShortClusters; copied before average linkage
// consumes the pairs). Empty when max_terms is 0.
std::vector<SimilarPair> ShortItemPairs(absl::Span<const StoryItem> items,
                                        absl::Span<const SimilarPair> pairs, int max_terms);

// Why: two tweets or headlines on one story often share one or two words,
// so the mean pairwise cosine between two halves of a story is far below
// the threshold, and average linkage leaves it in pieces. The centroid (sum
// of the members' unit vectors) pools a story's vocabulary, as the
// streaming tracker's does (its NMI on tweets is ~0.10 higher).
// Clusters whose members have at most `max_terms` terms on average, linked
// by some pair of `short_pairs`, are merged in rounds: each round takes the
// candidate cluster pairs by descending centroid cosine (ties by smaller
// roots) and merges those >= threshold whose clusters have not merged yet in
// the round, until a round merges nothing. `root[i]` is item i's cluster
// root (every root is its own root) and is updated in place.
void MergeShortClusters(absl::Span<const StoryItem> items,
                        absl::Span<const SimilarPair> short_pairs, int max_terms,
                        float threshold, std::vector<uint32_t>* root);

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_CENTROID_MERGE_H_
