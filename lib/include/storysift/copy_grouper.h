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
// Batch (GroupCopies) and streaming (StreamingCopyGrouper::Offer) share the
// Verifier and the index types; batch with KeepPolicy::kFirst and the default
// mode gives the same groups as streaming in ordinal order.
//
// Thread safety: functions are reentrant; a StreamingCopyGrouper needs
// external synchronization.
#ifndef STORYSIFT_COPY_GROUPER_H_
#define STORYSIFT_COPY_GROUPER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storysift/candidate_index.h"
#include "storysift/document.h"
#include "storysift/lsh_params.h"
#include "storysift/run_context.h"

namespace storysift {

enum class SketchKind : uint8_t { kMinHash = 1, kSimHash = 2 };

// Which document of a group is kept as its representative (the "original").
enum class KeepPolicy : uint8_t {
  kEarliest,  // Smallest published date, undated documents after dated ones.
  kLongest,   // Most tokens.
  kFirst,     // Smallest ordinal (input order).
};                // Every policy breaks ties by smaller ordinal.

enum class GroupingMode : uint8_t { kNonChaining, kConnectedComponents };

enum class CopyRole : uint8_t {
  kUnique,    // Alone in its group.
  kOriginal,  // Representative of a group of 2+.
  kCopy,
};

// Per-document sketches in ordinal order, not owned.
struct SketchTable {
  size_t num_docs = 0;
  int num_perm = 0;
  absl::Span<const uint32_t> minhash;  // num_docs * num_perm, row-major.
  absl::Span<const uint64_t> simhash;  // num_docs.
  // Optional sorted, unique shingle sets (num_docs of them): when given,
  // MinHash verification uses exact Jaccard instead of the estimate.
  absl::Span<const std::vector<uint64_t>> shingles;
  // Optional shingle-set sizes (num_docs of them): with MinHash estimates,
  // containment needs them. Without them and without `shingles`, the
  // containment test is off.
  absl::Span<const uint32_t> set_sizes;
  // Optional b-bit verification rows (bbit_minhash.h), num_docs *
  // VerifyRowBytes(verify_bits, num_perm) bytes: when given, MinHash
  // verification reads them instead of `minhash`.
  absl::Span<const uint8_t> verify;
  int verify_bits = 32;
  // Optional LSH band keys made for `band_params` (num_docs * num_bands,
  // LshIndex::ComputeBandKeys of a short-key index): when the grouper's
  // resolved bands equal band_params, the index is built from them, and with
  // `verify` the full `minhash` may be empty.
  absl::Span<const uint32_t> band_keys;
  LshParams band_params;

