#include "storysift/verifier.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "absl/strings/str_format.h"
#include "storysift/bbit_minhash.h"
#include "storysift/lsh_index.h"
#include "storysift/minhash.h"
#include "storysift/simhash.h"
#include "storysift/simhash_index.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

// LSH weights of OptimalLshParams: false positives and negatives alike.
constexpr double kBandFalsePositiveWeight = 0.5;
constexpr double kBandFalseNegativeWeight = 0.5;

absl::Status CheckThresholds(const CopyGrouperOptions& o) {
  if (!(o.jaccard_threshold > 0.0 && o.jaccard_threshold <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("Jaccard threshold %g is outside (0, 1]", o.jaccard_threshold));
  }
  if (!(o.short_jaccard_threshold >= 0.0 && o.short_jaccard_threshold <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "short-pair Jaccard threshold %g is outside [0, 1]", o.short_jaccard_threshold));
  }
  if (!(o.containment_threshold >= 0.0 && o.containment_threshold <= 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("containment threshold %g is outside [0, 1]", o.containment_threshold));
  }
  if (o.max_hamming < 0 || o.max_hamming > kMaxHammingLimit) {
    return absl::InvalidArgumentError(absl::StrFormat("max Hamming distance %d is outside [0, %d]",
                                                      o.max_hamming, kMaxHammingLimit));
  }
  return absl::OkStatus();
}

absl::StatusOr<LshParams> ResolveBands(const CopyGrouperOptions& o, int num_perm) {
  if (o.lsh.num_bands != 0 || o.lsh.rows_per_band != 0) {
    STORYSIFT_RETURN_IF_ERROR(ValidateLshParams(o.lsh, num_perm));
    return o.lsh;
  }
  double tuned_for = std::min(o.jaccard_threshold, kMaxBandTuningJaccard);
  if (o.containment_threshold > 0) tuned_for = std::min(tuned_for, kContainmentCandidateJaccard);
  return OptimalLshParams(tuned_for, num_perm, kBandFalsePositiveWeight, kBandFalseNegativeWeight,
                          kMaxDefaultLshBands);
}

// The containment test on top of a Jaccard verdict, from set sizes and the
// (exact or estimated) intersection size; clamped, as an estimate can
// overshoot. The smaller set needs min_containment_shingles (and >= 1).
void TestContainment(double na, double nb, double intersection, const CopyGrouperOptions& options,
                     Similarity* s) {
  const double small = std::min(na, nb);
  if (small < 1 || small < options.min_containment_shingles) return;
  s->containment = std::min(1.0, intersection / small);
  s->passes = s->passes || s->containment >= options.containment_threshold;
}

}  // namespace

int MaxHammingForAgreement(double agreement) {
  // A share that is a whole number of bits (1 - 5/64 is not exact in
  // binary) must not floor to one bit fewer.
  constexpr double kRoundingSlack = 1e-9;
  return static_cast<int>(std::floor((1.0 - agreement) * 64 + kRoundingSlack));
}

absl::StatusOr<Verifier> Verifier::Create(const CopyGrouperOptions& options,
                                          const SketchOptions& sketch) {
  STORYSIFT_RETURN_IF_ERROR(CheckThresholds(options));
  STORYSIFT_RETURN_IF_ERROR(ValidateVerifyBits(sketch.verify_bits));
  Verifier v;
  v.options_ = options;
  v.sketch_ = sketch;
  v.kind_ = sketch.kind;
  v.verify_bits_ = sketch.verify_bits;
  if (v.kind_ == SketchKind::kMinHash) {
    v.num_perm_ = sketch.minhash.num_perm;
    STORYSIFT_ASSIGN_OR_RETURN(v.bands_, ResolveBands(options, v.num_perm_));
    v.row_bytes_ = VerifyRowBytes(v.verify_bits_, v.num_perm_);
    LshIndexOptions keys;
    keys.num_perm = v.num_perm_;
    keys.params = v.bands_;
    keys.short_keys = true;
    STORYSIFT_ASSIGN_OR_RETURN(LshIndex keyer, LshIndex::Create(keys));
    v.keyer_ = std::make_shared<const LshIndex>(std::move(keyer));
  }
  return v;
}

