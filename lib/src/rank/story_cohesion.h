// The cohesion pass after clustering (#15): average linkage joins two
// events of one kind (one boxer's two title fights, a navy's two clashes
// with pirates) when their shared vocabulary lifts the mean cosine between
// them over the threshold, though each event's articles are far more alike
// among themselves. Such a story is bisected and split when the halves are
// clearly apart.
#ifndef STORYSIFT_RANK_STORY_COHESION_H_
#define STORYSIFT_RANK_STORY_COHESION_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "pipeline/corpus.h"
#include "storysift/story_clusterer.h"
#include "storysift/tfidf.h"

namespace storysift::internal {

// Mean pairwise cosines of a bisection of unit vectors: within each half
// and between the halves.
struct BisectionCohesion {
  double within[2] = {0, 0};
  double between = 0;
};

// Bisects unit rows (ordinals of `matrix`) by spherical 2-means (Dhillon
// and Modha 2001; seeded by the row least like the story's centroid and the
// row least like that one, ties by position): side[i] is 0 or 1, and
// *cohesion (if not null) the halves' mean pairwise cosines. REQUIRES: at
// least two rows.
std::vector<uint8_t> BisectRows(absl::Span<const DocOrdinal> rows, const TfidfMatrix& matrix,
                                BisectionCohesion* cohesion);

// Splits, again and again, each story whose bisection leaves two halves of
// at least 3 members each whose mean cosine between them is below
// options.cohesion_split times the mean of their two mean cosines within
// (one event's articles are alike; two events of one kind share only the
// kind's words). Stories of short texts (members averaging at most
// options.short_text_terms terms, grown by centroid on purpose) are left
// whole, as is everything when options.cohesion_split is 0. Split stories
// get their label and dates recomputed; the result is ordered by first
// member. Stories are bisected on `threads` threads; the result does not
// depend on the count.
std::vector<Story> SplitIncoherentStories(std::vector<Story> stories,
                                          const std::vector<DocMeta>& meta,
                                          const TfidfMatrix& matrix, const StoryOptions& options,
                                          int threads);

}  // namespace storysift::internal

#endif  // STORYSIFT_RANK_STORY_COHESION_H_
