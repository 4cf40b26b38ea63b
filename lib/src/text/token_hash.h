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

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_TOKEN_HASH_H_