  SketchView row(DocOrdinal d) const;
};

// Metadata the keep policies read. Empty spans are fine for kFirst.
struct DocMeta {
  std::optional<int64_t> published;  // UTC seconds.
  uint32_t num_tokens = 0;
};

// Defaults chosen from measurements on generated news corpora with planted
// copies of 8 kinds, Reuters/BBC gold pairs and ECB+ same-event articles:
// see docs/quality.md (bench/quality/run_quality.sh reproduces them).
inline constexpr double kDefaultJaccardThreshold = 0.5;
// Short pairs (the smaller shingle set under kDefaultShortPairShingles) need
// this Jaccard: short template notices ("Qtly div 25 cts vs 25 cts prior /
// Pay April one") and earnings tables of different companies share 0.5-0.6
// of their 3-shingles (docs/quality.md).
inline constexpr double kDefaultShortJaccardThreshold = 0.62;
inline constexpr uint32_t kDefaultShortPairShingles = 150;
inline constexpr int kDefaultMaxHamming = 3;
inline constexpr double kDefaultContainmentThreshold = 0.9;
inline constexpr uint32_t kDefaultMinContainmentShingles = 50;
// LSH bands for containment candidates are tuned for this Jaccard: a prefix
// holding 40% of a document's shingles has Jaccard 0.4 with it, and with
// containment 0.9 that drops to about 0.35; bands tuned for 0.3 (32 x 3)
// find 88% of pairs at 0.4 and 99% at 0.5, where 32 x 4 (tuned for 0.35)
// found 56% and 87%, which lost truncated and 10%-edited copies.
inline constexpr double kContainmentCandidateJaccard = 0.3;
// Default bands are at most this many: with 8-bit rows of 128 slots a
// document keeps 128 + 4 * 32 = 256 bytes.
inline constexpr int kMaxDefaultLshBands = 32;

struct CopyGrouperOptions {
  SketchKind kind = SketchKind::kMinHash;
  // kMinHash: similar iff Jaccard >= this (or containment, below).
  double jaccard_threshold = kDefaultJaccardThreshold;
  // kMinHash: a pair whose smaller shingle set has fewer than
  // short_pair_shingles shingles (or an unknown size) needs Jaccard >=
  // max(jaccard_threshold, short_jaccard_threshold): length-aware, so that
  // long edited copies pass at a lower Jaccard than short notices, whose few
  // shingles are mostly template. short_pair_shingles = 0 turns it off.
  double short_jaccard_threshold = kDefaultShortJaccardThreshold;
  uint32_t short_pair_shingles = kDefaultShortPairShingles;
  int max_hamming = kDefaultMaxHamming;  // kSimHash: similar iff distance <= this.
  // kMinHash only: also similar iff the containment |A n B| / min(|A|, |B|)
  // (Broder 1997) is >= this, so truncated or abridged copies, whose Jaccard
  // to the full text is their length ratio, are found. 0 turns it off. The
  // smaller set needs min_containment_shingles shingles, so that a short
  // notice is not a "copy" of every long article quoting it.
  double containment_threshold = kDefaultContainmentThreshold;
  uint32_t min_containment_shingles = kDefaultMinContainmentShingles;
  // kMinHash LSH bands; {0, 0} picks OptimalLshParams(jaccard_threshold).
  LshParams lsh;
  int simhash_blocks = 0;  // SimHashIndexOptions::num_blocks.
  KeepPolicy keep = KeepPolicy::kEarliest;
  GroupingMode mode = GroupingMode::kNonChaining;
};

// InvalidArgument for a threshold outside (0, 1], a containment threshold
// outside [0, 1], a short-pair threshold outside [0, 1], max_hamming
// outside [0, 16], or bad LSH / block parameters.
absl::Status ValidateCopyGrouperOptions(const CopyGrouperOptions& options, int num_perm);

// The kMinHash LSH bands an index for `options` uses: options.lsh when set,
// else OptimalLshParams for min(jaccard_threshold, 0.99), lowered to
// kContainmentCandidateJaccard when containment is on, with at most
// kMaxDefaultLshBands bands. Batch and streaming
// both resolve bands here. InvalidArgument as ValidateCopyGrouperOptions.
absl::StatusOr<LshParams> ResolveLshParams(const CopyGrouperOptions& options, int num_perm);

// Creates the candidate index options call for (LshIndex with
// ResolveLshParams bands, or SimHashIndex).
// short_keys: an LshIndex with 32-bit keys (LshIndexOptions::short_keys).
absl::StatusOr<std::unique_ptr<CandidateIndex>> MakeCandidateIndex(
    const CopyGrouperOptions& options, int num_perm, bool short_keys = false);

// Similarity of documents a and b and whether it passes the threshold:
// kMinHash: exact Jaccard when shingles are given, else EstimateJaccardBbit
// of the verification rows when the table has them, else EstimateJaccard;
// passing iff Jaccard >= RequiredJaccard(options, smaller set size) or containment (exact, or
// estimated from Jaccard and set sizes as J (|A| + |B|) / ((1 + J) min)) is
// >= containment_threshold. kSimHash: 1 - HammingDistance / 64, passing iff
// distance <= max_hamming. `value` is the Jaccard (or bit agreement) either
// way, so groups still prefer the most similar representative.
// The Jaccard a kMinHash pair needs, from the size of its smaller shingle
// set (0: unknown): the length-aware rule of CopyGrouperOptions.
double RequiredJaccard(const CopyGrouperOptions& options, uint32_t smaller_set_size);

struct Similarity {
  double value = 0;
  double containment = 0;  // kMinHash with sizes or shingles; else 0.
  bool passes = false;
};
Similarity CompareDocs(const SketchTable& sketches, const CopyGrouperOptions& options,
                       DocOrdinal a, DocOrdinal b);

// The estimated rule of CompareDocs on two sketches: the one verification
// batch grouping and the streaming Deduplicator share. set_size_* are the
// shingle-set sizes (kMinHash); 0 means unknown and turns containment off
// for the pair. MinHash uses the b-bit rows (`verify`, corrected estimate)
// when both views have them, else the full signatures. REQUIRES: for
// kMinHash, equal-length signatures (rows of equal width).
Similarity CompareSketches(const SketchView& a, uint32_t set_size_a, const SketchView& b,
                           uint32_t set_size_b, const CopyGrouperOptions& options);

struct VerifiedPair {
  DocOrdinal a = 0;  // a < b
  DocOrdinal b = 0;
  double similarity = 0;
};

// All candidate pairs from the index that pass verification, sorted by (a, b).
// InvalidArgument when the table's spans do not match num_docs/num_perm.
// The search from precomputed band keys runs on context.threads workers;
// the pairs do not depend on it.
absl::StatusOr<std::vector<VerifiedPair>> FindVerifiedPairs(
    const SketchTable& sketches, const CopyGrouperOptions& options,
    const RunContext& context = {});

// Scored candidate pairs for threshold tuning: candidates from an index built
// for `floor` (LSH bands tuned for Jaccard `floor` unless options.lsh is set;
// for kSimHash, max_hamming = floor((1 - floor) * 64), at most 16), kept when
// the similarity is >= floor, sorted by (a, b). Containment is not applied:
// the score swept is the Jaccard (bit agreement). InvalidArgument for floor
// outside (0, 1) or as FindVerifiedPairs.
absl::StatusOr<std::vector<VerifiedPair>> FindScoredPairs(
    const SketchTable& sketches, const CopyGrouperOptions& options, double floor,
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
// is computed by CompareDocs and may be below the threshold.
CopyGroups GroupVerifiedPairs(const SketchTable& sketches,
                              const CopyGrouperOptions& options,
                              absl::Span<const DocOrdinal> priority,
                              std::vector<VerifiedPair> pairs);

// FindVerifiedPairs + PriorityOrder + GroupVerifiedPairs.
absl::StatusOr<CopyGroups> GroupCopies(const SketchTable& sketches,
                                       absl::Span<const DocMeta> meta,
                                       const CopyGrouperOptions& options,
                                       const RunContext& context = {});

// The streaming verdict for one document.
struct CopyVerdict {
  bool is_new = true;              // Became a representative.
  DocOrdinal representative = 0;  // Itself when is_new.
  double similarity = 1.0;
};

// Non-chaining grouping one document at a time, in arrival order: the index
// holds representatives only.
class StreamingCopyGrouper {
 public:
  static absl::StatusOr<StreamingCopyGrouper> Create(const CopyGrouperOptions& options,
                                                     int num_perm);

  // Offers document `ordinal`; row `ordinal` of `sketches` must hold its
  // sketch, and rows of earlier representatives must still be valid.
  // InvalidArgument for an ordinal outside the table. Each ordinal is
  // offered once (REQUIRES).
  absl::StatusOr<CopyVerdict> Offer(DocOrdinal ordinal, const SketchTable& sketches);

  size_t num_representatives() const { return index_->size(); }
  const CandidateIndex& index() const { return *index_; }

 private:
  StreamingCopyGrouper(const CopyGrouperOptions& options,
                       std::unique_ptr<CandidateIndex> index)
      : options_(options), index_(std::move(index)) {}
  CopyGrouperOptions options_;
  std::unique_ptr<CandidateIndex> index_;
  std::vector<DocOrdinal> candidates_;
};

}  // namespace storysift

#endif  // STORYSIFT_COPY_GROUPER_H_
