#include "storysift/minhash.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "absl/strings/str_format.h"
#include "sketch/sketch_kernels.h"

namespace storysift {
namespace {

constexpr uint64_t kMersenne61 = (uint64_t{1} << 61) - 1;
constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// x mod (2^61 - 1) for x < 2^64 + 2^61: fold the high bits onto the low
// (2^61 = 1 mod p), then one conditional subtraction.
inline uint64_t Mod61(uint64_t x) {
  uint64_t r = (x & kMersenne61) + (x >> 61);
  return r >= kMersenne61 ? r - kMersenne61 : r;
}

// (a * x + b) mod p, exactly, for a, x, b < p.
inline uint64_t AffineMod61(uint64_t a, uint64_t x, uint64_t b) {
  unsigned __int128 z = static_cast<unsigned __int128>(a) * x + b;  // < 2^122 + 2^61
  uint64_t lo = static_cast<uint64_t>(z) & kMersenne61;
  uint64_t hi = static_cast<uint64_t>(z >> 61);  // < 2^61 + 1
  return Mod61(lo + hi);                         // lo + hi < 2^62 + 1
}

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return internal::Mix64(state_ += kGolden); }

 private:
  uint64_t state_;
};

}  // namespace

absl::StatusOr<MinHasher> MinHasher::Create(const MinHashOptions& options) {
  if (options.num_perm < 1 || options.num_perm > kMaxNumPerm) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "num_perm = %d is outside [1, %d]", options.num_perm, kMaxNumPerm));
  }
  if (options.scheme != MinHashScheme::kAffine61 &&
      options.scheme != MinHashScheme::kOnePermutation) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unknown MinHash scheme %d", static_cast<int>(options.scheme)));
  }
  MinHasher h(options);
  if (options.scheme == MinHashScheme::kAffine61) {
    SplitMix64 rng(options.seed);
    h.a_.resize(options.num_perm);
    h.b_.resize(options.num_perm);
    for (int i = 0; i < options.num_perm; ++i) {
      uint64_t a;
      do {  // Rejection keeps a_i uniform on [1, p).
        a = rng.Next() >> 3;
      } while (a == 0 || a >= kMersenne61);
      uint64_t b;
      do {
        b = rng.Next() >> 3;
      } while (b >= kMersenne61);
      h.a_[i] = a;
      h.b_[i] = b;
    }
  }
  return h;
}

void MinHasher::Compute(absl::Span<const uint64_t> shingles,
                        std::vector<uint32_t>* out) const {
  out->resize(options_.num_perm);
  Compute(shingles, absl::MakeSpan(*out));
}

void MinHasher::Compute(absl::Span<const uint64_t> shingles,
                        absl::Span<uint32_t> out) const {
  assert(out.size() == static_cast<size_t>(options_.num_perm));
  if (shingles.empty()) {
    std::fill(out.begin(), out.end(), kEmptySlot);
    return;
  }
  if (options_.scheme == MinHashScheme::kAffine61) {
    ComputeAffine(shingles, out);
  } else {
    ComputeOnePermutation(shingles, out);
  }
}

void MinHasher::ComputeAffine(absl::Span<const uint64_t> shingles,
                              absl::Span<uint32_t> out) const {
  const size_t k = a_.size();
  // Mins over the full 61-bit values, in chunks of 64 slots on the stack so
  // the inner loop runs over contiguous arrays with no allocation.
  constexpr size_t kChunk = 64;
  uint64_t mins[kChunk];
  for (size_t base = 0; base < k; base += kChunk) {
    const size_t m = std::min(kChunk, k - base);
    std::fill(mins, mins + m, ~uint64_t{0});
    const uint64_t* a = a_.data() + base;
    const uint64_t* b = b_.data() + base;
    for (uint64_t s : shingles) {
      const uint64_t x = Mod61(s);
      for (size_t i = 0; i < m; ++i) {
        mins[i] = std::min(mins[i], AffineMod61(a[i], x, b[i]));
      }
    }
    for (size_t i = 0; i < m; ++i) out[base + i] = static_cast<uint32_t>(mins[i]);
  }
}

void MinHasher::ComputeOnePermutation(absl::Span<const uint64_t> shingles,
                                      absl::Span<uint32_t> out) const {
  const uint64_t k = options_.num_perm;
  uint64_t stack_bins[internal::kMaxStackBins];
  std::vector<uint64_t> heap_bins;
  uint64_t* bins = stack_bins;
  if (k > internal::kMaxStackBins) {
    heap_bins.resize(k);
    bins = heap_bins.data();
  }
  std::fill(bins, bins + k, internal::kUnsetBin);
  for (uint64_t s : shingles) internal::AddToBins(s, options_.seed, k, bins);
  internal::DensifyBins(bins, options_.seed, out);
}

namespace internal {

// Optimal densification (Shrivastava 2017, Algorithm 2): each empty bin
// probes bins with its own universal hash sequence until one is filled, so
// different empty bins borrow independently.
void DensifyBins(const uint64_t* bins, uint64_t seed, absl::Span<uint32_t> out) {
  const uint64_t k = out.size();
  const uint64_t seed2 = Mix64(seed ^ kGolden);
  for (uint64_t i = 0; i < k; ++i) {
    if (bins[i] != kUnsetBin) {
      out[i] = static_cast<uint32_t>(bins[i]);
      continue;
    }
    for (uint64_t attempt = 1;; ++attempt) {
      const uint64_t g = Mix64(seed2 ^ ((i << 32) | attempt));
      const uint64_t j = static_cast<uint64_t>(
          (static_cast<unsigned __int128>(g) * k) >> 64);
      if (bins[j] != kUnsetBin) {
        out[i] = static_cast<uint32_t>(bins[j]);
        break;
      }
    }
  }
}

}  // namespace internal

bool IsEmptySignature(absl::Span<const uint32_t> sig) {
  for (uint32_t v : sig) {
    if (v != kEmptySlot) return false;
  }
  return true;
}

double EstimateJaccard(absl::Span<const uint32_t> a, absl::Span<const uint32_t> b) {
  assert(a.size() == b.size() && !a.empty());
  if (IsEmptySignature(a) || IsEmptySignature(b)) return 0.0;
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) equal += (a[i] == b[i]);
  return static_cast<double>(equal) / static_cast<double>(a.size());
}

double JaccardStdDev(double j, int num_perm) {
  return std::sqrt(j * (1.0 - j) / num_perm);
}

size_t IntersectionSize(absl::Span<const uint64_t> a, absl::Span<const uint64_t> b) {
  size_t i = 0, j = 0, n = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++n, ++i, ++j;
    }
  }
  return n;
}

double ExactJaccard(absl::Span<const uint64_t> a, absl::Span<const uint64_t> b) {
  if (a.empty() && b.empty()) return 0.0;
  const size_t inter = IntersectionSize(a, b);
  return static_cast<double>(inter) /
         static_cast<double>(a.size() + b.size() - inter);
}

}  // namespace storysift
