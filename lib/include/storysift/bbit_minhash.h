// b-bit minwise hashing (Li and König, "b-Bit Minwise Hashing", WWW 2010):
// verification keeps only the lowest b bits of each MinHash slot, so the
// per-document store shrinks from 4 * num_perm bytes to b/8 * num_perm.
//
// Two truncated slots agree when the full slots agree (probability J) or, by
// chance, when their low bits collide. For large sets under uniform hashing
// (the paper's Theorem 1 with r1, r2 -> 0) P(match) = C + (1 - C) J with
// C = 2^-b, so the unbiased estimate is J_hat = (matches / k - C) / (1 - C),
// clamped to [0, 1]. Its variance is P (1 - P) / (k (1 - C)^2): on 2,000
// generated pairs the RMSE grows 0.8% at b = 8 and not measurably at b = 16
// (tests/bbit_minhash_test.cc; Reuters figures in docs/performance.md).
// b = 32 keeps every bit and applies no correction: exactly EstimateJaccard.
//
// Rows are num_perm slots of b/8 bytes each (little-endian). The empty set's
// row is all ones (the low bits of kEmptySlot); a non-empty signature whose
// truncated row would also be all ones gets the lowest bit of slot 0 cleared,
// so emptiness stays exact (for b < 32; at b = 32 this is IsEmptySignature).
//
// Thread safety: free functions, reentrant.
#ifndef STORYSIFT_BBIT_MINHASH_H_
#define STORYSIFT_BBIT_MINHASH_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace storysift {

// Bits kept per slot for verification. 8 changes Reuters gold-pair precision
// and recall by less than 0.005 (docs/quality.md) at a quarter of the memory.
inline constexpr int kDefaultVerifyBits = 8;

// InvalidArgument unless bits is 8, 16 or 32.
absl::Status ValidateVerifyBits(int bits);

// Bytes of one truncated row. REQUIRES: ValidateVerifyBits(bits).ok().
inline size_t VerifyRowBytes(int bits, int num_perm) {
  return static_cast<size_t>(bits / 8) * static_cast<size_t>(num_perm);
}

// Writes the low `bits` bits of each slot of `sig` to `out` (see above).
// REQUIRES: valid bits, out.size() == VerifyRowBytes(bits, sig.size()).
void TruncateSignature(absl::Span<const uint32_t> sig, int bits, absl::Span<uint8_t> out);

// True for the row of the empty set (every byte 0xFF).
bool IsEmptyVerifyRow(absl::Span<const uint8_t> row);

// The b-bit estimate of Jaccard similarity (see above); 0 when either row is
// empty. REQUIRES: equal, non-zero sizes that are multiples of bits / 8.
double EstimateJaccardBbit(absl::Span<const uint8_t> a, absl::Span<const uint8_t> b, int bits);

}  // namespace storysift

#endif  // STORYSIFT_BBIT_MINHASH_H_
