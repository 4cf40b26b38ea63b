// The tokenizer's 64-byte block classification: which bytes of a stretch
// of ASCII are word bytes, capitals, digits, newlines and clause
// punctuation, as bit masks (SSE2, and AVX2 for the AVX2 + BMI2 build of
// the look-alike scan), and the bit arithmetic the scans do on them.
#ifndef STORYSIFT_TEXT_ASCII_BLOCK_H_
#define STORYSIFT_TEXT_ASCII_BLOCK_H_

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include "text/xxh3_avx512.h"  // <immintrin.h>, without GCC 12's false warnings.
#endif

namespace storysift::internal {

#if defined(__SSE2__)

// Bytes of v in [lo, hi] as 0xFF: shifted so the range starts at -128, then
// one signed compare.
inline __m128i InRange(__m128i v, char lo, char hi) {
  const __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(128 - lo)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + (hi - lo + 1))));
}

inline uint64_t Mask16(__m128i v) {
  return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(v)));
}

inline __m128i IsByte(__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); }

// ASCII letters as 0xFF. OR 0x20 maps 'A'-'Z' onto 'a'-'z' and no other
// byte into that range.
inline __m128i LetterBytes(__m128i v) {
  return InRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
}

inline __m128i DigitBytes(__m128i v) { return InRange(v, '0', '9'); }

// ASCII letters and digits (kAsciiWordByte) as 0xFF.
inline __m128i WordBytes(__m128i v) { return _mm_or_si128(LetterBytes(v), DigitBytes(v)); }

// The most words that start and end inside a 64-byte block: each is
// followed by a separator byte.
inline constexpr size_t kMaxBlockWords = 32;

// Bit k of each mask describes byte k of a 64-byte block.
struct AsciiBlock {
  uint64_t word = 0;     // ASCII letter or digit.
  uint64_t high = 0;     // >= 0x80: part of a multi-byte code point.
  uint64_t newline = 0;
  uint64_t sentence_end = 0;  // . ! ?
  uint64_t comma = 0;         // , ;
  uint64_t upper = 0;         // 'A'-'Z' (read by the look-alike and AVX-512 terms scans).
  uint64_t digit = 0;         // '0'-'9' (read by the look-alike and AVX-512 terms scans).
};

inline AsciiBlock ClassifyBlock(const unsigned char* p) {
  AsciiBlock b;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i digit = DigitBytes(v);
    const __m128i word = _mm_or_si128(LetterBytes(v), digit);
    const __m128i end =
        _mm_or_si128(_mm_or_si128(IsByte(v, '.'), IsByte(v, '!')), IsByte(v, '?'));
    const int shift = 16 * k;
    b.word |= Mask16(word) << shift;
    b.upper |= Mask16(InRange(v, 'A', 'Z')) << shift;
    b.digit |= Mask16(digit) << shift;
    b.high |= Mask16(v) << shift;
    b.newline |= Mask16(IsByte(v, '\n')) << shift;
    b.sentence_end |= Mask16(end) << shift;
    b.comma |= Mask16(_mm_or_si128(IsByte(v, ','), IsByte(v, ';'))) << shift;
  }
  return b;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define STORYSIFT_CLASSIFY_AVX2 1
__attribute__((target("avx2"))) inline __m256i InRange32(__m256i v, char lo, char hi) {
  const __m256i shifted = _mm256_add_epi8(v, _mm256_set1_epi8(static_cast<char>(128 - lo)));
  return _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(-128 + (hi - lo + 1))), shifted);
}

__attribute__((target("avx2"))) inline uint64_t Mask32(__m256i v) {
  return static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(v)));
}

__attribute__((target("avx2"))) inline __m256i IsByte32(__m256i v, char c) {
  return _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c));
}

// ClassifyBlock's masks in two 32-byte steps, for the AVX2 + BMI2 build.
__attribute__((target("avx2"))) inline AsciiBlock ClassifyBlockAvx2(const unsigned char* p) {
  AsciiBlock b;
  for (int k = 0; k < 2; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
    const __m256i digit = InRange32(v, '0', '9');
    const __m256i letter = InRange32(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), 'a', 'z');
    const __m256i end = _mm256_or_si256(_mm256_or_si256(IsByte32(v, '.'), IsByte32(v, '!')),
                                        IsByte32(v, '?'));
    const int shift = 32 * k;
    b.word |= Mask32(_mm256_or_si256(letter, digit)) << shift;
    b.upper |= Mask32(InRange32(v, 'A', 'Z')) << shift;
    b.digit |= Mask32(digit) << shift;
    b.high |= Mask32(v) << shift;
    b.newline |= Mask32(IsByte32(v, '\n')) << shift;
    b.sentence_end |= Mask32(end) << shift;
    b.comma |= Mask32(_mm256_or_si256(IsByte32(v, ','), IsByte32(v, ';'))) << shift;
  }
  return b;
}

