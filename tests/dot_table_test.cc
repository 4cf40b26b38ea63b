#include "cluster/dot_table.h"

#include <algorithm>
#include <bit>
#include <random>

#include "gtest/gtest.h"

namespace storysift::internal {
namespace {

// A random sparse row: `size` distinct ids below `vocab`, sorted, with
// weights of mixed sign and magnitude (so summation order shows in the bits).
SparseVector RandomRow(std::mt19937& rng, uint32_t vocab, size_t size) {
  std::vector<uint32_t> ids(vocab);
  for (uint32_t k = 0; k < vocab; ++k) ids[k] = k;
  std::shuffle(ids.begin(), ids.end(), rng);
  ids.resize(std::min<size_t>(size, vocab));
  std::sort(ids.begin(), ids.end());
  std::uniform_real_distribution<float> w(-1.0f, 1.0f);
  std::uniform_int_distribution<int> exponent(-20, 5);
  SparseVector v;
  v.ids = ids;
  for (size_t k = 0; k < ids.size(); ++k) v.weights.push_back(std::ldexp(w(rng), exponent(rng)));
  return v;
}

// Vocabularies below 450 terms: 0 = unknown (the cuckoo table), 450 = a
// dense array over the ids.
class DotTableLayoutTest : public testing::TestWithParam<size_t> {};

TEST_P(DotTableLayoutTest, BitIdenticalToDotAcrossReloads) {
  std::mt19937 rng(7);
  DotTable table(GetParam());
  for (int round = 0; round < 200; ++round) {
    const uint32_t vocab = 50 + rng() % 400;
    const SparseVector a = RandomRow(rng, vocab, rng() % 120);
    table.Load(a.view());  // Reloads reuse or resize the table.
    for (int other = 0; other < 20; ++other) {
      const SparseVector b = RandomRow(rng, vocab, rng() % 150);
      const float want = Dot(a.view(), b.view());
      const float got = table.Dot(b.view());
      EXPECT_EQ(std::bit_cast<uint32_t>(got), std::bit_cast<uint32_t>(want))
          << "round " << round << " other " << other;
    }
  }
}

TEST_P(DotTableLayoutTest, EmptyRowsGivePositiveZero) {
  DotTable table(GetParam());
  const SparseVector empty;
  SparseVector b;
  b.ids = {3, 9};
  b.weights = {-0.5f, 0.25f};
  table.Load(empty.view());
  EXPECT_EQ(std::bit_cast<uint32_t>(table.Dot(b.view())), std::bit_cast<uint32_t>(0.0f));
  table.Load(b.view());
  EXPECT_EQ(std::bit_cast<uint32_t>(table.Dot(empty.view())), std::bit_cast<uint32_t>(0.0f));
  EXPECT_EQ(table.Dot(b.view()), Dot(b.view(), b.view()));
}

INSTANTIATE_TEST_SUITE_P(CuckooAndDense, DotTableLayoutTest, testing::Values(0, 450));

}  // namespace
}  // namespace storysift::internal
