// Random helpers with fixed arithmetic over std::mt19937_64, so that output
// is identical on every standard library (std::uniform_*_distribution is
// implementation-defined).
#ifndef STORYSIFT_BENCH_CORPUS_RNG_H_
#define STORYSIFT_BENCH_CORPUS_RNG_H_

#include <cstdint>
#include <random>

namespace storysift::corpusgen::internal {

using Rng = std::mt19937_64;

// SplitMix64 finaliser (Steele et al. 2014): decorrelates nearby seeds.
inline uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// An independent stream per (seed, position, purpose).
inline Rng StreamFor(uint64_t seed, uint64_t position, uint64_t salt) {
  return Rng(Mix(Mix(seed ^ Mix(salt)) + position));
}

// Uniform in [0, n) by multiply-shift (Lemire 2019, without the rejection
// step: the bias is below 2^-40 for the n used here). REQUIRES n > 0.
inline uint64_t UniformInt(Rng& rng, uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
}

// Uniform in [lo, hi].
inline double UniformReal(Rng& rng, double lo, double hi) {
  return lo + (hi - lo) * (static_cast<double>(rng() >> 11) * 0x1.0p-53);
}

}  // namespace storysift::corpusgen::internal

#endif  // STORYSIFT_BENCH_CORPUS_RNG_H_
