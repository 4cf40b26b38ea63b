// Dedup's word 3-shingle OPH loop (Sketcher::ComputeWord3OnePermutation on
// tokens that carry their shingle hashes, K a power of two) eight shingles
// at a time, for CPUs with AVX-512 (internal::CpuHasAvx512).
#ifndef STORYSIFT_SKETCH_WORD3_BINS_AVX512_H_
#define STORYSIFT_SKETCH_WORD3_BINS_AVX512_H_

#include <cstddef>
#include <cstdint>

#include "storysift/normalize.h"
#include "text/xxh3_avx512.h"

namespace storysift::internal {

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
// Adds the shingles of the first windows of tokens[0, n) to the 2^(64 -
// bin_shift) bins and writes them to shingles[0, ...) as the scalar loop
// would (WordShingleHash3, AddToBinsByShift), eight at a time, and returns
// how many it did: a multiple of 8, leaving the last 6-13 shingles (all of
// them when n < 16) to the scalar loop, which continues at tokens + done.
// REQUIRES: CpuHasAvx512().
size_t HashedTokensToBinsAvx512(const Token* tokens, size_t n, uint64_t shingle_seed,
                                uint64_t minhash_seed, int bin_shift, uint64_t* bins,
                                uint64_t* shingles);

// The same from the token hashes themselves (hashes[0, n), e.g.
// NormalizedText::lookalike_hashes).
size_t HashesToBinsAvx512(const uint64_t* hashes, size_t n, uint64_t shingle_seed,
                          uint64_t minhash_seed, int bin_shift, uint64_t* bins,
                          uint64_t* shingles);
#endif

}  // namespace storysift::internal

#endif  // STORYSIFT_SKETCH_WORD3_BINS_AVX512_H_
