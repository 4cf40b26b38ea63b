#include "pipeline/parallel.h"

#include <atomic>
#include <thread>
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

// The workers are kept between calls: calls made from inside a call, from
// several threads at once, and thousands in a row (as the pipeline makes,
// one per batch) must all finish and visit every index once.
TEST(ParallelForTest, BlocksCoverTheRangeOnceInWholeBlocks) {
  for (size_t n : {0, 1, 7, 8, 9, 64, 1000}) {
    for (int threads : {1, 2, 5}) {
      std::vector<std::atomic<int>> visits(n);
      std::atomic<size_t> short_blocks{0};
      ParallelForBlocks(n, 8, threads, [&](size_t begin, size_t end) {
        ASSERT_EQ(begin % 8, 0u);
        ASSERT_LE(end, n);
        ASSERT_LT(begin, end);
        if (end - begin != 8) {
          ASSERT_EQ(end, n) << "only the last block is shorter";
          short_blocks.fetch_add(1);
        }
        for (size_t i = begin; i < end; ++i) visits[i].fetch_add(1);
      });
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << i << " of " << n;
      EXPECT_EQ(short_blocks.load(), n % 8 != 0 ? 1u : 0u);
    }
  }
}

TEST(ParallelForTest, NestedConcurrentAndRepeatedCallsAllComplete) {
  std::vector<std::atomic<int>> visits(64 * 64);
  ParallelFor(64, 4, [&](size_t i) {
    ParallelFor(64, 3, [&](size_t j) { visits[i * 64 + j].fetch_add(1); });
  });
  for (size_t k = 0; k < visits.size(); ++k) ASSERT_EQ(visits[k].load(), 1) << k;

  std::vector<std::thread> callers;
  std::vector<std::vector<int>> seen(4, std::vector<int>(500, 0));
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&, c] { ParallelFor(500, 2, [&](size_t i) { seen[c][i] += 1; }); });
  }
  for (std::thread& t : callers) t.join();
  for (const auto& s : seen) {
    for (int v : s) ASSERT_EQ(v, 1);
  }

  std::atomic<long> sum{0};
  for (int round = 0; round < 2000; ++round) {
    ParallelFor(7, 2, [&](size_t i) { sum.fetch_add(static_cast<long>(i)); });
  }
  EXPECT_EQ(sum.load(), 2000L * 21);
}

TEST(ParallelForTest, ResolvesZeroToHardwareThreads) {
  EXPECT_GE(ResolveThreadCount(0), 1);
  EXPECT_EQ(ResolveThreadCount(3), 3);
}

}  // namespace
}  // namespace storysift
