// The per-document sketch stage: a normalized document's shingle set and its
// MinHash signature or SimHash fingerprint. Batch dedup, story clustering
// and the streaming Deduplicator all sketch through this one object, so a
// document gets the same sketch whichever way it arrives.
#ifndef STORYSIFT_SKETCHER_H_
#define STORYSIFT_SKETCHER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storysift/bbit_minhash.h"
#include "storysift/minhash.h"
#include "storysift/normalize.h"
#include "storysift/shingle.h"
#include "storysift/simhash.h"
#include "storysift/sketch_table.h"  // SketchKind.

namespace storysift {

struct SketchOptions {
  SketchKind kind = SketchKind::kMinHash;
  // MinHash shingles (word 3-grams by default, shingle.h), OCR look-alikes
  // folded: a copy with 2-3% of its characters confused keeps Jaccard
  // 0.45-0.55 to the original without folding (docs/quality.md).
  ShingleOptions shingle{ShingleKind::kWord, kDefaultWordShingleSize,
                         kDefaultShingleSeed, /*fold_lookalikes=*/true};
  MinHashOptions minhash;
  SimHashOptions simhash;
  // kMinHash: bits of each slot kept for verification (8, 16 or 32; b-bit
  // minwise hashing, bbit_minhash.h). LSH band keys always come from the
  // full signature; 32 keeps full signatures (the exact estimate).
  int verify_bits = kDefaultVerifyBits;
};

// The token hashes a sketch made with `options` reads: kLookalike for
// MinHash over look-alike folded word shingles (the defaults), else kFolded.
// A run whose tokens feed nothing but the sketcher may normalize with it
// (NormalizeOptions::token_hash): the same sketch, without folding each
// token again in the sketcher.
TokenHashKind SketchTokenHash(const SketchOptions& options);

// Thread safety: immutable after Create(); Compute() is const and may run
// concurrently with a Scratch per thread.
class Sketcher {
 public:
  // InvalidArgument for bad shingle, MinHash or SimHash options or verify bits.
  static absl::StatusOr<Sketcher> Create(const SketchOptions& options);

  // Working memory and side results of Compute(). After a MinHash Compute(),
  // `set_size` is the number of distinct shingles, and `shingles` holds the
  // shingle set (sorted, unique, for exact verification) if `keep_set`, else
  // the shingles in document order (sorting costs more than the MinHash).
  struct Scratch {
    bool keep_set = false;
    uint32_t set_size = 0;
    std::vector<uint64_t> shingles;
    std::vector<uint64_t> tokens;
    std::vector<uint64_t> table;  // CountDistinct's hash table.
  };

  // Slots per MinHash signature; 0 for SimHash.
  int num_perm() const {
    return options_.kind == SketchKind::kMinHash ? options_.minhash.num_perm : 0;
  }

  // kMinHash: writes the signature to `minhash` (REQUIRES: num_perm() slots).
  // kSimHash: sets *simhash. The other output is left alone. REQUIRES:
  // text.token_hash is kFolded or SketchTokenHash(options()).
  void Compute(const NormalizedText& text, absl::Span<uint32_t> minhash, uint64_t* simhash,
               Scratch* scratch) const;

  const SketchOptions& options() const { return options_; }

 private:
  void ComputeWord3OnePermutation(const NormalizedText& text, absl::Span<uint32_t> minhash,
                                  Scratch* scratch) const;
  void ComputeWord3FromHashes(const uint64_t* hashes, size_t n, absl::Span<uint32_t> minhash,
                              Scratch* scratch) const;

  Sketcher(const SketchOptions& options, MinHasher minhasher, SimHasher simhasher)
      : options_(options), minhasher_(std::move(minhasher)), simhasher_(simhasher) {}

  SketchOptions options_;
  MinHasher minhasher_;
  SimHasher simhasher_;
};

}  // namespace storysift

#endif  // STORYSIFT_SKETCHER_H_
