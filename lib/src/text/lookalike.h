// The OCR look-alike byte map of folded tokens (LookalikeTokenHash in
// storysift/shingle.h), defined once for the sketcher and the tokenizer.
#ifndef STORYSIFT_TEXT_LOOKALIKE_H_
#define STORYSIFT_TEXT_LOOKALIKE_H_

#include <array>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace storysift::internal {

struct LookalikePair {
  char from;
  char to;
};

// The classes {0 o} {1 i l} {2 z} {5 s} {8 b h} {c e} {m n} {u v}: each
// folds to its digit, or else to one letter. No target is itself mapped,
// so the map is idempotent.
inline constexpr LookalikePair kLookalikePairs[] = {
    {'o', '0'}, {'i', '1'}, {'l', '1'}, {'z', '2'}, {'s', '5'},
    {'b', '8'}, {'h', '8'}, {'e', 'c'}, {'m', 'n'}, {'v', 'u'},
};

// The map as a byte table; every other byte (UTF-8 included) is kept.
inline constexpr std::array<uint8_t, 256> kLookalikeByte = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = static_cast<uint8_t>(c);
  for (const LookalikePair& pair : kLookalikePairs) {
    t[static_cast<uint8_t>(pair.from)] = static_cast<uint8_t>(pair.to);
  }
  return t;
}();

// Applies the map to p[0, n) in place.
inline void MapLookalikes(char* p, size_t n) {
  for (size_t j = 0; j < n; ++j) {
    p[j] = static_cast<char>(kLookalikeByte[static_cast<uint8_t>(p[j])]);
  }
}

#if defined(__SSE2__)
// The map on 16 bytes at once (SSE2 has no byte shuffle): each source byte
// is matched and the (disjoint) differences to its target are added.
inline __m128i MapLookalikes16(__m128i v) {
  __m128i delta = _mm_setzero_si128();
  for (const LookalikePair& pair : kLookalikePairs) {
    const __m128i match = _mm_cmpeq_epi8(v, _mm_set1_epi8(pair.from));
    delta = _mm_or_si128(delta, _mm_and_si128(match, _mm_set1_epi8(static_cast<char>(
                                                         pair.to - pair.from))));
  }
  return _mm_add_epi8(v, delta);
}
#endif

// Writes p[0, n) to `to` with ASCII letters lowercased and the map applied,
// 16 bytes at a time (the text's look-alike words in place). Bytes that are
// not ASCII letters or digits may come out changed: read only word bytes.
// The reference for LowerAndMapLookalikes (the same bytes, all of them).
inline void LowerAndMapLookalikesSse2(const uint8_t* p, size_t n, uint8_t* to) {
  size_t k = 0;
#if defined(__SSE2__)
  for (; k + 16 <= n; k += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));  // Letters only.
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to + k), MapLookalikes16(lower));
  }
#endif
  for (; k < n; ++k) {
    const uint8_t c = p[k];
    to[k] = kLookalikeByte[c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c];
  }
}

// LowerAndMapLookalikesSse2's bytes, 32 at a time by two byte shuffles where
// the CPU has AVX2 (checked once): SSE2's ten compares a 16-byte step were
// 3.4 % of dedup's samples.
void LowerAndMapLookalikes(const uint8_t* p, size_t n, uint8_t* to);

// For TokenHashKind::kLookalike's tokenizer: the clean text p[0, n)
// lowercased and look-alike mapped (LowerAndMapLookalikes) in this thread's
// buffer, with 16 bytes of slack. Mapping each word as it was copied cost
// ~50 instructions a token (SSE2 has no byte shuffle; most words are much
// shorter than a vector), this ~3 a byte of text.
const char* LookalikeLowerText(const unsigned char* p, size_t n);

// Frees this thread's LookalikeLowerText buffer if it grew past what a
// thread keeps between documents (pool threads outlive a run).
void TrimLookalikeLowerText();

// LookalikeTokenHash of the folded token p[0, n), computed bytewise (the
// sketcher's look-alike cache misses, the tokenizer's words off the lanes).
uint64_t FoldAndHash(const char* p, size_t n);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_LOOKALIKE_H_
