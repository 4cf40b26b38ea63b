// Quality evaluation against gold labels: clustering metrics (pairwise
// precision/recall/F1, adjusted Rand index, B-cubed), pair-list metrics for
// near-duplicate pairs, a threshold sweep for tuning, and readers for label
// files (JSON lines) and pair files (TSV).
//
// Thread safety: all functions are pure (no shared state) and may be called
// concurrently.
#ifndef STORYSIFT_EVAL_H_
#define STORYSIFT_EVAL_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storysift {

// Item id -> cluster label. Labels are opaque strings; only equality matters.
using Labeling = absl::flat_hash_map<std::string, std::string>;

// Builds a Labeling from (id, label) pairs. InvalidArgument when an id occurs
// twice (with the message naming it).
absl::StatusOr<Labeling> MakeLabeling(
    absl::Span<const std::pair<std::string, std::string>> id_labels);

// Result of EvaluateClustering. Items present in only one labeling are
// counted as singletons (a cluster of their own) on the side that lacks them,
// so they can only lower the scores; their numbers are reported.
struct ClusterMetrics {
  int64_t num_items = 0;               // Union of both labelings' ids.
  int64_t num_gold_clusters = 0;       // Incl. singletons added for missing items.
  int64_t num_predicted_clusters = 0;  // Likewise.
  int64_t num_gold_only = 0;       // Ids only in gold (predicted singletons).
  int64_t num_predicted_only = 0;  // Ids only in predicted (gold singletons).

  // Pairs of items in the same cluster: both sides (true positives), gold
  // side, predicted side.
  int64_t same_cluster_pairs_both = 0;
  int64_t same_cluster_pairs_gold = 0;
  int64_t same_cluster_pairs_predicted = 0;
  // Precision is 1 when no pair is predicted, recall is 1 when gold has no
  // pair (nothing to find); F1 is 0 when precision + recall is 0.
  double pair_precision = 1.0;
  double pair_recall = 1.0;
  double pair_f1 = 1.0;

  // Hubert & Arabie (1985). 1 for identical partitions, ~0 for chance; 1 also
  // when the index is undefined (both partitions trivial and equal).
  double adjusted_rand_index = 1.0;

  // Bagga & Baldwin (1998), averaged over items; F1 is the harmonic mean of
  // the averaged precision and recall (Amigo et al. 2009).
  double bcubed_precision = 1.0;
  double bcubed_recall = 1.0;
  double bcubed_f1 = 1.0;

  // Mutual information of the two partitions over the arithmetic mean of
  // their entropies (natural log; scikit-learn's default normalisation), the
  // measure the short-text clustering literature reports. AMI subtracts the
  // MI expected of random partitions with the same cluster sizes (Vinh, Epps
  // and Bailey 2010), so chance scores ~0. Both are 1 when the partitions are
  // identical, including both trivial.
  double normalized_mutual_info = 1.0;
  double adjusted_mutual_info = 1.0;
};

// Compares two labelings in O(n) from the contingency table (no pair is
// enumerated). Empty input gives all scores 1 and all counts 0.
ClusterMetrics EvaluateClustering(const Labeling& predicted,
                                  const Labeling& gold);

// An unordered pair of item ids; Canonical() puts the smaller id first.
struct IdPair {
  std::string a;
  std::string b;

  static IdPair Canonical(std::string_view x, std::string_view y);
  friend bool operator==(const IdPair&, const IdPair&) = default;
  friend auto operator<=>(const IdPair&, const IdPair&) = default;
};

// A pair with a score (a similarity, or a Jaccard from a gold pair file).
struct ScoredPair {
  std::string a;
  std::string b;
  double score = 1.0;
};

struct PairMetrics {
  int64_t num_predicted = 0;      // Distinct predicted pairs.
  int64_t num_gold = 0;           // Distinct gold pairs.
  int64_t num_true_positive = 0;  // In both.
  // Same conventions as ClusterMetrics: precision 1 with nothing predicted,
  // recall 1 with nothing to find.
  double precision = 1.0;
  double recall = 1.0;
  double f1 = 1.0;
};

// Compares pair lists; order within a pair and repeated pairs do not matter,
// self pairs (a == b) are ignored. O(n) expected.
PairMetrics EvaluatePairs(absl::Span<const IdPair> predicted,
                          absl::Span<const IdPair> gold);

// The pairs implied by a labeling (every two items with the same label),
// canonical and sorted. O(sum of cluster size^2): meant for near-duplicate
// groups, not for large story clusters.
std::vector<IdPair> PairsFromLabeling(const Labeling& labeling);

// Keeps the pairs with score >= min_score, as IdPairs (canonical).
std::vector<IdPair> PairsAtLeast(absl::Span<const ScoredPair> pairs,
                                 double min_score);

// --- Threshold tuning --------------------------------------------------------

// Scores of predicting "same" for every candidate with score >= threshold.
struct ThresholdPoint {
  double threshold = 0.0;
  int64_t num_predicted = 0;
  int64_t num_true_positive = 0;
  double precision = 1.0;
  double recall = 1.0;
  double f1 = 1.0;
};

struct ThresholdCurve {
  // One point per distinct candidate score, thresholds descending (so recall
  // is non-decreasing along the vector). Empty without candidates.
  std::vector<ThresholdPoint> points;
  int64_t num_gold = 0;  // Recall denominator: all distinct gold pairs,
                         // including those no candidate covers.
};

