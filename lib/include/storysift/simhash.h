// SimHash fingerprints (Charikar, "Similarity estimation techniques from
// rounding algorithms", STOC 2002): 64 bits such that near-duplicate texts
// differ in few bits, for Hamming-distance search (simhash_index.h).
//
// Stable format: each feature is a hash of `feature_words` consecutive token
// hashes, exactly a word shingle of that size (shingle.h) with seed
// SimHashOptions::seed. Bit j of the fingerprint is 1 iff the sum over
// features of weight * (bit j of Mix64(feature) ? +1 : -1) is > 0. The
// default weight is term frequency (a feature counts once per occurrence).
//
// Feature choice, measured on Reuters-21578 gold pairs (tests/simhash_test.cc,
// Hamming <= 3): single words find 97% of pairs with word-5-shingle Jaccard
// >= 0.8 but also put 23% of same-template pairs with J < 0.65 within reach;
// word 2-shingles find 84% and 0% of the J < 0.65 pairs; 3-shingles 82% and
// 0%. 2-word features are the default: SimHash is the precision-first mode,
// MinHash + LSH the recall-first one.
//
// Thread safety: SimHasher is immutable; Compute() is const and reentrant.
#ifndef STORYSIFT_SIMHASH_H_
#define STORYSIFT_SIMHASH_H_

#include <bit>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace storysift {

inline constexpr int kDefaultSimHashFeatureWords = 2;
inline constexpr uint64_t kDefaultSimHashSeed = 0x53494D4841534831ull;  // "SIMHASH1"

struct SimHashOptions {
  int feature_words = kDefaultSimHashFeatureWords;  // 1..8
  uint64_t seed = kDefaultSimHashSeed;
};

// Fingerprint of weighted features: bit j is set iff
// sum_i weights[i] * (bit j of Mix64(features[i]) ? 1 : -1) > 0.
// REQUIRES: weights.size() == features.size(). 0 for no features.
uint64_t SimHashWeighted(absl::Span<const uint64_t> features,
                         absl::Span<const float> weights);

// As above with every feature weighted 1 (so repeats count as TF).
uint64_t SimHashOfFeatures(absl::Span<const uint64_t> features);

class SimHasher {
 public:
  // InvalidArgument unless 1 <= feature_words <= 8.
  static absl::StatusOr<SimHasher> Create(const SimHashOptions& options);

  // Fingerprint of a document's token hashes with TF weights. `scratch` is
  // reused working memory. Fewer tokens than feature_words: one feature of
  // all tokens; no tokens: 0.
  uint64_t Compute(absl::Span<const uint64_t> token_hashes,
                   std::vector<uint64_t>* scratch) const;

  const SimHashOptions& options() const { return options_; }

 private:
  explicit SimHasher(const SimHashOptions& options) : options_(options) {}
  SimHashOptions options_;
};

inline int HammingDistance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace storysift

#endif  // STORYSIFT_SIMHASH_H_
