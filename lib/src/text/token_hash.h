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
// call per token spilled the tokenizer's registers; XXH3's 0-16 byte form
// inlines (a few multiplies).
[[gnu::always_inline]] inline uint64_t TokenHash(const char* p, size_t len) {
  if (len <= 16) {
    return XXH3_len_0to16_64b(reinterpret_cast<const xxh_u8*>(p), len, XXH3_kSecret,
                              kTokenHashSeed);
  }
  return XXH3_64bits_withSeed(p, len, kTokenHashSeed);
}

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_TOKEN_HASH_H_
