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

// PaddedTokenHash of eight words of 1-3 bytes (lanes of other lengths hold
// garbage): `first` holds each word's bytes 0-7, bytes past the word
// arbitrary; `len` the lengths. XXH3's 1-3 byte form: {c3, len, c1, c2}
// from bytes 0, len / 2 and len - 1.
STORYSIFT_AVX512_INLINE __m512i Hash1To3x8(__m512i first, __m512i len, const ShortFormKeys& keys) {
  const __m512i byte = Set1(0xFF);
  const __m512i c1 = _mm512_and_si512(first, byte);
  const __m512i c2 = _mm512_and_si512(
      _mm512_srlv_epi64(first, _mm512_slli_epi64(_mm512_srli_epi64(len, 1), 3)), byte);
  const __m512i c3 = _mm512_and_si512(
      _mm512_srlv_epi64(first, _mm512_sub_epi64(_mm512_slli_epi64(len, 3), Set1(8))), byte);
  const __m512i combined = _mm512_or_si512(
      _mm512_or_si512(_mm512_slli_epi64(c1, 16), _mm512_slli_epi64(c2, 24)),
      _mm512_or_si512(c3, _mm512_slli_epi64(len, 8)));
  return Xxh64Avalanche8(_mm512_xor_si512(combined, Set1(keys.len1to3)));
}

// The same for words of 4-8 bytes: the first four bytes over the last four.
STORYSIFT_AVX512_INLINE __m512i Hash4To8x8(__m512i first, __m512i len, const ShortFormKeys& keys) {
  const __m512i last4 =
      _mm512_and_si512(_mm512_srlv_epi64(first, _mm512_sub_epi64(_mm512_slli_epi64(len, 3), Set1(32))),
                       Set1(0xFFFFFFFFull));
  const __m512i input64 = _mm512_add_epi64(last4, _mm512_slli_epi64(first, 32));
  return Rrmxmx8(_mm512_xor_si512(input64, Set1(keys.len4to8)), len);
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

// The words of a block by XXH3 form: 1-3, 4-8 and 9-16 bytes. Each class
// is hashed in batches of its own, so a batch computes one form, not every
// form its lanes might need (a block closes ~10 words: two mixed batches
// computed both short forms and mostly the 9-16 byte one too).
enum WordClass { kWords1To3, kWords4To8, kWords9To16, kWordClasses };

// A block's lane hashes: word k's hash is hash[slot[k]] (class c's words
// fill hash[c * kMaxBlockWords ...] in order). Words past kMaxLaneWordBytes
// have no hash here: the caller hashes those itself.
struct BlockHashes {
  alignas(64) uint64_t hash[kWordClasses * kMaxBlockWords];
  alignas(64) uint8_t slot[64];
};

// The block's word offsets and lengths (byte k for the k-th word that
// starts at a set bit of `starts` and ends at the k-th set bit of `ends`).
struct BlockWords {
  __m512i starts;
  __m512i lens;
};

STORYSIFT_AVX512_INLINE __m512i ByteRamp() {
  return _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46,
                         45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28,
                         27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9,
                         8, 7, 6, 5, 4, 3, 2, 1, 0);
}

