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
  for (int round = 0; round < 500; ++round) {
    const size_t n = rng() % 60;
    SparseVector v;
    for (size_t i = 0; i < n; ++i) {
      v.ids.push_back(static_cast<uint32_t>(3 * i + 1));
      v.weights.push_back(static_cast<float>(rng() % 8) / 4);  // Many ties.
    }
    const int k = static_cast<int>(rng() % 20) + 1;
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

}  // namespace
}  // namespace storysift::internal
