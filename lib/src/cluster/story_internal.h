// Helpers shared by the batch clusterer, the streaming tracker and novelty.
#ifndef STORYSIFT_CLUSTER_STORY_INTERNAL_H_
#define STORYSIFT_CLUSTER_STORY_INTERNAL_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "storysift/story_clusterer.h"
#include "storysift/tfidf.h"

namespace storysift::internal {

absl::Status ValidateCandidateOptions(const CandidateOptions& options);
absl::Status ValidateStoryOptions(const StoryOptions& options);

// One above the largest term id of any item's row (0 when all are empty):
// the size of an array indexed by the items' term ids.
inline size_t ItemIdBound(absl::Span<const StoryItem> items) {
  size_t bound = 0;
  for (const StoryItem& it : items) {
    if (!it.vector.ids.empty()) bound = std::max<size_t>(bound, it.vector.ids.back() + size_t{1});
  }
  return bound;
}

// Replaces *out with the positions in v of its k heaviest terms (ties by
// smaller id), in descending weight order.
void TopTermPositions(SparseVectorView v, int k, std::vector<uint32_t>* out);

// The same terms' ids.
void TopTerms(SparseVectorView v, int k, std::vector<uint32_t>* out);

// Label of a centroid given as (term id, weight) pairs in any order, ids
// unique: the k heaviest terms that may be shown (LabelTermKind: never a
// number, abbreviation or template word; words holding a digit only when
// too few others), ties by term hash, then names first, as label_display()
// strings.
std::vector<std::string> LabelOf(std::vector<std::pair<uint32_t, float>> centroid,
                                 const Vocabulary& vocabulary, int k);
// The same with the vocabulary given as three functions (id -> term hash,
// id -> label kind, id -> display string).
std::vector<std::string> LabelOf(std::vector<std::pair<uint32_t, float>> centroid,
                                 absl::FunctionRef<uint64_t(uint32_t)> term_hash,
                                 absl::FunctionRef<LabelTermKind(uint32_t)> kind,
                                 absl::FunctionRef<std::string_view(uint32_t)> display, int k);
// The same for a centroid given as a row (ids unique, any order).
std::vector<std::string> LabelOfRow(SparseVectorView centroid, const Vocabulary& vocabulary,
                                    int k);

// A story centroid for streaming assignment (StoryTracker, StoryAssigner):
// the sum of its members' unit vectors, with |sum|^2 kept incrementally.
// Adding the same vectors in the same order gives bit-identical weights and
// norm, which is what lets StoryAssigner rebuild a centroid from its members.
struct Centroid {
  absl::flat_hash_map<uint32_t, float> weights;
  double norm2 = 0;
  std::vector<uint32_t> index_terms;  // Sorted; posted in a StoryTermIndex.

  // c . v, summed in v's id order.
  double Dot(SparseVectorView v) const;
  // c += v. REQUIRES: dot == Dot(v) (before the call).
  void Add(SparseVectorView v, double dot);
};

// Inverted index from a term to the open stories whose members have it as a
// top term: the candidates of an item are the stories sharing a heavy term.
class StoryTermIndex {
 public:
  // Posts `top_terms` for `story`, each once (c->index_terms records them).
  void Post(uint32_t story, absl::Span<const uint32_t> top_terms, Centroid* c);
  // Removes every posting of `story` and clears c->index_terms.
  void Unpost(uint32_t story, Centroid* c);
  // Replaces *out with the stories posted under any of `top_terms`, sorted
  // ascending and unique.
  void Candidates(absl::Span<const uint32_t> top_terms, std::vector<uint32_t>* out) const;
  size_t MemoryUsage() const;

 private:
  absl::flat_hash_map<uint32_t, std::vector<uint32_t>> term_to_story_;
};

struct BestStory {
  uint32_t story = UINT32_MAX;  // UINT32_MAX: no candidate.
  double similarity = -1;       // Decayed cosine.
  double dot = 0;               // Raw c . v, for Centroid::Add.
};
// The candidate with the highest cosine times TimeDecay(published, its last
// publication, window); ties go to the earlier candidate (smaller number).
// `story(c)` gives a candidate's centroid and last publication time.
BestStory FindBestStory(
    absl::Span<const uint32_t> candidates, SparseVectorView v, std::optional<int64_t> published,
    int64_t window_seconds,
    absl::FunctionRef<std::pair<const Centroid*, std::optional<int64_t>>(uint32_t)> story);

// TimeDecay() of two known dates. Inline: the candidate scorer calls it for
// thousands of pairs per item, and the call passed both optionals through
// memory.
inline double TimeDecayBetween(int64_t a, int64_t b, int64_t window_seconds) {
  if (window_seconds <= 0) return 1.0;
  const double gap = std::abs(static_cast<double>(a) - static_cast<double>(b));
  const double w = static_cast<double>(window_seconds);
  return gap <= w ? 1.0 : std::exp(-(gap - w) / w);
}

// Gap in seconds after which even identical texts decay below threshold.
double CloseHorizonSeconds(const StoryOptions& options);

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_STORY_INTERNAL_H_
