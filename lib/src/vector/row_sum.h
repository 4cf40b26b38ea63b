// The sum of several sparse rows (a story's centroid), one kernel for the
// story labels, headlines and splits.
#ifndef STORYSIFT_VECTOR_ROW_SUM_H_
#define STORYSIFT_VECTOR_ROW_SUM_H_

#include <bit>
#include <cstdint>

#include "absl/types/span.h"
#include "storysift/tfidf.h"

namespace storysift::internal {

// A float as 32 bits whose unsigned order is the float order (non-NaN
// values; -0.0f just below +0.0f), so (float, key) pairs sort as integers.
inline uint32_t OrderedBits(float w) {
  constexpr uint32_t kSignBit = 0x80000000u;
  const uint32_t b = std::bit_cast<uint32_t>(w);
  return (b & kSignBit) != 0 ? ~b : b | kSignBit;
}

inline float FromOrderedBits(uint32_t o) {
  constexpr uint32_t kSignBit = 0x80000000u;
  return std::bit_cast<float>((o & kSignBit) != 0 ? o & ~kSignBit : ~o);
}

// Writes the sum of `rows` to *out, ids ascending. REQUIRES: each row's ids
// sorted ascending and distinct. Each id's weights are added in ascending
// order of weight: the order the sums had when they came from a std::sort
// of all (id, weight) pairs, which a centroid's float bits depend on. The
// rows are already sorted runs, so they are merged (n log(rows)) instead.
void SumRows(absl::Span<const SparseVectorView> rows, SparseVector* out);

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_ROW_SUM_H_
