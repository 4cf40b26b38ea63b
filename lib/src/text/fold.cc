#include "text/fold.h"

#include <vector>

#include "utf8proc.h"

namespace storysift::internal {
namespace {

bool IsIdeograph(char32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) ||    // Hiragana, Katakana.
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK Extension A.
         (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK Unified Ideographs.
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK Compatibility.
         (cp >= 0x20000 && cp <= 0x3134F);    // Extensions B-G.
}

bool IsWordCategory(utf8proc_category_t cat) {
  switch (cat) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return true;
    default:
      return false;
  }
}

}  // namespace

CharClass ClassifyCodePoint(char32_t cp) {
  if (IsIdeograph(cp)) return CharClass::kIdeograph;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
      return CharClass::kUpper;
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharClass::kLower;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharClass::kDigit;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::kJoiner;
    case UTF8PROC_CATEGORY_CF:
      // Soft hyphen, ZWNJ, ZWJ, word joiner sit inside words.
      return (cp == 0xAD || cp == 0x200C || cp == 0x200D || cp == 0x2060)
                 ? CharClass::kJoiner
                 : CharClass::kSeparator;
    default:
      if (cp == 0x2026) return CharClass::kSentenceEnd;  // Ellipsis.
      if (cp == 0x2028 || cp == 0x2029) return CharClass::kNewline;
      return CharClass::kSeparator;
  }
}

void FoldNonAscii(std::string_view token, std::string* out) {
  thread_local std::vector<utf8proc_int32_t> buffer(256);
  constexpr auto kDecompose = static_cast<utf8proc_option_t>(
      UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
      UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  const auto* src = reinterpret_cast<const utf8proc_uint8_t*>(token.data());
  const auto len = static_cast<utf8proc_ssize_t>(token.size());
  utf8proc_ssize_t n = utf8proc_decompose(
      src, len, buffer.data(), static_cast<utf8proc_ssize_t>(buffer.size()),
      kDecompose);
  if (n > static_cast<utf8proc_ssize_t>(buffer.size())) {
    buffer.resize(static_cast<size_t>(n));
    n = utf8proc_decompose(src, len, buffer.data(), n, kDecompose);
  }
  if (n < 0) {  // Cannot happen on valid UTF-8; keep the bytes.
    out->append(token);
    return;
  }
  utf8proc_ssize_t kept = 0;
  for (utf8proc_ssize_t k = 0; k < n; ++k) {
    const utf8proc_int32_t cp = buffer[k];
    if (cp >= 0x300 && cp <= 0x36F) continue;
    if (cp >= 0x80 ? !IsWordCategory(utf8proc_category(cp))
                   : kAsciiClass[cp] > CharClass::kDigit) {
      continue;
    }
    buffer[kept++] = cp;
  }
  // Recompose (NFC of the compatibility-decomposed, folded text = NFKC) and
  // encode to UTF-8 in place; 4 bytes per int32 always fit.
  const utf8proc_ssize_t bytes = utf8proc_reencode(
      buffer.data(), kept,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (bytes > 0) out->append(reinterpret_cast<const char*>(buffer.data()),
                             static_cast<size_t>(bytes));
}

}  // namespace storysift::internal
