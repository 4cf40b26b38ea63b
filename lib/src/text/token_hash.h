// The token hash, inlined for the short words that are nearly all tokens.
#ifndef STORYSIFT_TEXT_TOKEN_HASH_H_
#define STORYSIFT_TEXT_TOKEN_HASH_H_

#include <cstddef>
#include <cstdint>

#include "storysift/normalize.h"
#define XXH_INLINE_ALL
#include "xxhash.h"

namespace storysift::internal {

// XXH3_64bits_withSeed(p, len, kTokenHashSeed), the same value (unit-tested
// at every length). The library entry point is too large to inline, and a
// call per token spilled the tokenizer's registers; XXH3's 0-16 byte forms
// inline (a few multiplies). Words of 1-8 bytes, most tokens, get both the
// 1-3 and the 4-8 byte form and a select: which of the two applies is close
// to random in running text, and the branch mispredicted on many tokens
// (computing the 9-16 byte form as well cost more than it saved). The short
// forms are xxHash's own (XXH_INLINE_ALL exposes them): a release that
// renamed them would break the build, not the values.
[[gnu::always_inline]] inline uint64_t TokenHash(const char* p, size_t len) {
  const auto* in = reinterpret_cast<const xxh_u8*>(p);
  if (len - 1 < 8) {
    // The 4-8 byte form reads 4 bytes: a shorter word points it at zeros
    // (its result is then discarded), so no read passes the word's end.
    static constexpr xxh_u8 kZeros[4] = {};
    const xxh_u8* in8 = len < 4 ? kZeros : in;
    const uint64_t h3 = XXH3_len_1to3_64b(in, len < 3 ? len : 3, XXH3_kSecret, kTokenHashSeed);
    const uint64_t h8 = XXH3_len_4to8_64b(in8, len < 4 ? 4 : len, XXH3_kSecret, kTokenHashSeed);
    return len < 4 ? h3 : h8;
  }
  if (len <= 16) {
    return XXH3_len_0to16_64b(in, len, XXH3_kSecret, kTokenHashSeed);
  }
  return XXH3_64bits_withSeed(p, len, kTokenHashSeed);
}

// TokenHash(p, len), the same value, for a word followed by at least
// 16 - len readable bytes (the tokenizer's folded buffer keeps that slack).
// The tokenizer has just written the word with 16-byte stores; XXH3's 9-16
// byte form reads the word's last 8 bytes at an offset of 1-7 within such a
// store, a load the CPU cannot forward from it (it waits for the store to
// reach the cache: the tokenizer's largest hot spot). Here both 8-byte
// halves are read at offsets 0 and 8 and the last 8 bytes shifted together.
//
// A 1-8 byte word gets both short forms, as in TokenHash, and a select GCC
// cannot turn back into a branch (it computed each form only on its own
// side of one, and that branch mispredicted on about every other short
// word: cachegrind counted 0.73 M of a 3k-document run's 3.4 M mispredicts
// there); a 1-3 byte word's 4-8 byte form (discarded) reads the padding.
// Dedup's tokenizer took 12-20 % fewer samples with it; the terms
// tokenizer, where the stop-word probe waits on the hash, 63 % fewer
// mispredicts and a lower task-clock in 34 of 55 alternated 3k runs on
// session 11's Xeon VM (on session 4's EPYC it had taken 15 % more samples
// there, so that tokenizer kept the branch until then).
[[gnu::always_inline]] inline uint64_t PaddedTokenHash(const char* p, size_t len) {
  const auto* in = reinterpret_cast<const xxh_u8*>(p);
  if (len - 1 < 8) {
    uint64_t h3 = XXH3_len_1to3_64b(in, len < 3 ? len : 3, XXH3_kSecret, kTokenHashSeed);
    uint64_t h8 = XXH3_len_4to8_64b(in, len < 4 ? 4 : len, XXH3_kSecret, kTokenHashSeed);
    asm("" : "+r"(h3), "+r"(h8));  // Both are computed before the select.
    const uint64_t short_word = uint64_t{0} - static_cast<uint64_t>(len < 4);
    return h8 ^ ((h3 ^ h8) & short_word);
  }
  if (len - 9 >= 8) return TokenHash(p, len);
  const uint64_t first = XXH_readLE64(in);
  const uint64_t second = XXH_readLE64(in + 8);
  const unsigned shift = 8 * static_cast<unsigned>(len - 8);  // 8..64 bits.
  const uint64_t last = ((first >> (shift - 1)) >> 1) | (second << (64 - shift));
  // XXH3_len_9to16_64b with `first` and `last` as its two reads.
  const xxh_u8* secret = XXH3_kSecret;
  const uint64_t bitflip1 =
      (XXH_readLE64(secret + 24) ^ XXH_readLE64(secret + 32)) + kTokenHashSeed;
  const uint64_t bitflip2 =
      (XXH_readLE64(secret + 40) ^ XXH_readLE64(secret + 48)) - kTokenHashSeed;
  const uint64_t input_lo = first ^ bitflip1;
  const uint64_t input_hi = last ^ bitflip2;
  const uint64_t acc =
      len + XXH_swap64(input_lo) + input_hi + XXH3_mul128_fold64(input_lo, input_hi);
  return XXH3_avalanche(acc);
}

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_TOKEN_HASH_H_
