// Near-duplicate ("copy") grouping: verifies index candidates against a
// similarity threshold and groups documents under representatives.
//
// Default grouping is NON-CHAINING: documents are taken in keep-policy order;
// each joins the group of the most similar existing representative that it
// matches directly (ties: smaller ordinal), else becomes a representative.
// Every copy is thus verified against its own representative, so A~B~C with
// A !~ C never puts C with A. kConnectedComponents instead unions every
// verified pair (chaining; the classic transitive closure).
//
// Batch grouping and the streaming Deduplicator share the Verifier
// (verifier.h: thresholds, bands, the verdict on a pair); batch with
// KeepPolicy::kFirst and the default mode gives the verdicts the
// Deduplicator gives in ordinal order.
//
// Thread safety: functions are reentrant.
#ifndef STORYSIFT_COPY_GROUPER_H_
#define STORYSIFT_COPY_GROUPER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storysift/document.h"
#include "storysift/run_context.h"
#include "storysift/sketch_table.h"
#include "storysift/verifier.h"

namespace storysift {

enum class CopyRole : uint8_t {
  kUnique,    // Alone in its group.
  kOriginal,  // Representative of a group of 2+.
  kCopy,
};

// Metadata the keep policies read. Empty spans are fine for kFirst.
struct DocMeta {
  std::optional<int64_t> published;  // UTC seconds.
  uint32_t num_tokens = 0;
};

struct VerifiedPair {
  DocOrdinal a = 0;  // a < b
  DocOrdinal b = 0;
  double similarity = 0;
};

// All candidate pairs that pass verification, sorted by (a, b): from the
// table's band keys when they were made for verifier.bands() (on
// context.threads workers; the pairs do not depend on it), else from an
// index over the full signatures. InvalidArgument when the table's spans do
// not match num_docs/num_perm or its num_perm is not the verifier's.
absl::StatusOr<std::vector<VerifiedPair>> FindVerifiedPairs(const SketchTable& sketches,
                                                            const Verifier& verifier,
                                                            const RunContext& context = {});

// The lowest score FindScoredPairs scores at `floor`: `floor`, except for
// kSimHash when floor lets more than kMaxHammingLimit bits differ (the
// widest distance the SimHash index serves): then the agreement
// 1 - kMaxHammingLimit / 64 (0.765625) the scores stop at.
double LowestScoredSimilarity(const Verifier& verifier, double floor);

// Scored pairs for threshold tuning: the pairs FindVerifiedPairs gives with
// the verifier's options at threshold `floor` (kSimHash: max_hamming =
// floor((1 - floor) * 64), at most kMaxHammingLimit: see
// LowestScoredSimilarity), sorted by (a, b), each scored with the
// highest threshold that still verifies it: its Jaccard (bit agreement), or 1
// when containment keeps it at any threshold. So the pairs scored >= t are
// the ones the same options verify at threshold t among these candidates;
// with MinHash a run at t finds its candidates with the bands chosen for t,
// which differ from the floor's unless containment is on (bands for 0.3) or
// the bands are given (FindScoredPairsWithBands covers the others). Short
// pairs under the short-pair Jaccard are left out: no threshold verifies them.
// InvalidArgument for floor outside (0, 1) or as FindVerifiedPairs.
absl::StatusOr<std::vector<VerifiedPair>> FindScoredPairs(const SketchTable& sketches,
                                                          const Verifier& verifier, double floor,
                                                          const RunContext& context = {});

// FindScoredPairs with MinHash candidates from `bands` (those a run at a
// threshold t >= floor uses: the verifier's bands() at t) instead of the
// floor's: its pairs scored >= t are exactly the ones that run verifies.
// `bands` is ignored for kSimHash, whose index finds every pair within the
// floor's distance. Errors as FindScoredPairs; InvalidArgument for bands
// that do not fit num_perm.
absl::StatusOr<std::vector<VerifiedPair>> FindScoredPairsWithBands(const SketchTable& sketches,
                                                                   const Verifier& verifier,
                                                                   double floor,
                                                                   const LshParams& bands,
                                                                   const RunContext& context = {});

// Document ordinals sorted by keep policy (ties by ordinal). InvalidArgument
// if the policy needs metadata and meta.size() != num_docs.
absl::StatusOr<std::vector<DocOrdinal>> PriorityOrder(KeepPolicy keep, size_t num_docs,
                                                      absl::Span<const DocMeta> meta);

struct CopyAssignment {
  DocOrdinal representative = 0;  // Itself for representatives.
  double similarity = 1.0;        // To the representative (1 for itself).
  CopyRole role = CopyRole::kUnique;
};

struct CopyGroups {
  std::vector<CopyAssignment> docs;   // By ordinal.
  std::vector<VerifiedPair> pairs;    // Every verified pair, sorted.
  size_t num_groups = 0;              // Including singletons.
  size_t largest_group = 0;
};

// Groups already verified pairs. `priority` is PriorityOrder(...). In
// kConnectedComponents mode the similarity of a member to its representative
// is computed by Verifier::CompareDocs and may be below the threshold.
CopyGroups GroupVerifiedPairs(const SketchTable& sketches, const Verifier& verifier,
                              absl::Span<const DocOrdinal> priority,
                              std::vector<VerifiedPair> pairs);

// FindVerifiedPairs + PriorityOrder + GroupVerifiedPairs.
absl::StatusOr<CopyGroups> GroupCopies(const SketchTable& sketches,
                                       absl::Span<const DocMeta> meta, const Verifier& verifier,
                                       const RunContext& context = {});

}  // namespace storysift

#endif  // STORYSIFT_COPY_GROUPER_H_
