// Exact Hamming-ball search over 64-bit SimHash fingerprints by permuted
// tables (Manku, Jain, Das Sarma, "Detecting near-duplicates for web
// crawling", WWW 2007). The 64 bits are cut into m blocks (m > k); any two
// fingerprints within distance k agree exactly on at least m - k blocks
// (pigeonhole), so one table per choice of m - k blocks, keyed by those bits,
// finds every neighbour. Candidates are verified with popcount, so Query
// returns exactly {indexed d : HammingDistance(d, q) <= k}.
// m = k + 1 (the default) gives k + 1 tables of 64/(k+1) bits; a larger m
// gives more tables (C(m, k)) with longer keys and fewer false candidates,
// the paper's trade-off for large collections.
// Blocks are at most kMaxSimHashBlocks, so k is at most kMaxSimHashDistance:
// at that k each table keys on 4 bits already, and a wider ball is no longer
// an index lookup but a scan.
//
// Thread safety: see candidate_index.h.
#ifndef STORYSIFT_SIMHASH_INDEX_H_
#define STORYSIFT_SIMHASH_INDEX_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/candidate_index.h"

namespace storysift {
namespace internal {
class CompactMultimap;
class OrdinalSet;
}  // namespace internal

inline constexpr int kMaxSimHashBlocks = 16;
// The widest Hamming ball the permuted tables serve (m = k + 1 blocks).
inline constexpr int kMaxSimHashDistance = kMaxSimHashBlocks - 1;

struct SimHashIndexOptions {
  int max_distance = 3;  // k, in [0, kMaxSimHashDistance].
  int num_blocks = 0;    // m; 0 means k + 1. Requires k < m <= kMaxSimHashBlocks.
};

class SimHashIndex final : public CandidateIndex {
 public:
  // InvalidArgument for k or m out of range, or more than 64 tables.
  static absl::StatusOr<SimHashIndex> Create(const SimHashIndexOptions& options);

  SimHashIndex(SimHashIndex&&) noexcept;
  SimHashIndex& operator=(SimHashIndex&&) noexcept;
  ~SimHashIndex() override;

  absl::Status Add(DocOrdinal ordinal, const SketchView& sketch) override;
  // Returns the indexed documents within max_distance of sketch.simhash,
  // verified. Never fails.
  absl::Status Query(const SketchView& sketch,
                     std::vector<DocOrdinal>* out) const override;
  absl::Status Remove(DocOrdinal ordinal, const SketchView& sketch) override;
  size_t size() const override;
  size_t MemoryUsage() const override;

  int max_distance() const { return options_.max_distance; }
  int num_tables() const { return static_cast<int>(masks_.size()); }

 private:
  explicit SimHashIndex(const SimHashIndexOptions& options);

  SimHashIndexOptions options_;
  std::vector<uint64_t> masks_;  // One per table: the bits it keys on.
  std::vector<internal::CompactMultimap> tables_;
  std::vector<uint64_t> fingerprints_;  // By ordinal, for verification.
  std::unique_ptr<internal::OrdinalSet> present_;
};

}  // namespace storysift

#endif  // STORYSIFT_SIMHASH_INDEX_H_