absl::StatusOr<Verifier> Verifier::WithOptions(const CopyGrouperOptions& options) const {
  return Create(options, sketch_);
}

void Verifier::Encode(absl::Span<const uint32_t> sig, absl::Span<uint8_t> row,
                      absl::Span<uint32_t> keys) const {
  assert(kind_ == SketchKind::kMinHash && sig.size() == static_cast<size_t>(num_perm_));
  if (!row.empty()) TruncateSignature(sig, verify_bits_, row);
  if (!keys.empty()) keyer_->ComputeBandKeys(sig, keys);
}

absl::StatusOr<std::unique_ptr<CandidateIndex>> Verifier::NewIndex(bool short_keys) const {
  if (kind_ == SketchKind::kSimHash) {
    SimHashIndexOptions so;
    so.max_distance = options_.max_hamming;
    so.num_blocks = options_.simhash_blocks;
    STORYSIFT_ASSIGN_OR_RETURN(SimHashIndex index, SimHashIndex::Create(so));
    return std::make_unique<SimHashIndex>(std::move(index));
  }
  LshIndexOptions lo;
  lo.num_perm = num_perm_;
  lo.params = bands_;
  lo.short_keys = short_keys;
  STORYSIFT_ASSIGN_OR_RETURN(LshIndex index, LshIndex::Create(lo));
  return std::make_unique<LshIndex>(std::move(index));
}

double Verifier::RequiredJaccard(uint32_t smaller_set_size) const {
  const CopyGrouperOptions& o = options_;
  if (o.short_pair_shingles == 0) return o.jaccard_threshold;
  if (smaller_set_size >= o.short_pair_shingles && smaller_set_size > 0) {
    return o.jaccard_threshold;
  }
  return std::max(o.jaccard_threshold, o.short_jaccard_threshold);
}

Similarity Verifier::Compare(const SketchView& a, uint32_t set_size_a, const SketchView& b,
                             uint32_t set_size_b) const {
  Similarity s;
  if (kind_ == SketchKind::kSimHash) {
    const int d = HammingDistance(a.simhash, b.simhash);
    s.value = 1.0 - d / 64.0;
    s.passes = d <= options_.max_hamming;
    return s;
  }
  if (!a.verify.empty() && !b.verify.empty()) {
    assert(a.verify_bits == b.verify_bits);
    s.value = EstimateJaccardBbit(a.verify, b.verify, a.verify_bits);
  } else {
    s.value = EstimateJaccard(a.minhash, b.minhash);
  }
  const uint32_t small = set_size_a == 0 || set_size_b == 0 ? 0 : std::min(set_size_a, set_size_b);
  s.passes = s.value >= RequiredJaccard(small) && s.value > 0.0;
  if (options_.containment_threshold > 0 && s.value > 0.0 && set_size_a > 0 && set_size_b > 0) {
    const double na = set_size_a;
    const double nb = set_size_b;
    // |A n B| = J (|A| + |B|) / (1 + J) from the Jaccard estimate.
    TestContainment(na, nb, s.value * (na + nb) / (1.0 + s.value), options_, &s);
  }
  return s;
}

Similarity Verifier::CompareDocs(const SketchTable& t, DocOrdinal a, DocOrdinal b) const {
  if (kind_ == SketchKind::kSimHash || t.shingles.empty()) {
    const bool sized = !t.set_sizes.empty();
    return Compare(t.row(a), sized ? t.set_sizes[a] : 0, t.row(b), sized ? t.set_sizes[b] : 0);
  }
  Similarity s;
  s.value = ExactJaccard(t.shingles[a], t.shingles[b]);
  const auto small = static_cast<uint32_t>(std::min(t.shingles[a].size(), t.shingles[b].size()));
  s.passes = s.value >= RequiredJaccard(small) && s.value > 0.0;
  if (options_.containment_threshold > 0 && s.value > 0.0) {
    TestContainment(t.shingles[a].size(), t.shingles[b].size(),
                    IntersectionSize(t.shingles[a], t.shingles[b]), options_, &s);
  }
  return s;
}

}  // namespace storysift
