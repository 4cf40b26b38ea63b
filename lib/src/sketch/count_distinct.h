// CountDistinct's two kernels: a hash table for any CPU, and buckets of
// eight values compared at once for CPUs with AVX-512
// (internal::CpuHasAvx512), where a new value costs no unpredictable branch.
// The buckets are also filled inside dedup's word-3 bin loop
// (word3_bins_avx512.cc), one pass over the shingles instead of two.
#ifndef STORYSIFT_SKETCH_COUNT_DISTINCT_H_
#define STORYSIFT_SKETCH_COUNT_DISTINCT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/types/span.h"
#include "text/xxh3_avx512.h"

namespace storysift::internal {

// The number of distinct values by open addressing in `table` (scratch
// kept between calls): CountDistinct on every CPU.
size_t CountDistinctTable(absl::Span<const uint64_t> values, std::vector<uint64_t>* table);

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
// A bucket is one 64-byte line of eight values; there are at least as many
// buckets as values (the top bits of a value, an XXH3 hash, pick its
// bucket), so a bucket holds about one value and more than eight almost
// never (Poisson(1) > 8: about 1e-6 a bucket).
inline constexpr size_t kBucketValues = 8;

// The buckets of one count: the values' slots, a count byte a bucket (only
// the counts are cleared: a compare reads only a bucket's filled slots).
struct DistinctBuckets {
  uint64_t* slots = nullptr;
  uint8_t* counts = nullptr;
  int shift = 64;  // A value's bucket is value >> shift.
  size_t distinct = 0;
  bool overflowed = false;  // A ninth value came to a bucket: count again.
};

// Buckets for up to `max_values` values in `table` (scratch kept between
// calls), all empty.
DistinctBuckets StartDistinctBuckets(size_t max_values, std::vector<uint64_t>* table);

// Counts `v` in `buckets` if it is new there; a new value for a full
// bucket marks them overflowed (about one document in a million: the
// caller counts with CountDistinctTable then).
STORYSIFT_AVX512_INLINE void AddDistinct(uint64_t v, DistinctBuckets* buckets) {
  const size_t b = static_cast<size_t>(v >> buckets->shift);
  const unsigned filled = buckets->counts[b];
  const __mmask8 occupied = static_cast<__mmask8>((1u << filled) - 1);
  uint64_t* bucket = buckets->slots + b * kBucketValues;
  if (_mm512_mask_cmpeq_epi64_mask(occupied, _mm512_load_si512(bucket), Set1(v)) != 0) return;
  if (filled == kBucketValues) {
    buckets->overflowed = true;
    return;
  }
  bucket[filled] = v;
  buckets->counts[b] = static_cast<uint8_t>(filled + 1);
  ++buckets->distinct;
}

// AddDistinct of each of `values`, in a loop of its own.
void AddDistinctAvx512(absl::Span<const uint64_t> values, DistinctBuckets* buckets);

// The number of distinct values, as CountDistinct counts them, or nullopt
// when a bucket overflows. `table` is scratch kept between calls.
// REQUIRES: CpuHasAvx512().
std::optional<size_t> CountDistinctAvx512(absl::Span<const uint64_t> values,
                                          std::vector<uint64_t>* table);
#endif

}  // namespace storysift::internal

#endif  // STORYSIFT_SKETCH_COUNT_DISTINCT_H_
