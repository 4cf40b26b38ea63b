// Helpers shared by the batch clusterer, the streaming tracker and novelty.
#ifndef STORYSIFT_CLUSTER_STORY_INTERNAL_H_
#define STORYSIFT_CLUSTER_STORY_INTERNAL_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "storysift/story_clusterer.h"
#include "storysift/tfidf.h"

namespace storysift::internal {

absl::Status ValidateCandidateOptions(const CandidateOptions& options);
absl::Status ValidateStoryOptions(const StoryOptions& options);

// Replaces *out with the ids of the k heaviest terms of v (ties by smaller
// id), in descending weight order.
void TopTerms(SparseVectorView v, int k, std::vector<uint32_t>* out);

// Label of a centroid given as (term id, weight) pairs in any order, ids
// unique: the k heaviest terms, ties by term hash, as display strings.
std::vector<std::string> LabelOf(std::vector<std::pair<uint32_t, float>> centroid,
                                 const Vocabulary& vocabulary, int k);

// Gap in seconds after which even identical texts decay below threshold.
double CloseHorizonSeconds(const StoryOptions& options);

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_STORY_INTERNAL_H_
