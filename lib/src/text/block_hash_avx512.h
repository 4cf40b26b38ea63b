// The look-alike block scan's word hashes eight at a time (AVX-512), for
// the AVX-512 build of dedup's tokenizer: PaddedTokenHash of every word
// that starts and ends inside a 64-byte block, from the block's bytes in
// one register (no gathers: vpermb picks each word's bytes).
#ifndef STORYSIFT_TEXT_BLOCK_HASH_AVX512_H_
#define STORYSIFT_TEXT_BLOCK_HASH_AVX512_H_

#include <cstddef>
#include <cstdint>

#include "text/ascii_block.h"  // kMaxBlockWords
#include "text/lookalike.h"    // kLookalikeByte
#include "text/xxh3_avx512.h"

namespace storysift::internal {

// Longer words get the scalar hash (XXH3's 17+ byte forms); 9-16 byte
// words, about one in ten, are hashed in the lanes.
inline constexpr uint64_t kMaxLaneWordBytes = 16;

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)

// The seed-dependent constants of XXH3's 1-3, 4-8 and 9-16 byte forms for
// kTokenHashSeed, as the scalar forms compute them.
struct ShortFormKeys {
  uint64_t len1to3;
  uint64_t len4to8;
  uint64_t len9to16_lo;
  uint64_t len9to16_hi;
};

inline ShortFormKeys TokenHashKeys() {
  const xxh_u8* secret = XXH3_kSecret;
  const uint64_t seed = kTokenHashSeed;
  const uint64_t seed4to8 = seed ^ (uint64_t{XXH_swap32(static_cast<uint32_t>(seed))} << 32);
  return {(uint64_t{XXH_readLE32(secret)} ^ XXH_readLE32(secret + 4)) + seed,
          (XXH_readLE64(secret + 8) ^ XXH_readLE64(secret + 16)) - seed4to8,
          (XXH_readLE64(secret + 24) ^ XXH_readLE64(secret + 32)) + seed,
          (XXH_readLE64(secret + 40) ^ XXH_readLE64(secret + 48)) - seed};
}

// PaddedTokenHash of eight words of 1-8 bytes (lanes of other lengths hold
// garbage): `first` holds each word's bytes 0-7, bytes past the word
// arbitrary; `len` the lengths. Both of XXH3's short forms are computed, as
// XXH3 does them, and the one of each lane's length kept.
STORYSIFT_AVX512_INLINE __m512i Hash1To8x8(__m512i first, __m512i len, const ShortFormKeys& keys) {
  const __m512i byte = Set1(0xFF);
  const __m512i bits = _mm512_slli_epi64(len, 3);
  // 1-3 bytes: {c3, len, c1, c2} from bytes 0, len / 2 and len - 1.
  const __m512i c1 = _mm512_and_si512(first, byte);
  const __m512i c2 = _mm512_and_si512(
      _mm512_srlv_epi64(first, _mm512_slli_epi64(_mm512_srli_epi64(len, 1), 3)), byte);
  const __m512i c3 =
      _mm512_and_si512(_mm512_srlv_epi64(first, _mm512_sub_epi64(bits, Set1(8))), byte);
  const __m512i combined = _mm512_or_si512(
      _mm512_or_si512(_mm512_slli_epi64(c1, 16), _mm512_slli_epi64(c2, 24)),
      _mm512_or_si512(c3, _mm512_slli_epi64(len, 8)));
  const __m512i h3 = Xxh64Avalanche8(_mm512_xor_si512(combined, Set1(keys.len1to3)));
  // 4-8 bytes: the first four bytes over the last four.
  const __m512i last4 = _mm512_and_si512(
      _mm512_srlv_epi64(first, _mm512_sub_epi64(bits, Set1(32))), Set1(0xFFFFFFFFull));
  const __m512i input64 = _mm512_add_epi64(last4, _mm512_slli_epi64(first, 32));
  const __m512i h8 = Rrmxmx8(_mm512_xor_si512(input64, Set1(keys.len4to8)), len);
  return _mm512_mask_blend_epi64(_mm512_cmplt_epu64_mask(len, Set1(4)), h8, h3);
}

// The same for words of 9-16 bytes, `second` holding bytes 8-15: the first
// eight and the last eight (shifted together from both halves, as
// PaddedTokenHash does; a shift by 64 gives 0 in a lane).
STORYSIFT_AVX512_INLINE __m512i Hash9To16x8(__m512i first, __m512i second, __m512i len,
                                           const ShortFormKeys& keys) {
  const __m512i tail_bits = _mm512_sub_epi64(_mm512_slli_epi64(len, 3), Set1(64));
  const __m512i last8 =
      _mm512_or_si512(_mm512_srlv_epi64(first, tail_bits),
                      _mm512_sllv_epi64(second, _mm512_sub_epi64(Set1(64), tail_bits)));
  const __m512i input_lo = _mm512_xor_si512(first, Set1(keys.len9to16_lo));
  const __m512i input_hi = _mm512_xor_si512(last8, Set1(keys.len9to16_hi));
  const __m512i swap_bytes = _mm512_set_epi64(0x08090A0B0C0D0E0Full, 0x0001020304050607ull,
                                              0x08090A0B0C0D0E0Full, 0x0001020304050607ull,
                                              0x08090A0B0C0D0E0Full, 0x0001020304050607ull,
                                              0x08090A0B0C0D0E0Full, 0x0001020304050607ull);
  const __m512i acc = _mm512_add_epi64(
      _mm512_add_epi64(len, _mm512_shuffle_epi8(input_lo, swap_bytes)),
      _mm512_add_epi64(input_hi, Mul128Fold64x8(input_lo, input_hi)));
  return Xxh3Avalanche8(acc);
}

