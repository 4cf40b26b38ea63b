// The sketch stage's outputs as the later stages read them: which sketch a
// run uses (SketchKind), one document's sketches (SketchView) and a table of
// them in ordinal order (SketchTable). Verification (verifier.h), the
// candidate indexes (candidate_index.h) and the corpus all read these.
//
// Thread safety: plain views of memory they do not own.
#ifndef STORYSIFT_SKETCH_TABLE_H_
#define STORYSIFT_SKETCH_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "storysift/document.h"
#include "storysift/lsh_params.h"

namespace storysift {

enum class SketchKind : uint8_t { kMinHash = 1, kSimHash = 2 };

// One document's sketches, not owned. An index reads the part it uses.
struct SketchView {
  absl::Span<const uint32_t> minhash;  // num_perm slots (LshIndex).
  uint64_t simhash = 0;                // (SimHashIndex).
  // Precomputed LSH band keys (LshIndex::ComputeBandKeys, for an index with
  // short_keys): when non-empty, LshIndex reads these instead of `minhash`,
  // and `empty_set` says whether they belong to the empty set's signature.
  absl::Span<const uint32_t> band_keys = {};
  bool empty_set = false;
  // b-bit verification row (bbit_minhash.h) of `verify_bits` bits a slot:
  // when non-empty, MinHash verification reads it instead of `minhash`.
  absl::Span<const uint8_t> verify = {};
  int verify_bits = 32;
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
  // Verifier::Encode): when the verifier's bands equal band_params, the
  // batch search reads them, and with `verify` the full `minhash` may be
  // empty.
  absl::Span<const uint32_t> band_keys;
  LshParams band_params;

  SketchView row(DocOrdinal d) const;
};

}  // namespace storysift

#endif  // STORYSIFT_SKETCH_TABLE_H_
