#include "text/lookalike.h"

#include <string>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define STORYSIFT_LOOKALIKE_AVX2 1
#endif

#include "text/cpu_features.h"
#include "text/token_hash.h"

namespace storysift::internal {
namespace {

#if defined(STORYSIFT_LOOKALIKE_AVX2)
// Every mapped byte is a lowercase ASCII letter, 0x60-0x7F: the map is an
// add of (target - source) looked up by the low nibble, one table for each
// of the two high nibbles.
constexpr uint8_t kMappedHigh0 = 0x6;
constexpr uint8_t kMappedHigh1 = 0x7;

constexpr std::array<uint8_t, 16> DeltaTable(uint8_t high) {
  std::array<uint8_t, 16> t{};
  for (const LookalikePair& pair : kLookalikePairs) {
    const auto from = static_cast<uint8_t>(pair.from);
    if (from >> 4 == high) t[from & 0xF] = static_cast<uint8_t>(pair.to - pair.from);
  }
  return t;
}

constexpr bool AllSourcesInTables() {
  for (const LookalikePair& pair : kLookalikePairs) {
    const auto high = static_cast<uint8_t>(pair.from) >> 4;
    if (high != kMappedHigh0 && high != kMappedHigh1) return false;
  }
  return true;
}
static_assert(AllSourcesInTables(), "a look-alike source outside 0x60-0x7F");

constexpr std::array<uint8_t, 16> kDelta0 = DeltaTable(kMappedHigh0);
constexpr std::array<uint8_t, 16> kDelta1 = DeltaTable(kMappedHigh1);

__attribute__((target("avx2"))) __m256i BroadcastTable(const std::array<uint8_t, 16>& t) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(t.data())));
}

__attribute__((target("avx2"))) void LowerAndMapLookalikesAvx2(const uint8_t* p, size_t n,
                                                                 uint8_t* to) {
  const __m256i delta0 = BroadcastTable(kDelta0);
  const __m256i delta1 = BroadcastTable(kDelta1);
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i high0 = _mm256_set1_epi8(kMappedHigh0);
  const __m256i high1 = _mm256_set1_epi8(kMappedHigh1);
  size_t k = 0;
  for (; k + 32 <= n; k += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + k));
    const __m256i lower = _mm256_or_si256(v, _mm256_set1_epi8(0x20));  // As the SSE2 form.
    const __m256i low = _mm256_and_si256(lower, nibble);
    const __m256i high = _mm256_and_si256(_mm256_srli_epi16(lower, 4), nibble);
    const __m256i d0 = _mm256_and_si256(_mm256_shuffle_epi8(delta0, low),
                                        _mm256_cmpeq_epi8(high, high0));
    const __m256i d1 = _mm256_and_si256(_mm256_shuffle_epi8(delta1, low),
                                        _mm256_cmpeq_epi8(high, high1));
    const __m256i mapped = _mm256_add_epi8(lower, _mm256_or_si256(d0, d1));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(to + k), mapped);
  }
  // The rest exactly as the SSE2 form splits it: 16-byte steps, then bytes.
  LowerAndMapLookalikesSse2(p + k, n - k, to + k);
}

#endif  // STORYSIFT_LOOKALIKE_AVX2

}  // namespace

void LowerAndMapLookalikes(const uint8_t* p, size_t n, uint8_t* to) {
#if defined(STORYSIFT_LOOKALIKE_AVX2)
  if (CpuHasAvx2()) {
    LowerAndMapLookalikesAvx2(p, n, to);
    return;
  }
#endif
  LowerAndMapLookalikesSse2(p, n, to);
}

namespace {

// The most of LookalikeLowerText's buffer a thread keeps between documents
// (a news article needs a few KB).
constexpr size_t kMaxKeptLookalikeBytes = size_t{4} << 20;
// Bytes past the text that the tokenizer's 16-byte reads may touch.
constexpr size_t kLookalikeSlack = 16;

std::string& ThreadLookalikeText() {
  thread_local std::string mapped;
  return mapped;
}

}  // namespace

const char* LookalikeLowerText(const unsigned char* p, size_t n) {
  std::string& mapped = ThreadLookalikeText();
  if (mapped.size() < n + kLookalikeSlack) mapped.resize(n + kLookalikeSlack);
  LowerAndMapLookalikes(p, n, reinterpret_cast<uint8_t*>(mapped.data()));
  return mapped.data();
}

void TrimLookalikeLowerText() {
  std::string& mapped = ThreadLookalikeText();
  if (mapped.capacity() > kMaxKeptLookalikeBytes) std::string().swap(mapped);
}

uint64_t FoldAndHash(const char* p, size_t n) {
  char buf[32];
  std::string long_token;
  char* dst = buf;
  if (n > sizeof(buf)) {
    long_token.resize(n);
    dst = long_token.data();
  }
  // Mapped as it is copied: a memcpy call, then the map in place, cost
  // twice the bytes' loads and stores (the cache misses of cluster's folded
  // tokens come here).
  for (size_t j = 0; j < n; ++j) {
    dst[j] = static_cast<char>(kLookalikeByte[static_cast<uint8_t>(p[j])]);
  }
  return TokenHash(dst, n);
}

}  // namespace storysift::internal
