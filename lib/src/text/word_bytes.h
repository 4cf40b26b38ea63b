// The tokenizer's word-level helpers: an ASCII word's lowercased copy (16
// bytes a step) and the look-alike hash of a folded word. Internal to the
// tokenizer's scan (tokenize_impl.h).
#ifndef STORYSIFT_TEXT_WORD_BYTES_H_
#define STORYSIFT_TEXT_WORD_BYTES_H_

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/ascii_block.h"
#include "text/fold.h"
#include "text/lookalike.h"
#include "text/token_hash.h"
#include "text/utf8.h"

namespace storysift::internal {

#if defined(__SSE2__)
// Word bytes lowercased (OR 0x20 lowercases letters and leaves digits); the
// other bytes come out changed, so only a word's own bytes may be kept.
inline __m128i LowerWordBytes(__m128i v) { return _mm_or_si128(v, _mm_set1_epi8(0x20)); }

// Copies `len` bytes of an ASCII word, lowercased, 16 at a time. Reads and
// writes up to 15 bytes past the word.
inline void CopyLowerWord(const unsigned char* from, size_t len, char* to) {
  size_t k = 0;
  do {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + k));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to + k), LowerWordBytes(v));
    k += 16;
  } while (k < len);
}
#endif  // __SSE2__

// Copies the run of ASCII letters and digits at p (up to `end`) to `out`,
// lowercased, and returns its length (only the length when !kCopy). Most
// tokens are shorter than 16 bytes, so one vector step finds the whole word:
// the byte loop mispredicted its exit on every token. May write up to 16
// bytes past the run when p + 16 <= end; the caller keeps that much slack.
template <bool kCopy>
inline size_t CopyLowerWordRun(const unsigned char* p, const unsigned char* end, char* out) {
  size_t run = 0;
#if defined(__SSE2__)
  while (end - (p + run) >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + run));
    if (kCopy) _mm_storeu_si128(reinterpret_cast<__m128i*>(out + run), LowerWordBytes(v));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(WordBytes(v)));
    if (mask != 0xFFFF) return run + static_cast<size_t>(__builtin_ctz(~mask));
    run += 16;
  }
#endif
  while (p + run < end && kAsciiWordByte[p[run]]) {
    if (kCopy) out[run] = static_cast<char>(kAsciiLower[p[run]]);
    ++run;
  }
  return run;
}

// LookalikeTokenHash of the folded word p[0, len), followed by at least
// kFoldedSlack readable bytes: a word of up to 16 bytes is mapped in one
// vector step (FoldAndHash's byte loop took 1.6 % of cluster's samples for
// the words off the AVX-512 build's lanes). The map keeps non-ASCII bytes.
inline uint64_t LookalikeHashOfFolded(const char* p, size_t len) {
#if defined(__SSE2__)
  if (len <= 16) {
    alignas(16) char mapped[32];
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_store_si128(reinterpret_cast<__m128i*>(mapped), MapLookalikes16(v));
    return PaddedTokenHash(mapped, len);  // Reads only the word's bytes.
  }
#endif
  return FoldAndHash(p, len);
}

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_WORD_BYTES_H_
