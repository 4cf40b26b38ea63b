// The near-duplicate configuration, resolved once. A Verifier is made by one
// factory from the grouping options and the sketch they verify; it holds the
// checked thresholds, the LSH bands (b, r) and the band-key function, and
// decides whether two sketches are copies. Batch grouping (copy_grouper.h),
// the corpus loader (which stores each signature in the Verifier's encoding),
// the streaming Deduplicator and its index file all take a Verifier, so no
// later stage checks the options again or works the bands out again.
//
// Thread safety: immutable after Create(); const methods may run
// concurrently. Copies share the band-key function.
#ifndef STORYSIFT_VERIFIER_H_
#define STORYSIFT_VERIFIER_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storysift/candidate_index.h"
#include "storysift/lsh_params.h"
#include "storysift/simhash_index.h"
#include "storysift/sketch_table.h"
#include "storysift/sketcher.h"

namespace storysift {

class LshIndex;

// Which document of a group is kept as its representative (the "original").
enum class KeepPolicy : uint8_t {
  kEarliest,  // Smallest published date, undated documents after dated ones.
  kLongest,   // Most tokens.
  kFirst,     // Smallest ordinal (input order).
};            // Every policy breaks ties by smaller ordinal.

enum class GroupingMode : uint8_t { kNonChaining, kConnectedComponents };

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
// The widest SimHash distance a run may ask for: the widest the permuted
// tables serve (15 of 64 bits; farther prints are hardly near-duplicates).
inline constexpr int kMaxHammingLimit = kMaxSimHashDistance;
inline constexpr double kDefaultContainmentThreshold = 0.9;
inline constexpr uint32_t kDefaultMinContainmentShingles = 50;
// LSH bands for containment candidates are tuned for this Jaccard: a prefix
// holding 40% of a document's shingles has Jaccard 0.4 with it, and with
// containment 0.9 that drops to about 0.35; bands tuned for 0.3 (32 x 3)
// find 88% of pairs at 0.4 and 99% at 0.5, where 32 x 4 (tuned for 0.35)
// found 56% and 87%, which lost truncated and 10%-edited copies.
inline constexpr double kContainmentCandidateJaccard = 0.3;
// A threshold of exactly 1 has no S-curve optimum; bands tuned for this
// Jaccard find such pairs.
inline constexpr double kMaxBandTuningJaccard = 0.99;
// Default bands are at most this many: with 8-bit rows of 128 slots a
// document keeps 128 + 4 * 32 = 256 bytes.
inline constexpr int kMaxDefaultLshBands = 32;

// The largest Hamming distance between 64-bit SimHash fingerprints whose bit
// agreement 1 - d / 64 is still >= `agreement` (a share in [0, 1]).
int MaxHammingForAgreement(double agreement);

struct CopyGrouperOptions {
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
  // kMinHash LSH bands; {0, 0}: Verifier::Create picks them (bands()).
  LshParams lsh;
  int simhash_blocks = 0;  // SimHashIndexOptions::num_blocks.
  KeepPolicy keep = KeepPolicy::kEarliest;
  GroupingMode mode = GroupingMode::kNonChaining;
};

struct Similarity {
  double value = 0;        // Jaccard (kMinHash) or bit agreement (kSimHash).
  double containment = 0;  // kMinHash with sizes or shingles; else 0.
  bool passes = false;
};

class Verifier {
 public:
  // Checks `options` for `sketch` (its kind, MinHash slots and verify bits)
  // and resolves the LSH bands. InvalidArgument, naming the setting, for a
  // Jaccard threshold outside (0, 1], a short-pair or containment threshold
  // outside [0, 1], max_hamming outside [0, kMaxHammingLimit], bad verify bits, user LSH
  // bands with b * r > num_perm (or only one of them set).
  static absl::StatusOr<Verifier> Create(const CopyGrouperOptions& options,
                                         const SketchOptions& sketch);
  // A Verifier for the same sketch with other options (tuning sweeps a
  // floor). Errors as Create.
  absl::StatusOr<Verifier> WithOptions(const CopyGrouperOptions& options) const;

  // The options as given and checked (lsh {0, 0} stays: see bands()).
  const CopyGrouperOptions& options() const { return options_; }
  SketchKind kind() const { return kind_; }
  int num_perm() const { return num_perm_; }  // MinHash slots; 0 for SimHash.
  int verify_bits() const { return verify_bits_; }
  // kMinHash: options().lsh when set, else OptimalLshParams for
  // min(jaccard_threshold, kMaxBandTuningJaccard), lowered to
  // kContainmentCandidateJaccard when containment is on, with at most
  // kMaxDefaultLshBands bands. {0, 0} for kSimHash.
  const LshParams& bands() const { return bands_; }
  // Bytes of one b-bit verification row; 0 for kSimHash.
  size_t row_bytes() const { return row_bytes_; }

  // The stored form of a MinHash signature, the one encoding the corpus
  // loader and the Deduplicator share: writes its verify_bits() row to
  // `row` unless `row` is empty (else REQUIRES row_bytes() bytes) and its
  // 32-bit band keys (those NewIndex(true) reads) to `keys` unless `keys` is
  // empty (else REQUIRES bands().num_bands keys). REQUIRES: kMinHash,
  // sig.size() == num_perm().
  void Encode(absl::Span<const uint32_t> sig, absl::Span<uint8_t> row,
              absl::Span<uint32_t> keys) const;

  // A new, empty candidate index: an LshIndex with bands() (short_keys: it
  // reads Encode's 32-bit keys; otherwise it hashes full signatures to 64
  // bits), or a SimHashIndex. InvalidArgument for simhash_blocks the
  // permuted tables cannot use (SimHashIndex::Create).
  absl::StatusOr<std::unique_ptr<CandidateIndex>> NewIndex(bool short_keys) const;

  // The Jaccard a kMinHash pair needs, from the size of its smaller shingle
  // set (0: unknown): the length-aware rule of CopyGrouperOptions.
  double RequiredJaccard(uint32_t smaller_set_size) const;

  // The estimated verdict on two sketches, the one batch grouping and the
  // streaming Deduplicator share. kMinHash: the b-bit rows (`verify`,
  // corrected estimate) when both views have them, else the full
  // signatures; passing iff Jaccard >= RequiredJaccard(smaller set) or the
  // containment, estimated as J (|A| + |B|) / ((1 + J) min), is >=
  // containment_threshold. set_size_* are the shingle-set sizes; 0 means
  // unknown and turns containment off for the pair. kSimHash:
  // 1 - HammingDistance / 64, passing iff distance <= max_hamming. `value`
  // is the Jaccard (bit agreement) either way, so groups still prefer the
  // most similar representative. REQUIRES for kMinHash: rows of equal width.
  Similarity Compare(const SketchView& a, uint32_t set_size_a, const SketchView& b,
                     uint32_t set_size_b) const;

  // Compare on rows a and b of a table; kMinHash with shingle sets uses the
  // exact Jaccard and intersection instead of estimates.
  Similarity CompareDocs(const SketchTable& sketches, DocOrdinal a, DocOrdinal b) const;

 private:
  Verifier() = default;

  CopyGrouperOptions options_;
  SketchKind kind_ = SketchKind::kMinHash;
  int num_perm_ = 0;
  int verify_bits_ = 32;
  LshParams bands_;
  size_t row_bytes_ = 0;
  SketchOptions sketch_;  // For WithOptions.
  // The band-key function: an LshIndex with bands_ and short keys that is
  // never filled (kMinHash only).
  std::shared_ptr<const LshIndex> keyer_;
};

}  // namespace storysift

#endif  // STORYSIFT_VERIFIER_H_
