// Skipping the zero products keeps the sum bit-identical: the sum starts at
// +0.0f, x + (+/-0) == x for every x != 0, and +0 + (+/-0) == +0, so a zero
// product never changes it (nor can the sum become -0). The vector kernel
// only multiplies (the same IEEE single products as the scalar loop) and
// adds loaded values one at a time, so nothing can be contracted into an FMA.
#include "cluster/dense_dot.h"

#include <immintrin.h>

namespace storysift::internal {
namespace {

constexpr size_t kLanes = 16;
// Terms whose nonzero products are gathered before they are summed: one
// predictable loop per chunk instead of a short, varying one per 16 terms.
constexpr size_t kChunkTerms = 512;

[[gnu::target("avx512f"), gnu::optimize("fp-contract=off")]] float DenseDotAvx512(
    const float* dense, const uint32_t* ids, const float* weights, size_t n) {
  // A full vector is stored at the fill mark (a compressing store to memory
  // is slow on some CPUs), so the buffer has a vector's slack.
  alignas(64) float shared[kChunkTerms + kLanes];
  float sum = 0.0f;
  const __m512 zero = _mm512_setzero_ps();
  for (size_t chunk = 0; chunk < n; chunk += kChunkTerms) {
    const size_t end = n - chunk < kChunkTerms ? n : chunk + kChunkTerms;
    size_t count = 0;
    for (size_t k = chunk; k < end; k += kLanes) {
      const size_t left = end - k;
      const __mmask16 lanes =
          left >= kLanes ? __mmask16{0xFFFF} : static_cast<__mmask16>((1u << left) - 1);
      const __m512i idx = _mm512_maskz_loadu_epi32(lanes, ids + k);
      const __m512 a = _mm512_mask_i32gather_ps(zero, lanes, idx, dense, sizeof(float));
      const __m512 b = _mm512_maskz_loadu_ps(lanes, weights + k);
      const __m512 products = _mm512_mul_ps(a, b);
      const __mmask16 nonzero = _mm512_mask_cmp_ps_mask(lanes, products, zero, _CMP_NEQ_UQ);
      _mm512_storeu_ps(shared + count, _mm512_maskz_compress_ps(nonzero, products));
      count += static_cast<size_t>(__builtin_popcount(nonzero));
    }
    for (size_t s = 0; s < count; ++s) sum += shared[s];
  }
  return sum;
}

}  // namespace

float DenseDotScalar(const float* dense, const uint32_t* ids, const float* weights, size_t n) {
  float sum = 0.0f;
  for (size_t k = 0; k < n; ++k) sum += dense[ids[k]] * weights[k];
  return sum;
}

DenseDotFn ResolveDenseDot() {
  static const DenseDotFn kBest =
      __builtin_cpu_supports("avx512f") ? &DenseDotAvx512 : &DenseDotScalar;
  return kBest;
}

}  // namespace storysift::internal