// PaddedTokenHash of the eight words of `bytes` (a 64-byte block) at byte
// offsets `at` (each lane's bytes counting up from its word's start) and of
// lengths `len`; lanes of words past kMaxLaneWordBytes hold garbage.
STORYSIFT_AVX512_INLINE __m512i HashPickedWords(__m512i bytes, __m512i at, __m512i len,
                                               const ShortFormKeys& keys) {
  // vpermb reads an index mod 64: bytes past the block are past the word.
  const __m512i first = _mm512_permutexvar_epi8(at, bytes);
  __m512i hash = Hash1To8x8(first, len, keys);
  // Most batches of a block's last few words have no 9-16 byte word.
  const __mmask8 long_words = _mm512_cmpgt_epu64_mask(len, Set1(8));
  if (long_words != 0) {
    const __m512i second =
        _mm512_permutexvar_epi8(_mm512_add_epi8(at, _mm512_set1_epi8(8)), bytes);
    hash = _mm512_mask_blend_epi64(long_words, hash, Hash9To16x8(first, second, len, keys));
  }
  return hash;
}

// The block's word offsets and lengths (byte k for the k-th word that
// starts at a set bit of `starts` and ends at the k-th set bit of `ends`),
// and the per-batch spreading of them into 64-bit lanes.
struct BlockWords {
  __m512i starts;
  __m512i lens;
};

STORYSIFT_AVX512_INLINE BlockWords BlockWordsOf(uint64_t starts, uint64_t ends) {
  const __m512i offsets = _mm512_set_epi8(
      63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41,
      40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18,
      17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i word_starts = _mm512_maskz_compress_epi8(starts, offsets);
  return {word_starts, _mm512_sub_epi8(_mm512_maskz_compress_epi8(ends, offsets), word_starts)};
}

// Lane j of batch `batch` (words batch..batch+7): its word's byte offsets
// counting up from the start, and its length.
STORYSIFT_AVX512_INLINE void BatchLanes(const BlockWords& words, size_t batch, __m512i* at,
                                        __m512i* len) {
  // Each 64-bit lane j repeats byte j of a batch, then counts 0..7 up.
  const __m512i spread = _mm512_set_epi64(
      0x0707070707070707ll, 0x0606060606060606ll, 0x0505050505050505ll, 0x0404040404040404ll,
      0x0303030303030303ll, 0x0202020202020202ll, 0x0101010101010101ll, 0);
  const __m512i pick = _mm512_add_epi8(spread, _mm512_set1_epi8(static_cast<char>(batch)));
  *at = _mm512_add_epi8(_mm512_permutexvar_epi8(pick, words.starts),
                        Set1(0x0706050403020100ull));
  *len = _mm512_and_si512(_mm512_permutexvar_epi8(pick, words.lens), Set1(0xFF));
}

// Writes to hashes[k] the PaddedTokenHash of the k-th word of `block` (64
// bytes, the look-alike mapped text) that starts at a set bit of `starts`
// and ends (exclusive) at the k-th set bit of `ends`, for k < `count` words,
// in batches of eight (hashes has room for kMaxBlockWords). Words longer
// than kMaxLaneWordBytes get garbage: the caller hashes those itself.
//
// Not always_inline: the tokenizer's template body has no AVX-512 target
// until it is inlined into the AVX-512 build (GCC refuses to force it).
inline __attribute__((target(STORYSIFT_AVX512_TARGET))) void HashBlockWordsAvx512(const char* block, uint64_t starts,
                                                  uint64_t ends, size_t count,
                                                  uint64_t* hashes) {
  const ShortFormKeys keys = TokenHashKeys();  // Constants once inlined.
  const BlockWords words = BlockWordsOf(starts, ends);
  const __m512i bytes = _mm512_loadu_si512(block);
  for (size_t batch = 0; batch < count; batch += 8) {
    __m512i at, len;
    BatchLanes(words, batch, &at, &len);
    _mm512_storeu_si512(hashes + batch, HashPickedWords(bytes, at, len, keys));
  }
}

// HashBlockWordsAvx512 for the AVX-512 terms tokenizer, from the clean
// text's block: to folded[k] the hash of the k-th word lowercased (the
// folded word), to lookalike[k] that of its look-alike mapped form
// (LookalikeTokenHash), both from the same lanes' offsets. Letters are
// lowercased by OR 0x20 (digits keep their bytes), the map applied by one
// two-table byte permute (vpermi2b: word bytes are ASCII, below 128).
inline __attribute__((target(STORYSIFT_AVX512_TARGET))) void HashBlockWordsTwiceAvx512(
    const unsigned char* block, uint64_t starts, uint64_t ends, size_t count, uint64_t* folded,
    uint64_t* lookalike) {
  const ShortFormKeys keys = TokenHashKeys();
  const BlockWords words = BlockWordsOf(starts, ends);
  const __m512i lower = _mm512_or_si512(_mm512_loadu_si512(block), _mm512_set1_epi8(0x20));
  const __m512i map_low = _mm512_loadu_si512(kLookalikeByte.data());
  const __m512i map_high = _mm512_loadu_si512(kLookalikeByte.data() + 64);
  const __m512i mapped = _mm512_permutex2var_epi8(map_low, lower, map_high);
  for (size_t batch = 0; batch < count; batch += 8) {
    __m512i at, len;
    BatchLanes(words, batch, &at, &len);
    _mm512_storeu_si512(folded + batch, HashPickedWords(lower, at, len, keys));
    _mm512_storeu_si512(lookalike + batch, HashPickedWords(mapped, at, len, keys));
  }
}

#endif  // STORYSIFT_HAVE_AVX512_KERNELS

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_BLOCK_HASH_AVX512_H_
