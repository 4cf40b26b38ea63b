// internal::TopTerms (the candidate index's terms of an item) against a full
// sort: the k heaviest, heaviest first, ties to the earlier term.
#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "cluster/story_internal.h"
#include "gtest/gtest.h"

namespace storysift::internal {
namespace {

TEST(TopTermsTest, MatchesAFullSortWithTiesToTheEarlierTerm) {
  std::mt19937 rng(5);
  std::vector<uint32_t> got;
  for (int round = 0; round < 1000; ++round) {
    // Short rows, and rows long enough to fill the scan's buffer many times.
    const size_t n = round % 2 == 0 ? rng() % 60 : rng() % 700;
    SparseVector v;
    for (size_t i = 0; i < n; ++i) {
      v.ids.push_back(static_cast<uint32_t>(3 * i + 1));
      // Many ties, and -0.0f, which ties +0.0f.
      const float w = static_cast<float>(rng() % 8) / 4;
      v.weights.push_back(rng() % 16 == 0 ? -0.0f : w);
    }
    const int k = static_cast<int>(rng() % 40) + 1;
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](uint32_t a, uint32_t b) { return v.weights[a] > v.weights[b]; });
    std::vector<uint32_t> want;
    for (size_t i = 0; i < std::min<size_t>(k, n); ++i) want.push_back(v.ids[order[i]]);
    TopTerms(v.view(), k, &got);
    EXPECT_EQ(got, want) << "round " << round;
  }
}

TEST(TopTermsTest, RisingWeightsEnterAtEveryTerm) {
  // Each term beats all before it: the worst case for the scan's buffer.
  SparseVector v;
  for (uint32_t i = 0; i < 500; ++i) {
    v.ids.push_back(i);
    v.weights.push_back(static_cast<float>(i) + 0.5f);
  }
  std::vector<uint32_t> got;
  TopTerms(v.view(), 3, &got);
  EXPECT_EQ(got, (std::vector<uint32_t>{499, 498, 497}));
}

}  // namespace
}  // namespace storysift::internal
