// An LshIndex buckets MinHash signatures by band (MMDS ch. 3.4), so that
// documents whose Jaccard similarity is probably >= a threshold become
// candidates: with b bands of r rows, P(candidate) = 1 - (1 - s^r)^b.
//
// Band i's key is XXH3_64bits_withSeed(slots [i*r, (i+1)*r) as 4-byte
// little-endian, band_seed + i), or its low 32 bits (short_keys). Each band is a hash map from key to a compact
// ordinal list (first ordinal inline, overflow in a pooled side list): about
// 20-40 bytes per document per band. Signatures are not stored.
// Empty-set signatures (minhash.h) are counted in size() but never bucketed,
// so empty documents are nobody's candidates.
//
// Thread safety: see candidate_index.h.
#ifndef STORYSIFT_LSH_INDEX_H_
#define STORYSIFT_LSH_INDEX_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/candidate_index.h"
#include "storysift/lsh_params.h"

namespace storysift {
namespace internal {
class CompactMultimap;
class OrdinalSet;
}  // namespace internal

inline constexpr uint64_t kDefaultLshBandSeed = 0x4C5348424E443031ull;  // "LSHBND01"

struct LshIndexOptions {
  int num_perm = 128;
  // If num_bands and rows_per_band are 0, chosen by OptimalLshParams for
  // `threshold`; otherwise validated by ValidateLshParams.
  double threshold = 0.8;
  LshParams params;
  uint64_t band_seed = kDefaultLshBandSeed;
  // Keys are the low 32 bits of the band hash, so that callers can keep them
  // (4 bytes a band; SketchView::band_keys) where the full signature is not
  // kept. Two different bands then collide with probability 2^-32 instead of
  // 2^-64: a rare extra candidate, which verification rejects.
  bool short_keys = false;
};

class LshIndex final : public CandidateIndex {
 public:
  // InvalidArgument for a bad threshold, num_perm or user (b, r).
  static absl::StatusOr<LshIndex> Create(const LshIndexOptions& options);

  LshIndex(LshIndex&&) noexcept;
  LshIndex& operator=(LshIndex&&) noexcept;
  ~LshIndex() override;

  absl::Status Add(DocOrdinal ordinal, const SketchView& sketch) override;
  absl::Status Query(const SketchView& sketch,
                     std::vector<DocOrdinal>* out) const override;
  absl::Status Remove(DocOrdinal ordinal, const SketchView& sketch) override;
  size_t size() const override;
  size_t MemoryUsage() const override;

  // Writes the num_bands() keys of `sig` that Add would use (the low 32 bits
  // of each band hash). REQUIRES: options.short_keys, sig.size() == num_perm,
  // out.size() == num_bands().
  void ComputeBandKeys(absl::Span<const uint32_t> sig, absl::Span<uint32_t> out) const;

  const LshParams& params() const { return params_; }
  int num_bands() const { return params_.num_bands; }
  int rows_per_band() const { return params_.rows_per_band; }

 private:
  LshIndex(const LshIndexOptions& options, const LshParams& params);
  absl::Status CheckSketch(const SketchView& sketch) const;
  uint64_t BandKey(absl::Span<const uint32_t> sig, int band) const;
  uint64_t Key(const SketchView& sketch, int band) const;
  static bool IsEmpty(const SketchView& sketch);

  LshIndexOptions options_;
  LshParams params_;
  std::vector<internal::CompactMultimap> bands_;
  std::unique_ptr<internal::OrdinalSet> present_;
};

}  // namespace storysift

#endif  // STORYSIFT_LSH_INDEX_H_
