#include "text/utf8.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Length of the prefix of [p, end) that needs no look: printable ASCII plus
// '\n' and '\t' (news text wraps lines every ~70 bytes, so stopping at each
// newline, as the 8-byte test must, cost a slow-path step per line).
inline size_t PlainAsciiPrefix(const unsigned char* p, const unsigned char* end) {
  size_t i = 0;
#if defined(__SSE2__)
  while (end - (p + i) >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Signed compare: bytes >= 0x80 are negative, so "< 0x20" catches them too.
    const __m128i low_or_high = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    const __m128i allowed = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
    const __m128i special = _mm_or_si128(_mm_andnot_si128(allowed, low_or_high),
                                         _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  while (p + i + 8 <= end) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (HasSpecialByte(w)) break;
    i += 8;
  }
  return i;
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
    i += PlainAsciiPrefix(p + i, p + n);
    if (i >= n) break;
    const unsigned char c = p[i];
    if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      size_t subpart;
      const size_t len = Utf8SequenceLength(in, i, &subpart);
      // U+0080..U+009F (C1 controls) encode as C2 80..C2 9F.
      const bool c1 = len == 2 && c == 0xC2 && p[i + 1] <= 0x9F;
      if (len > 0 && !c1) {
        i += len;
        continue;
      }
      flush();
      if (len > 0) {
        i += len;  // C1 control: drop.
      } else {
        out->append("\xEF\xBF\xBD");
        repaired = true;
        i += subpart;
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
