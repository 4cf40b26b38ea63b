#include "storysift/simhash.h"

#include <algorithm>
#include <array>
#include <cassert>

#include "absl/strings/str_format.h"
#include "storysift/minhash.h"
#include "xxhash.h"

namespace storysift {
namespace {

// Adds w * (+1 or -1 per bit of h) to the 64 counters; written as a flat loop
// over bits so the compiler can vectorize it.
template <typename T>
inline void Accumulate(uint64_t h, T w, T* v) {
  for (int j = 0; j < 64; ++j) {
    v[j] += ((h >> j) & 1) ? w : -w;
  }
}

template <typename T>
uint64_t Collapse(const T* v) {
  uint64_t out = 0;
  for (int j = 0; j < 64; ++j) {
    if (v[j] > 0) out |= uint64_t{1} << j;
  }
  return out;
}

}  // namespace

uint64_t SimHashWeighted(absl::Span<const uint64_t> features,
                         absl::Span<const float> weights) {
  assert(features.size() == weights.size());
  float v[64] = {};
  for (size_t i = 0; i < features.size(); ++i) {
    Accumulate(internal::Mix64(features[i]), weights[i], v);
  }
  return Collapse(v);
}

// kSpread[b] has byte k equal to bit k of b: adding it to a word of eight
// byte counters counts the bits of one input byte (SWAR), 8 adds per feature
// instead of 64.
constexpr auto kSpread = [] {
  std::array<uint64_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    for (int k = 0; k < 8; ++k) t[b] |= uint64_t((b >> k) & 1) << (8 * k);
  }
  return t;
}();

uint64_t SimHashOfFeatures(absl::Span<const uint64_t> features) {
  int32_t ones[64] = {};
  uint64_t acc[8] = {};
  int pending = 0;
  auto flush = [&] {
    for (int i = 0; i < 8; ++i) {
      for (int k = 0; k < 8; ++k) ones[8 * i + k] += (acc[i] >> (8 * k)) & 0xFF;
      acc[i] = 0;
    }
    pending = 0;
  };
  for (uint64_t f : features) {
    const uint64_t h = internal::Mix64(f);
    for (int i = 0; i < 8; ++i) acc[i] += kSpread[(h >> (8 * i)) & 0xFF];
    if (++pending == 255) flush();  // Byte counters hold at most 255.
  }
  flush();
  // Bit j is set iff ones - zeros > 0, i.e. 2 * ones > n.
  const int64_t n = static_cast<int64_t>(features.size());
  uint64_t out = 0;
  for (int j = 0; j < 64; ++j) {
    if (2 * int64_t{ones[j]} > n) out |= uint64_t{1} << j;
  }
  return out;
}

absl::StatusOr<SimHasher> SimHasher::Create(const SimHashOptions& options) {
  if (options.feature_words < 1 || options.feature_words > 8) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "SimHash feature_words = %d is outside [1, 8]", options.feature_words));
  }
  return SimHasher(options);
}

uint64_t SimHasher::Compute(absl::Span<const uint64_t> token_hashes,
                            std::vector<uint64_t>* scratch) const {
  scratch->clear();
  const size_t n = token_hashes.size();
  if (n == 0) return 0;
  const size_t w = std::min<size_t>(options_.feature_words, n);
  const char* base = reinterpret_cast<const char*>(token_hashes.data());
  for (size_t i = 0; i + w <= n; ++i) {
    scratch->push_back(XXH3_64bits_withSeed(base + 8 * i, 8 * w, options_.seed));
  }
  return SimHashOfFeatures(*scratch);
}

}  // namespace storysift
