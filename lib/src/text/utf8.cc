#include "text/utf8.h"

#include <cstring>

namespace storysift::internal {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

// True if any byte of w is outside printable ASCII [0x20, 0x7E]. Bit tricks
// from Sean Anderson's "Bit Twiddling Hacks" (hasless / haszero).
inline bool HasSpecialByte(uint64_t w) {
  const uint64_t below_space = (w - kOnes * 0x20) & ~w;
  const uint64_t x = w ^ (kOnes * 0x7F);
  const uint64_t is_del = (x - kOnes) & ~x;
  return ((w | below_space | is_del) & kHighs) != 0;
}

// Length of the valid UTF-8 sequence at p (n bytes left), with *cp set; or
// minus the length of the maximal invalid subpart to replace by one U+FFFD.
int ValidSequence(const unsigned char* p, size_t n, char32_t* cp) {
  const unsigned char c = p[0];
  int len;
  unsigned char lo = 0x80, hi = 0xBF;  // Allowed range of the second byte.
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // Overlong.
    if (c == 0xED) hi = 0x9F;  // Surrogates.
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // Overlong.
    if (c == 0xF4) hi = 0x8F;  // Above U+10FFFF.
  } else {
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    if (static_cast<size_t>(k) >= n) return -k;
    const unsigned char b = p[k];
    const bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    if (!ok) return -k;
  }
  size_t dummy;
  *cp = DecodeValidUtf8(p, &dummy);
  return len;
}

}  // namespace

bool SanitizeUtf8(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const size_t n = in.size();
  bool repaired = false;
  size_t i = 0, run = 0;  // [run, i) is copied verbatim on the next flush.
  auto flush = [&] { out->append(in.data() + run, i - run); };
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (HasSpecialByte(w)) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      char32_t cp = 0;
      const int len = ValidSequence(p + i, n - i, &cp);
      if (len > 0 && !(cp >= 0x80 && cp <= 0x9F)) {
        i += static_cast<size_t>(len);
        continue;
      }
      flush();
      if (len > 0) {
        i += static_cast<size_t>(len);  // C1 control: drop.
      } else {
        out->append("\xEF\xBF\xBD");
        repaired = true;
        i += static_cast<size_t>(-len);
      }
      run = i;
      continue;
    }
    flush();
    if (c == '\r' || c == '\v' || c == '\f') {
      out->push_back('\n');
      if (c == '\r' && i + 1 < n && p[i + 1] == '\n') ++i;
    }
    ++i;
    run = i;
  }
  flush();
  return repaired;
}

}  // namespace storysift::internal
