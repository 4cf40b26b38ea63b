#include "storysift/parallel.h"

#include <vector>

#include "gtest/gtest.h"

namespace storysift {
namespace {

TEST(ParallelForTest, VisitsEveryIndexExactlyOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 8}) {
    std::vector<int> visits(1001, 0);
    ParallelFor(visits.size(), threads, [&](size_t i) { visits[i] += 1; });
    for (size_t i = 0; i < visits.size(); ++i) ASSERT_EQ(visits[i], 1) << i;
  }
}

TEST(ParallelForTest, HandlesEmptyAndTinyRanges) {
  int calls = 0;
  ParallelFor(0, 4, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
  ParallelFor(1, 4, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 1);
}

TEST(ParallelForTest, ResolvesZeroToHardwareThreads) {
  EXPECT_GE(ResolveThreadCount(0), 1);
  EXPECT_EQ(ResolveThreadCount(3), 3);
}

}  // namespace
}  // namespace storysift
