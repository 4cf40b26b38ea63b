// Novelty ranking inside one story: which articles add information and what
// they add ("what's new").
//
// Scores lie in [0, 1]; novelty = 1 - max cosine to the articles placed
// before it in the reference order:
//  - all members dated: chronological order (date, then ordinal); the first
//    article scores 1.
//  - any member undated: maximal marginal relevance order (Carbonell and
//    Goldstein 1998, "The use of MMR, diversity-based reranking for
//    reordering documents and producing summaries"): first the most central
//    article (highest mean cosine to the others), then repeatedly the one
//    maximising lambda * centrality - (1 - lambda) * max cosine to those
//    already picked.
// Near-copies (copy_of set) come after all other articles in the reference
// order, so an exact copy scores ~0 and ranks last.
// new_terms of an article: its heaviest TF-IDF terms that no article before
// it in the reference order contains.
#ifndef STORYSIFT_NOVELTY_H_
#define STORYSIFT_NOVELTY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storysift/document.h"
#include "storysift/tfidf.h"

namespace storysift {

struct NoveltyItem {
  DocOrdinal ordinal = 0;
  SparseVectorView vector;  // Unit-norm; must outlive the call.
  std::optional<int64_t> published;
  // Set when the article is a near-copy of another (its copy group's
  // representative).
  std::optional<DocOrdinal> copy_of;
};

struct NoveltyOptions {
  int new_terms = 5;          // At most this many "what's new" terms.
  double mmr_lambda = 0.25;   // Weight of centrality in the MMR order.
};

enum class NoveltyMode { kChronological, kMaximalMarginalRelevance };

struct RankedArticle {
  DocOrdinal ordinal = 0;
  float novelty = 0;
  std::vector<std::string> new_terms;
  std::optional<DocOrdinal> copy_of;
};

struct NoveltyRanking {
  NoveltyMode mode = NoveltyMode::kChronological;
  // Non-copies first, by novelty descending (ties by ordinal), then
  // copies, by the same rule.
  std::vector<RankedArticle> articles;
};

// Ranks one story's articles. `vocabulary` gives display strings and must
// hold every term id used. InvalidArgument on a repeated ordinal, a
// negative new_terms or mmr_lambda outside [0, 1].
// Thread safety: a pure function.
absl::StatusOr<NoveltyRanking> RankByNovelty(absl::Span<const NoveltyItem> items,
                                             const Vocabulary& vocabulary,
                                             const NoveltyOptions& options = {});

}  // namespace storysift

#endif  // STORYSIFT_NOVELTY_H_