#define STORYSIFT_CLASSIFY_AVX512 1
__attribute__((target("avx2,avx512f,avx512bw"))) inline uint64_t InRange64(__m512i v, char lo,
                                                                          char hi) {
  return _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8(lo)),
                                _mm512_set1_epi8(static_cast<char>(hi - lo + 1)));
}

__attribute__((target("avx2,avx512f,avx512bw"))) inline uint64_t IsByte64(__m512i v, char c) {
  return _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(c));
}

// ClassifyBlock's masks in one 64-byte step, for the AVX-512 build:
// AVX-512BW compares give the masks themselves (no movemask, shift and or).
__attribute__((target("avx2,avx512f,avx512bw"))) inline AsciiBlock ClassifyBlockAvx512(
    const unsigned char* p) {
  const __m512i v = _mm512_loadu_si512(p);
  AsciiBlock b;
  b.digit = InRange64(v, '0', '9');
  b.word = InRange64(_mm512_or_si512(v, _mm512_set1_epi8(0x20)), 'a', 'z') | b.digit;
  b.upper = InRange64(v, 'A', 'Z');
  b.high = _mm512_movepi8_mask(v);
  b.newline = IsByte64(v, '\n');
  b.sentence_end = IsByte64(v, '.') | IsByte64(v, '!') | IsByte64(v, '?');
  b.comma = IsByte64(v, ',') | IsByte64(v, ';');
  return b;
}
#endif
#endif  // __SSE2__

// Set bits of x. The build's x86-64 baseline has no popcnt instruction,
// and the builtin became a call into libgcc: the same arithmetic inline.
inline uint32_t CountBits(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ull;
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return static_cast<uint32_t>((x * 0x0101010101010101ull) >> 56);
}

inline uint64_t LowBits(size_t n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }

#if defined(__SSE2__)
// The token edges among the bytes [0, limit) of block b: a start is a word
// byte after a non-word byte (or after an open token's end), an end the
// reverse; `in_token` says a token is open before the block.
struct BlockEdges {
  uint64_t inside = 0;  // The bytes [0, limit).
  uint64_t word = 0;    // b.word & inside.
  uint64_t starts = 0;
  uint64_t ends = 0;
};

inline BlockEdges EdgesOf(const AsciiBlock& b, size_t limit, bool in_token) {
  BlockEdges e;
  e.inside = LowBits(limit);
  e.word = b.word & e.inside;
  const uint64_t after_word = (e.word << 1) | static_cast<uint64_t>(in_token);
  e.starts = e.word & ~after_word;
  e.ends = ~e.word & after_word & e.inside;
  return e;
}

// The words of block b that start and end inside it, as scan_ascii_hashes
// makes them tokens: the starts (less one reaching `limit`, which stays
// open) and their ends (less the end of a word open before the block), the
// k-th end closing the k-th start.
struct ClosedWords {
  uint64_t starts = 0;
  uint64_t ends = 0;
  uint64_t open_start = 0;  // The start of a word reaching limit, or 0.
};

inline ClosedWords ClosedWordsOf(const BlockEdges& e, size_t limit, bool in_token) {
  ClosedWords w;
  const bool open = (e.word >> (limit - 1)) & 1;
  w.open_start = open && e.starts != 0 ? uint64_t{1} << (63 - __builtin_clzll(e.starts)) : 0;
  w.starts = e.starts & ~w.open_start;
  w.ends = in_token ? e.ends & (e.ends - 1) : e.ends;
  return w;
}

// The clause punctuation among the bytes [0, limit) of block b: ',' and
// ';', and a '.', '!' or '?' unless a word byte follows ("0.3", "U.S.");
// `word_follows` (0 or 1) says the byte at `limit` is one.
inline uint64_t ClauseMask(const AsciiBlock& b, size_t limit, uint64_t word_follows) {
  const uint64_t word_next = (b.word >> 1) | (word_follows << (limit - 1));
  return (b.comma | (b.sentence_end & ~word_next)) & LowBits(limit);
}
#endif  // __SSE2__

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_ASCII_BLOCK_H_
