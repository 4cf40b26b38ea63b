// Random sparse rows for the tests of kernels that must give the same bits
// as a reference (dot products, row sums).
#ifndef STORYSIFT_TESTS_RANDOM_SPARSE_ROW_H_
#define STORYSIFT_TESTS_RANDOM_SPARSE_ROW_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "storysift/tfidf.h"

namespace storysift::testing {

enum class Zeros { kNone, kSomeOfEitherSign };

// `size` distinct ids below `vocab`, sorted, with weights of mixed sign and
// magnitude (so the summation order shows in the bits); with
// kSomeOfEitherSign, one weight in 20 is +0 or -0.
inline SparseVector RandomRow(std::mt19937& rng, uint32_t vocab, size_t size,
                              Zeros zeros = Zeros::kNone) {
  std::vector<uint32_t> ids(vocab);
  for (uint32_t k = 0; k < vocab; ++k) ids[k] = k;
  std::shuffle(ids.begin(), ids.end(), rng);
  ids.resize(std::min<size_t>(size, vocab));
  std::sort(ids.begin(), ids.end());
  std::uniform_real_distribution<float> w(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-20, 5);
  SparseVector v;
  v.ids = ids;
  for (size_t k = 0; k < ids.size(); ++k) {
    const uint32_t r = zeros == Zeros::kNone ? 2 : rng() % 40;
    v.weights.push_back(r == 0 ? 0.0f : r == 1 ? -0.0f : std::ldexp(w(rng), exponent(rng)));
  }
  return v;
}

}  // namespace storysift::testing

#endif  // STORYSIFT_TESTS_RANDOM_SPARSE_ROW_H_