// Sweeps the threshold over candidate scores in O(n log n). A candidate pair
// listed twice keeps its highest score; self pairs are ignored.
ThresholdCurve ComputeThresholdCurve(absl::Span<const ScoredPair> candidates,
                                     absl::Span<const IdPair> gold);

// The point with the highest F1 (ties: the higher threshold). nullopt for an
// empty curve.
std::optional<ThresholdPoint> BestF1Threshold(const ThresholdCurve& curve);

// The lowest threshold whose precision is >= target_precision (so the one
// with the most recall among those meeting the target). nullopt if none does.
std::optional<ThresholdPoint> LowestThresholdForPrecision(
    const ThresholdCurve& curve, double target_precision);

// --- Thresholds that a run is given back ------------------------------------
//
// A printed threshold is handed back to `dedup --threshold T`, so it must
// keep exactly the pairs its row counts. Scores are estimates such as
// 0.631372..., and 0.6314 (rounded to nearest) drops that pair. Flags are
// read as the CLI reads them (strtold, then to double).

// The value of the shortest decimal with at least 4 places (as few more as
// needed) in (below, score]: read back as a flag, it keeps every pair with
// a score >= `score` and none with a score <= `below`. `score` itself when
// no decimal of up to 17 places fits. REQUIRES: below < score.
double ThresholdBetween(double below, double score);

// `threshold` as the shortest decimal with at least 4 places that reads back
// as a flag to exactly `threshold` ("0.6313", "0.63137", "1.0000").
std::string ThresholdText(double threshold);

// The pairs a run at `threshold` sees as candidates, each with its score
// (the highest threshold that verifies it). Equal sets must come back as
// the same object, which must outlive the sweep: the sweep keys on its
// address. For dedup the set depends on the threshold through the LSH
// bands chosen for it.
using CandidatesAt =
    std::function<absl::StatusOr<const std::vector<ScoredPair>*>(double threshold)>;

// The curve of predicting, at each threshold t >= lowest, the pairs of
// candidates_at(t) with score >= t: one point per distinct score s among
// the sets met (those of `lowest`, of each of `probes`, and of the points'
// own thresholds, until no new set turns up), at ThresholdBetween(the next
// lower score, or just below `lowest`, s), thresholds descending. So every
// point counts exactly what a run at its threshold keeps; a score only in a
// set that no threshold met leads to has no point. Errors are
// candidates_at's.
absl::StatusOr<ThresholdCurve> ComputeThresholdCurveAt(const CandidatesAt& candidates_at,
                                                       absl::Span<const IdPair> gold,
                                                       double lowest,
                                                       absl::Span<const double> probes);

// --- Readers -----------------------------------------------------------------

struct LabelFileOptions {
  // For each, the first name present in a record wins.
  std::vector<std::string> id_fields = {"id", "doc_id"};
  std::vector<std::string> label_fields = {"cluster_id", "story_id", "copy_group",
                                           "label", "cluster"};
  // A record holding this array of objects (the `storysift cluster` output
  // shape {"story_id":..., "articles":[{"id":...}, ...]}) labels each nested
  // id with the record's label instead of labelling the record itself.
  std::string members_field = "articles";
};

// Gold and prediction files are read as every input is: gzip, zstd and xz
// are decompressed, a byte order mark is honoured (UTF-16/32 transcoded).

// Reads a label file: JSON lines, or one JSON array of the same records
// (told by its first byte that is not whitespace or in a '#' line). Labels
// may be strings, integers, or arrays (first element); a null label makes
// the item a singleton. Blank lines and records whose id is null (dedup's
// "skipped" lines) are skipped, as are `cluster --state`'s merged-story
// pointer lines. NotFound for a missing file; InvalidArgument naming
// "file:line" (or "file: element N") for bad JSON, a record without id or
// label (naming the fields looked for), an id seen twice, or a story label
// (a record with members) on two records: two stories under one id.
absl::StatusOr<Labeling> ReadLabelsJsonl(const std::string& path,
                                         const LabelFileOptions& options = {});

// Reads a pair file: `id_a id_b [score]` per line (a missing score reads as
// 1). A line holding a tab is split on tabs only, each field unescaped as
// `dedup --pairs` escapes ids (\t, \n, \r, \\, \#; a backslash before
// anything else is itself), so ids may hold spaces; a line without a tab (an
// older whitespace-separated file) is split on spaces, a leading \# read as
// '#'. An id starting with '#' is written \#, as a bare one starts a comment.
// A first line whose third field is not a number is a header and is
// skipped, as are blank lines and lines starting with '#'; a CR before the
// line feed is not part of a field. Keeps pairs with score >= min_score.
// NotFound for a missing file; InvalidArgument naming "file:line" for a
// malformed line or a score that is not a number in [0, 1].
absl::StatusOr<std::vector<ScoredPair>> ReadPairsTsv(const std::string& path,
                                                     double min_score = 0.0);

// What an eval/tune input holds: labels, or else scored pairs.
struct LabelsOrPairs {
  std::optional<Labeling> labels;
  std::vector<ScoredPair> pairs;
};

// Reads `path` as labels (ReadLabelsJsonl) when its first byte that is not
// whitespace or in a '#' comment line is '{' or '[', else as pairs
// (ReadPairsTsv with min_score). Errors as theirs.
absl::StatusOr<LabelsOrPairs> ReadLabelsOrPairs(const std::string& path,
                                                const LabelFileOptions& options,
                                                double min_score);

}  // namespace storysift

#endif  // STORYSIFT_EVAL_H_
