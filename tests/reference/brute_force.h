// Exact all-pairs references for the sketch and index tests. Deliberately
// simple and quadratic: THIS CODE IS FOR TESTS ONLY.
#ifndef STORYSIFT_TESTS_REFERENCE_BRUTE_FORCE_H_
#define STORYSIFT_TESTS_REFERENCE_BRUTE_FORCE_H_

#include <bit>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "storysift/minhash.h"

namespace storysift::reference {

struct ScoredPair {
  uint32_t a, b;  // a < b
  double similarity;
};

// Every pair (a < b) of sorted, unique sets with exact Jaccard >= min_jaccard.
inline std::vector<ScoredPair> AllPairsJaccard(
    const std::vector<std::vector<uint64_t>>& sets, double min_jaccard) {
  std::vector<ScoredPair> out;
  for (uint32_t a = 0; a < sets.size(); ++a) {
    for (uint32_t b = a + 1; b < sets.size(); ++b) {
      const double j = ExactJaccard(sets[a], sets[b]);
      if (j >= min_jaccard && j > 0) out.push_back({a, b, j});
    }
  }
  return out;
}

// Ordinals i (ascending) with popcount(fps[i] ^ query) <= k.
inline std::vector<uint32_t> HammingNeighbours(absl::Span<const uint64_t> fps,
                                               uint64_t query, int k) {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < fps.size(); ++i) {
    if (std::popcount(fps[i] ^ query) <= k) out.push_back(i);
  }
  return out;
}

// Every pair (a < b) within Hamming distance k.
inline std::vector<ScoredPair> AllPairsHamming(absl::Span<const uint64_t> fps, int k) {
  std::vector<ScoredPair> out;
  for (uint32_t a = 0; a < fps.size(); ++a) {
    for (uint32_t b = a + 1; b < fps.size(); ++b) {
      const int d = std::popcount(fps[a] ^ fps[b]);
      if (d <= k) out.push_back({a, b, 1.0 - d / 64.0});
    }
  }
  return out;
}

}  // namespace storysift::reference

#endif  // STORYSIFT_TESTS_REFERENCE_BRUTE_FORCE_H_
