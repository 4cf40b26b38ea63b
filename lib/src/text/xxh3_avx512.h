// XXH3's short-input steps on eight 64-bit lanes (AVX-512), the same values
// as xxHash's scalar forms lane by lane, for the kernels that hash eight
// tokens or shingles at once on CPUs that have AVX-512 (CpuHasAvx512).
// Every function carries the AVX-512 target, so it can only be inlined into
// a function of that target; nothing here runs on other CPUs.
#ifndef STORYSIFT_TEXT_XXH3_AVX512_H_
#define STORYSIFT_TEXT_XXH3_AVX512_H_

#if defined(__x86_64__) && defined(__GNUC__)
#define STORYSIFT_HAVE_AVX512_KERNELS 1

// GCC 12's AVX-512 intrinsics pass _mm512_undefined_epi32() as the merge
// source of unmasked forms, which -W(maybe-)uninitialized reports once they
// are inlined (GCC bug 105593, fixed in 12.3).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <cstdint>

#include "text/token_hash.h"  // xxHash's constants (XXH_INLINE_ALL).

// The instruction sets of the AVX-512 kernels: the AVX2 + BMI2 build's, with
// AVX-512 F/DQ (vpmullq), BW, VL, VBMI (vpermb) and VBMI2 (vpcompressb).
#define STORYSIFT_AVX512_TARGET \
  "avx2,bmi,bmi2,popcnt,lzcnt,avx512f,avx512dq,avx512bw,avx512vl,avx512vbmi,avx512vbmi2"
#define STORYSIFT_AVX512_INLINE \
  [[gnu::always_inline]] inline __attribute__((target(STORYSIFT_AVX512_TARGET)))

namespace storysift::internal {

STORYSIFT_AVX512_INLINE __m512i Set1(uint64_t v) {
  return _mm512_set1_epi64(static_cast<long long>(v));
}

// h ^ (h >> shift), XXH_xorshift64.
STORYSIFT_AVX512_INLINE __m512i XorShift8(__m512i h, unsigned shift) {
  return _mm512_xor_si512(h, _mm512_srli_epi64(h, shift));
}

// XXH3_mul128_fold64 on each lane: the 128-bit product of x and y from four
// 32 x 32-bit products (vpmuludq; AVX-512 has no 64 x 64 -> 128 multiply),
// as xxHash's portable XXH_mult64to128, its halves XORed.
STORYSIFT_AVX512_INLINE __m512i Mul128Fold64x8(__m512i x, __m512i y) {
  const __m512i low32 = Set1(0xFFFFFFFFull);
  const __m512i x_hi = _mm512_srli_epi64(x, 32);
  const __m512i y_hi = _mm512_srli_epi64(y, 32);
  const __m512i lo_lo = _mm512_mul_epu32(x, y);
  const __m512i hi_lo = _mm512_mul_epu32(x_hi, y);
  const __m512i lo_hi = _mm512_mul_epu32(x, y_hi);
  const __m512i hi_hi = _mm512_mul_epu32(x_hi, y_hi);
  const __m512i cross = _mm512_add_epi64(
      _mm512_add_epi64(_mm512_srli_epi64(lo_lo, 32), _mm512_and_si512(hi_lo, low32)), lo_hi);
  const __m512i upper = _mm512_add_epi64(
      _mm512_add_epi64(_mm512_srli_epi64(hi_lo, 32), _mm512_srli_epi64(cross, 32)), hi_hi);
  // lower = cross << 32 | lo_lo's low half: the odd 32-bit words from cross.
  const __m512i lower = _mm512_mask_blend_epi32(0xAAAA, lo_lo, _mm512_slli_epi64(cross, 32));
  return _mm512_xor_si512(lower, upper);
}

// XXH3_avalanche.
STORYSIFT_AVX512_INLINE __m512i Xxh3Avalanche8(__m512i h) {
  h = XorShift8(h, 37);
  h = _mm512_mullo_epi64(h, Set1(0x165667919E3779F9ull));
  return XorShift8(h, 32);
}

// XXH64_avalanche (XXH3's 1-3 byte form ends with it).
STORYSIFT_AVX512_INLINE __m512i Xxh64Avalanche8(__m512i h) {
  h = XorShift8(h, 33);
  h = _mm512_mullo_epi64(h, Set1(XXH_PRIME64_2));
  h = XorShift8(h, 29);
  h = _mm512_mullo_epi64(h, Set1(XXH_PRIME64_3));
  return XorShift8(h, 32);
}

// XXH3_rrmxmx (XXH3's 4-8 byte form ends with it).
STORYSIFT_AVX512_INLINE __m512i Rrmxmx8(__m512i h, __m512i len) {
  const __m512i kMul = Set1(0x9FB21C651E98DF25ull);
  h = _mm512_ternarylogic_epi64(h, _mm512_rol_epi64(h, 49), _mm512_rol_epi64(h, 24), 0x96);
  h = _mm512_mullo_epi64(h, kMul);
  h = _mm512_xor_si512(h, _mm512_add_epi64(_mm512_srli_epi64(h, 35), len));
  h = _mm512_mullo_epi64(h, kMul);
  return XorShift8(h, 28);
}

}  // namespace storysift::internal

#endif  // __x86_64__ && __GNUC__

#endif  // STORYSIFT_TEXT_XXH3_AVX512_H_
