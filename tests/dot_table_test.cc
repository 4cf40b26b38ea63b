#include "cluster/dot_table.h"

#include <algorithm>
#include <bit>
#include <random>

#include "gtest/gtest.h"
#include "random_sparse_row.h"

namespace storysift::internal {
namespace {

using testing::RandomRow;

// Vocabularies below 450 terms: 0 = unknown (the cuckoo table), 450 = a
// dense array over the ids.
class DotTableLayoutTest : public ::testing::TestWithParam<size_t> {};

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

INSTANTIATE_TEST_SUITE_P(CuckooAndDense, DotTableLayoutTest, ::testing::Values(0, 450));

}  // namespace
}  // namespace storysift::internal
