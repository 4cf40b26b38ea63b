#include "sketch/word3_bins_avx512.h"

#include <algorithm>
#include <cstddef>

#include "sketch/sketch_kernels.h"

namespace storysift::internal {

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
namespace {

static_assert(sizeof(Token) == 32 && offsetof(Token, hash) == 16,
              "LoadHashes8 picks Token::hash out of 64-byte loads by its offset");

// The hashes of tokens[0, 8): four 64-byte loads of two tokens each, the
// hash (third 64-bit word of a token) picked out by two-source permutes. A
// gather is slower on CPUs with Intel's gather data sampling fix.
STORYSIFT_AVX512_INLINE __m512i LoadHashes8(const Token* tokens) {
  const auto* at = reinterpret_cast<const __m512i*>(tokens);
  const __m512i pick = _mm512_setr_epi64(2, 6, 10, 14, 2, 6, 10, 14);
  const __m512i first = _mm512_permutex2var_epi64(_mm512_loadu_si512(at), pick,
                                                  _mm512_loadu_si512(at + 1));
  const __m512i second = _mm512_permutex2var_epi64(_mm512_loadu_si512(at + 2), pick,
                                                   _mm512_loadu_si512(at + 3));
  return _mm512_mask_blend_epi64(0xF0, first, second);
}

// Mix64 (SplitMix64's finalizer) on each lane.
STORYSIFT_AVX512_INLINE __m512i Mix64x8(__m512i z) {
  z = _mm512_mullo_epi64(XorShift8(z, 30), Set1(0xBF58476D1CE4E5B9ull));
  z = _mm512_mullo_epi64(XorShift8(z, 27), Set1(0x94D049BB133111EBull));
  return XorShift8(z, 31);
}

// Eight consecutive hashes of a contiguous array.
STORYSIFT_AVX512_INLINE __m512i LoadHashes8(const uint64_t* hashes) {
  return _mm512_loadu_si512(hashes);
}

// The loop of both entry points: `items` are Tokens or their hashes.
template <typename Item>
STORYSIFT_AVX512_INLINE size_t Word3BinsAvx512(const Item* items, size_t n,
                                               uint64_t shingle_seed, uint64_t minhash_seed,
                                               int bin_shift, uint64_t* bins,
                                               uint64_t* shingles) {
  // WordShingleHash3's keys.
  const xxh_u8* secret = XXH3_kSecret;
  const __m512i key_a = Set1(XXH_readLE64(secret) + shingle_seed);
  const __m512i key_b1 = Set1(XXH_readLE64(secret + 8) - shingle_seed);
  const __m512i key_b2 = Set1(XXH_readLE64(secret + 16) + shingle_seed);
  const __m512i key_c = Set1(XXH_readLE64(secret + 24) - shingle_seed);
  const __m512i acc_init = Set1(24 * XXH_PRIME64_1);
  const __m512i seed = Set1(minhash_seed);
  const __m128i shift = _mm_cvtsi32_si128(bin_shift);
  const __m512i low32 = Set1(0xFFFFFFFFull);
  const __m512i bit32 = Set1(uint64_t{1} << 32);
  size_t i = 0;
  if (n < 16) return 0;
  __m512i a = LoadHashes8(items);
  // Shingles i..i+7 take the hashes of tokens i..i+9.
  for (; i + 16 <= n; i += 8) {
    const __m512i next = LoadHashes8(items + i + 8);
    const __m512i b = _mm512_alignr_epi64(next, a, 1);
    const __m512i c = _mm512_alignr_epi64(next, a, 2);
    __m512i acc = _mm512_add_epi64(
        acc_init, Mul128Fold64x8(_mm512_xor_si512(a, key_a), _mm512_xor_si512(b, key_b1)));
    acc = _mm512_add_epi64(
        acc, Mul128Fold64x8(_mm512_xor_si512(b, key_b2), _mm512_xor_si512(c, key_c)));
    const __m512i shingle = Xxh3Avalanche8(acc);
    _mm512_storeu_si512(shingles + i, shingle);
    // MinIntoBin's bin and value in the lanes, the minima one by one (lanes
    // may share a bin) from memory: GCC took the lanes out of the register
    // one by one (shuffles on the port the hash needs).
    const __m512i g = Mix64x8(_mm512_xor_si512(shingle, seed));
    alignas(64) uint64_t bin[8];
    alignas(64) uint64_t value[8];
    _mm512_store_si512(bin, _mm512_srl_epi64(g, shift));
    _mm512_store_si512(value, _mm512_ternarylogic_epi64(g, low32, bit32, 0xEA));  // g & low | bit
    asm("" : "+m"(bin), "+m"(value));
    for (int k = 0; k < 8; ++k) bins[bin[k]] = std::min(bins[bin[k]], value[k]);
    a = next;
  }
  return i;
}

}  // namespace

__attribute__((target(STORYSIFT_AVX512_TARGET))) size_t HashedTokensToBinsAvx512(
    const Token* tokens, size_t n, uint64_t shingle_seed, uint64_t minhash_seed, int bin_shift,
    uint64_t* bins, uint64_t* shingles) {
  return Word3BinsAvx512(tokens, n, shingle_seed, minhash_seed, bin_shift, bins, shingles);
}

__attribute__((target(STORYSIFT_AVX512_TARGET))) size_t HashesToBinsAvx512(
    const uint64_t* hashes, size_t n, uint64_t shingle_seed, uint64_t minhash_seed,
    int bin_shift, uint64_t* bins, uint64_t* shingles) {
  return Word3BinsAvx512(hashes, n, shingle_seed, minhash_seed, bin_shift, bins, shingles);
}
#endif

}  // namespace storysift::internal
