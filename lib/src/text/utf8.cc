#include "text/utf8.h"

#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "text/cpu_features.h"

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

constexpr std::array<uint8_t, 256> MakeSurveyBits() {
  std::array<uint8_t, 256> bits{};
  for (int c = 0; c < 256; ++c) {
    if (!((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t')) bits[c] |= 1;
  }
  bits['<'] |= 2;
  bits['&'] |= 4;
  bits[']'] |= 8;
  return bits;
}
// Per byte: 1 not plain, 2 '<', 4 '&', 8 ']' (the scalar tail's table).
constexpr std::array<uint8_t, 256> kSurveyBits = MakeSurveyBits();

TextSurvey SurveyFromBits(unsigned bits) {
  TextSurvey survey;
  survey.plain = (bits & 1) == 0;
  survey.has_lt = (bits & 2) != 0;
  survey.has_amp = (bits & 4) != 0;
  survey.has_bracket = (bits & 8) != 0;
  return survey;
}

// SurveyText's loop over whole blocks, OR-ing each flag over the lanes; sets
// *done to the bytes it covered (the rest is the scalar tail's).
unsigned SurveyBlocksSse2(const unsigned char* p, size_t n, size_t* done) {
  size_t i = 0;
  unsigned bits = 0;
#if defined(__SSE2__)
  __m128i special = _mm_setzero_si128(), lt = special, amp = special, bracket = special;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Signed compare: bytes >= 0x80 are negative, so "< 0x20" catches them too.
    const __m128i low_or_high = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    const __m128i allowed = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
    special = _mm_or_si128(special, _mm_andnot_si128(allowed, low_or_high));
    special = _mm_or_si128(special, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
    lt = _mm_or_si128(lt, _mm_cmpeq_epi8(v, _mm_set1_epi8('<')));
    amp = _mm_or_si128(amp, _mm_cmpeq_epi8(v, _mm_set1_epi8('&')));
    bracket = _mm_or_si128(bracket, _mm_cmpeq_epi8(v, _mm_set1_epi8(']')));
  }
  bits = (_mm_movemask_epi8(special) != 0 ? 1u : 0u) | (_mm_movemask_epi8(lt) != 0 ? 2u : 0u) |
         (_mm_movemask_epi8(amp) != 0 ? 4u : 0u) | (_mm_movemask_epi8(bracket) != 0 ? 8u : 0u);
#endif
  *done = i;
  return bits;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define STORYSIFT_SURVEY_AVX2 1
// The same with 32-byte AVX2 blocks (three-operand forms: half the
// instructions a byte), for CPUs that have it; the build's baseline is SSE2.
__attribute__((target("avx2"))) unsigned SurveyBlocksAvx2(const unsigned char* p, size_t n,
                                                          size_t* done) {
  size_t i = 0;
  __m256i special = _mm256_setzero_si256(), lt = special, amp = special, bracket = special;
  for (; i + 32 <= n; i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    const __m256i low_or_high = _mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), v);
    const __m256i allowed = _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')),
                                            _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\t')));
    special = _mm256_or_si256(special, _mm256_andnot_si256(allowed, low_or_high));
    special = _mm256_or_si256(special, _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x7F)));
    lt = _mm256_or_si256(lt, _mm256_cmpeq_epi8(v, _mm256_set1_epi8('<')));
    amp = _mm256_or_si256(amp, _mm256_cmpeq_epi8(v, _mm256_set1_epi8('&')));
    bracket = _mm256_or_si256(bracket, _mm256_cmpeq_epi8(v, _mm256_set1_epi8(']')));
  }
  *done = i;
  return (_mm256_movemask_epi8(special) != 0 ? 1u : 0u) |
         (_mm256_movemask_epi8(lt) != 0 ? 2u : 0u) |
         (_mm256_movemask_epi8(amp) != 0 ? 4u : 0u) |
         (_mm256_movemask_epi8(bracket) != 0 ? 8u : 0u);
}
#endif

using SurveyBlocks = unsigned (*)(const unsigned char*, size_t, size_t*);

TextSurvey SurveyWith(SurveyBlocks blocks, std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t i;
  unsigned bits = blocks(p, text.size(), &i);
  for (; i < text.size(); ++i) bits |= kSurveyBits[p[i]];
  return SurveyFromBits(bits);
}

}  // namespace

TextSurvey SurveyText(std::string_view text) {
  static const SurveyBlocks blocks = [] {
#ifdef STORYSIFT_SURVEY_AVX2
    if (CpuHasAvx2()) return &SurveyBlocksAvx2;
#endif
    return &SurveyBlocksSse2;
  }();
  return SurveyWith(blocks, text);
}

TextSurvey SurveyTextPortable(std::string_view text) {
  return SurveyWith(&SurveyBlocksSse2, text);
}

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
