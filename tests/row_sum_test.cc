#include "vector/row_sum.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "random_sparse_row.h"

namespace storysift::internal {
namespace {

using testing::RandomRow;
using testing::Zeros;

// The reference: every (id, weight) pair sorted, each id's weights summed in
// that order (what the story labels and headlines did before the merge).
SparseVector SortedSum(const std::vector<SparseVector>& rows) {
  std::vector<std::pair<uint32_t, float>> terms;
  for (const SparseVector& r : rows) {
    for (size_t k = 0; k < r.ids.size(); ++k) terms.emplace_back(r.ids[k], r.weights[k]);
  }
  std::sort(terms.begin(), terms.end());
  SparseVector sum;
  for (const auto& [id, w] : terms) {
    if (!sum.ids.empty() && sum.ids.back() == id) {
      sum.weights.back() += w;
    } else {
      sum.ids.push_back(id);
      sum.weights.push_back(w);
    }
  }
  return sum;
}

TEST(RowSumTest, BitIdenticalToSortingAllPairs) {
  std::mt19937 rng(11);
  SparseVector got;
  for (int round = 0; round < 300; ++round) {
    const uint32_t vocab = 20 + rng() % 300;
    std::vector<SparseVector> rows(rng() % 12);  // Zero rows too.
    for (SparseVector& r : rows) r = RandomRow(rng, vocab, rng() % 80, Zeros::kSomeOfEitherSign);
    std::vector<SparseVectorView> views;
    for (const SparseVector& r : rows) views.push_back(r.view());
    SumRows(views, &got);
    const SparseVector want = SortedSum(rows);
    ASSERT_EQ(got.ids, want.ids) << "round " << round;
    ASSERT_EQ(got.weights.size(), want.weights.size());
    for (size_t k = 0; k < want.weights.size(); ++k) {
      EXPECT_EQ(std::bit_cast<uint32_t>(got.weights[k]), std::bit_cast<uint32_t>(want.weights[k]))
          << "round " << round << " id " << want.ids[k];
    }
  }
}

TEST(RowSumTest, AddsEachIdsWeightsSmallestFirst) {
  // 1 + 2^-24 + 2^-24: adding the two small weights first keeps them (2^-23
  // survives against 1), adding 1 first loses both to rounding.
  const float tiny = std::ldexp(1.0f, -24);
  SparseVector a, b, c;
  a.ids = {5};
  a.weights = {1.0f};
  b.ids = {5};
  b.weights = {tiny};
  c.ids = {2, 5};
  c.weights = {0.5f, tiny};
  const std::vector<SparseVectorView> rows = {a.view(), b.view(), c.view()};
  SparseVector sum;
  SumRows(rows, &sum);
  EXPECT_EQ(sum.ids, (std::vector<uint32_t>{2, 5}));
  EXPECT_EQ(sum.weights, (std::vector<float>{0.5f, 1.0f + 2 * tiny}));
}

// The candidate scorer ranks (float, item) pairs as integers by these bits:
// their unsigned order must be the floats' order, and they must give the
// float back.
TEST(OrderedBitsTest, UnsignedOrderIsFloatOrderAndInverts) {
  std::mt19937 rng(5);
  std::vector<float> values = {0.0f, -0.0f, 1.0f, -1.0f, std::ldexp(1.0f, -149),
                               -std::ldexp(1.0f, -149), 3.0e38f, -3.0e38f};
  for (int k = 0; k < 2000; ++k) {
    values.push_back(std::bit_cast<float>(static_cast<uint32_t>(rng())));
    if (std::isnan(values.back()) || std::isinf(values.back())) values.pop_back();
  }
  for (float a : values) {
    EXPECT_EQ(std::bit_cast<uint32_t>(FromOrderedBits(OrderedBits(a))),
              std::bit_cast<uint32_t>(a));
    for (float b : values) {
      if (a == b) continue;  // Only +0.0f against -0.0f is equal and distinct.
      ASSERT_EQ(a < b, OrderedBits(a) < OrderedBits(b)) << a << " vs " << b;
    }
  }
  EXPECT_LT(OrderedBits(-0.0f), OrderedBits(0.0f));
}

}  // namespace
}  // namespace storysift::internal
