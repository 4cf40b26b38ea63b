// UTF-8 validation, decoding and repair shared by the library (readers,
// text normalizer, JSON writer). Thread-safe (pure functions).
#ifndef STORYSIFT_TEXT_UTF8_H_
#define STORYSIFT_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace storysift::internal {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Length (1 to 4) of the well-formed UTF-8 sequence that starts at s[i], or
// 0 when none does. Well-formed per Unicode 15, section 3.9, table 3-7: no
// overlong forms, surrogates or code points above U+10FFFF. On 0, *subpart
// is the length (>= 1) of the maximal subpart at s[i], which one U+FFFD
// replaces ("U+FFFD Substitution of Maximal Subparts"). The one UTF-8
// validator of the library: readers, normalizer and JSON writer all use it.
// REQUIRES: i < s.size().
inline size_t Utf8SequenceLength(std::string_view s, size_t i,
                                 size_t* subpart) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  *subpart = 1;
  if (b0 < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // Allowed range of the second byte.
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // No overlongs.
    if (b0 == 0xED) hi = 0x9F;  // No surrogates.
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // No overlongs.
    if (b0 == 0xF4) hi = 0x8F;  // Nothing above U+10FFFF.
  } else {
    return 0;  // Continuation byte or C0/C1/F5..FF lead.
  }
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) return 0;
    const unsigned char b = byte(i + k);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    *subpart = k + 1;
  }
  return len;
}

// Decodes one code point from text known to be valid UTF-8 (the output of
// SanitizeUtf8). REQUIRES: n >= 1 and p starts a complete sequence.
inline char32_t DecodeValidUtf8(const unsigned char* p, size_t* len) {
  const unsigned char c = p[0];
  if (c < 0x80) return *len = 1, c;
  if (c < 0xE0) return *len = 2, ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  if (c < 0xF0) {
    *len = 3;
    return ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  }
  *len = 4;
  return ((c & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
         (p[3] & 0x3Fu);
}

// Appends the UTF-8 encoding of cp (REQUIRES: a scalar value).
inline void AppendUtf8(char32_t cp, std::string* out) {
  char buf[4];
  size_t n;
  if (cp < 0x80) {
    buf[0] = static_cast<char>(cp), n = 1;
  } else if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F)), n = 2;
  } else if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F)), n = 3;
  } else {
    buf[0] = static_cast<char>(0xF0 | (cp >> 18));
    buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (cp & 0x3F)), n = 4;
  }
  out->append(buf, n);
}

// Replaces *out with `in` made safe for the tokenizer: valid UTF-8 where each
// maximal invalid subpart becomes U+FFFD (Unicode 15, section 3.9, "U+FFFD
// Substitution of Maximal Subparts"); NUL, DEL, C0 and C1 controls dropped,
// except \t and \n kept and \r, \r\n, \v, \f turned into \n (they separate
// words, so dropping them would glue words). Returns true if any invalid
// byte was replaced.
bool SanitizeUtf8(std::string_view in, std::string* out);

// What one pass over a text finds, so that the normalizer runs only the
// passes a text needs (plain news text: one copy and nothing else).
struct TextSurvey {
  bool plain = true;         // Only printable ASCII, '\n' and '\t': SanitizeUtf8
                             // would copy it as it is.
  bool has_lt = false;       // A '<' (markup may follow).
  bool has_amp = false;      // A '&' (an entity may follow).
  bool has_bracket = false;  // A ']' (a Markdown link target may follow).
};
// AVX2 where the CPU has it (chosen once), else SSE2.
TextSurvey SurveyText(std::string_view text);
// The SSE2 kernel alone, for tests on machines with AVX2.
TextSurvey SurveyTextPortable(std::string_view text);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_UTF8_H_