STORYSIFT_AVX512_INLINE BlockWords BlockWordsOf(uint64_t starts, uint64_t ends) {
  const __m512i offsets = ByteRamp();
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

// PaddedTokenHash of class `kClass` lanes: `at` and `len` from BatchLanes,
// `bytes` the block (vpermb reads an index mod 64: bytes past the block are
// past the word).
template <int kClass>
STORYSIFT_AVX512_INLINE __m512i HashClassLanes(__m512i bytes, __m512i at, __m512i len,
                                              const ShortFormKeys& keys) {
  const __m512i first = _mm512_permutexvar_epi8(at, bytes);
  if constexpr (kClass == kWords1To3) return Hash1To3x8(first, len, keys);
  if constexpr (kClass == kWords4To8) return Hash4To8x8(first, len, keys);
  const __m512i second = _mm512_permutexvar_epi8(_mm512_add_epi8(at, _mm512_set1_epi8(8)), bytes);
  return Hash9To16x8(first, second, len, keys);
}

// Hashes the words of class kClass (`mask` over the word indexes) from each
// of the kSources blocks `bytes` into hashes[s] (each a BlockHashes::hash).
template <int kClass, int kSources>
STORYSIFT_AVX512_INLINE void HashClass(const BlockWords& words, __mmask64 mask,
                                       const __m512i (&bytes)[kSources],
                                       uint64_t* const (&hashes)[kSources],
                                       const ShortFormKeys& keys) {
  const BlockWords picked = {_mm512_maskz_compress_epi8(mask, words.starts),
                             _mm512_maskz_compress_epi8(mask, words.lens)};
  const size_t count = static_cast<size_t>(__builtin_popcountll(mask));
  for (size_t batch = 0; batch < count; batch += 8) {
    __m512i at, len;
    BatchLanes(picked, batch, &at, &len);
    for (int s = 0; s < kSources; ++s) {
      _mm512_storeu_si512(hashes[s] + kClass * kMaxBlockWords + batch,
                          HashClassLanes<kClass>(bytes[s], at, len, keys));
    }
  }
}

// The words of `starts`/`ends` (`count` of them) by class, their slots
// stored to `slot`, each class hashed from every source.
template <int kSources>
STORYSIFT_AVX512_INLINE void HashBlockWordsByClass(uint64_t starts, uint64_t ends, size_t count,
                                                   const __m512i (&bytes)[kSources],
                                                   uint64_t* const (&hashes)[kSources],
                                                   uint8_t* slot) {
  const ShortFormKeys keys = TokenHashKeys();  // Constants once inlined.
  const BlockWords words = BlockWordsOf(starts, ends);
  const __mmask64 valid = count >= 64 ? ~__mmask64{0} : (__mmask64{1} << count) - 1;
  const __mmask64 short_words = _mm512_mask_cmplt_epu8_mask(valid, words.lens, _mm512_set1_epi8(4));
  const __mmask64 up_to_8 = _mm512_mask_cmplt_epu8_mask(valid, words.lens, _mm512_set1_epi8(9));
  const __mmask64 up_to_16 = _mm512_mask_cmplt_epu8_mask(
      valid, words.lens, _mm512_set1_epi8(static_cast<char>(kMaxLaneWordBytes + 1)));
  const __mmask64 mid_words = up_to_8 & ~short_words;
  const __mmask64 long_words = up_to_16 & ~up_to_8;
  // Word k's slot: its class's base plus its rank in the class.
  const __m512i ramp = ByteRamp();
  __m512i slots = _mm512_maskz_expand_epi8(short_words, ramp);
  slots = _mm512_mask_expand_epi8(
      slots, mid_words, _mm512_add_epi8(ramp, _mm512_set1_epi8(kWords4To8 * kMaxBlockWords)));
  slots = _mm512_mask_expand_epi8(
      slots, long_words, _mm512_add_epi8(ramp, _mm512_set1_epi8(kWords9To16 * kMaxBlockWords)));
  _mm512_store_si512(slot, slots);
  HashClass<kWords1To3>(words, short_words, bytes, hashes, keys);
  HashClass<kWords4To8>(words, mid_words, bytes, hashes, keys);
  if (long_words != 0) HashClass<kWords9To16>(words, long_words, bytes, hashes, keys);
}

// Fills *out with the PaddedTokenHash of the k-th word of `block` (64
// bytes, the look-alike mapped text) that starts at a set bit of `starts`
// and ends (exclusive) at the k-th set bit of `ends`, for k < `count`
// words: out->hash[out->slot[k]]. Words longer than kMaxLaneWordBytes get
// none: the caller hashes those itself.
//
// Not always_inline: the tokenizer's template body has no AVX-512 target
// until it is inlined into the AVX-512 build (GCC refuses to force it).
inline __attribute__((target(STORYSIFT_AVX512_TARGET))) void HashBlockWordsAvx512(
    const char* block, uint64_t starts, uint64_t ends, size_t count, BlockHashes* out) {
  const __m512i bytes[1] = {_mm512_loadu_si512(block)};
  uint64_t* const hashes[1] = {out->hash};
  HashBlockWordsByClass<1>(starts, ends, count, bytes, hashes, out->slot);
}

// HashBlockWordsAvx512 for the AVX-512 terms tokenizer, from the clean
// text's block: to folded the hash of each word lowercased (the folded
// word), to lookalike that of its look-alike mapped form
// (LookalikeTokenHash), both at folded->slot[k] (lookalike's slots are not
// written). Letters are lowercased by OR 0x20 (digits keep their bytes),
// the map applied by one two-table byte permute (vpermi2b: word bytes are
// ASCII, below 128).
inline __attribute__((target(STORYSIFT_AVX512_TARGET))) void HashBlockWordsTwiceAvx512(
    const unsigned char* block, uint64_t starts, uint64_t ends, size_t count, BlockHashes* folded,
    BlockHashes* lookalike) {
  const __m512i lower = _mm512_or_si512(_mm512_loadu_si512(block), _mm512_set1_epi8(0x20));
  const __m512i map_low = _mm512_loadu_si512(kLookalikeByte.data());
  const __m512i map_high = _mm512_loadu_si512(kLookalikeByte.data() + 64);
  const __m512i bytes[2] = {lower, _mm512_permutex2var_epi8(map_low, lower, map_high)};
  uint64_t* const hashes[2] = {folded->hash, lookalike->hash};
  HashBlockWordsByClass<2>(starts, ends, count, bytes, hashes, folded->slot);
}

#endif  // STORYSIFT_HAVE_AVX512_KERNELS

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_BLOCK_HASH_AVX512_H_
