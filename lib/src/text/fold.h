// Character classes and folding for tokens: what is a word character, and
// the folded (NFKC, case-folded, accent-free) form of a word.
#ifndef STORYSIFT_TEXT_FOLD_H_
#define STORYSIFT_TEXT_FOLD_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace storysift::internal {

// Word characters come first, so `k <= kDigit` tests for one.
enum class CharClass : uint8_t {
  kUpper,        // Lu, Lt: a letter that makes a word capitalized.
  kLower,        // Other letters (Ll, Lm, Lo).
  kDigit,        // Nd, Nl, No.
  kJoiner,       // Marks (M*) and in-word format chars (soft hyphen, ZWJ):
                 // continue a word, never start one.
  kIdeograph,    // Han and kana: each is a word of its own (no spaces).
  kSentenceEnd,  // '.', '!', '?', U+2026.
  kNewline,
  kSeparator,    // Everything else: spaces, punctuation, symbols.
};

inline constexpr std::array<CharClass, 128> kAsciiClass = [] {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    CharClass k = CharClass::kSeparator;
    if (c >= 'A' && c <= 'Z') k = CharClass::kUpper;
    if (c >= 'a' && c <= 'z') k = CharClass::kLower;
    if (c >= '0' && c <= '9') k = CharClass::kDigit;
    if (c == '.' || c == '!' || c == '?') k = CharClass::kSentenceEnd;
    if (c == '\n') k = CharClass::kNewline;
    t[c] = k;
  }
  return t;
}();

// True for ASCII letters and digits (bytes >= 0x80 are false).
inline constexpr std::array<bool, 256> kAsciiWordByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 128; ++c) t[c] = kAsciiClass[c] <= CharClass::kDigit;
  return t;
}();

inline constexpr std::array<uint8_t, 256> kAsciiLower = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = static_cast<uint8_t>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  return t;
}();

// Class of a non-ASCII code point (Unicode general category via utf8proc).
CharClass ClassifyCodePoint(char32_t cp);

// Appends the folded form of a token that contains non-ASCII characters:
// NFKC with Unicode case folding (utf8proc, UTF8PROC_COMPAT | CASEFOLD |
// IGNORE), with the combining diacritics U+0300-U+036F removed after
// decomposition ("Café" -> "cafe", so accented and unaccented spellings from
// different sources match; marks of other scripts, such as Devanagari vowel
// signs, are kept because they change the word). Characters that NFKC turns
// into non-word characters (U+2044 from "½") are dropped.
void FoldNonAscii(std::string_view token, std::string* out);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_FOLD_H_
