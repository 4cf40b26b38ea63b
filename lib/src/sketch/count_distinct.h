// CountDistinct's two kernels: a hash table for any CPU, and buckets of
// eight values compared at once for CPUs with AVX-512
// (internal::CpuHasAvx512), where a new value costs no unpredictable branch.
#ifndef STORYSIFT_SKETCH_COUNT_DISTINCT_H_
#define STORYSIFT_SKETCH_COUNT_DISTINCT_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "text/xxh3_avx512.h"

namespace storysift::internal {

// The number of distinct values by open addressing in `table` (scratch
// kept between calls): CountDistinct on every CPU.
size_t CountDistinctTable(absl::Span<const uint64_t> values, std::vector<uint64_t>* table);

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
// The number of distinct values, as CountDistinctTable counts them.
// `table` is scratch kept between calls. REQUIRES: CpuHasAvx512().
size_t CountDistinctAvx512(absl::Span<const uint64_t> values, std::vector<uint64_t>* table);
#endif

}  // namespace storysift::internal

#endif  // STORYSIFT_SKETCH_COUNT_DISTINCT_H_
