// WriteLinesInOrder: every line once, in order, across its growing blocks,
// with the next block made while one is written.
#include "io/ordered_lines.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace storysift {
namespace {

std::string LineText(size_t i) { return "line " + std::to_string(i * 7919 % 10007); }

// Counts around the block edges (the first block holds 512 lines, then
// 1024, 2048, 4096 each) and past several full blocks.
TEST(OrderedLinesTest, WritesEveryLineOnceInOrderAtAnyThreadCount) {
  for (size_t count : {0, 1, 511, 512, 513, 1536, 1537, 3584, 7680, 7681, 20000}) {
    for (int threads : {1, 2, 3}) {
      std::vector<std::atomic<int>> made(count);
      std::vector<std::string> got;
      const std::thread::id caller = std::this_thread::get_id();
      bool written_elsewhere = false;
      WriteLinesInOrder(
          count, threads,
          [&](size_t i) {
            made[i].fetch_add(1);
            return LineText(i);
          },
          [&](std::string_view line) {
            written_elsewhere |= std::this_thread::get_id() != caller;
            got.emplace_back(line);
          });
      ASSERT_EQ(got.size(), count) << threads << " threads";
      for (size_t i = 0; i < count; ++i) {
        ASSERT_EQ(made[i].load(), 1) << "line " << i << " of " << count;
        ASSERT_EQ(got[i], LineText(i)) << "line " << i << " of " << count;
      }
      EXPECT_FALSE(written_elsewhere) << "write runs on the caller only";
    }
  }
}

// With two threads the pool makes the next block while the caller writes:
// a write that waits until a later line exists finishes only if it does.
TEST(OrderedLinesTest, MakesTheNextBlockWhileOneIsWritten) {
  constexpr size_t kCount = 3000;
  constexpr auto kPatience = std::chrono::seconds(10);  // A loaded machine's helper.
  std::atomic<size_t> made{0};
  bool saw_later_line = false;
  WriteLinesInOrder(
      kCount, 2,
      [&](size_t i) {
        made.fetch_add(1);
        return LineText(i);
      },
      [&](std::string_view) {
        // Written: the first block (512 lines). The next (1024) starts
        // before the first write, so more than 512 lines get made.
        const auto give_up = std::chrono::steady_clock::now() + kPatience;
        while (!saw_later_line && std::chrono::steady_clock::now() < give_up) {
          saw_later_line = made.load() > 512;
          std::this_thread::yield();
        }
      });
  EXPECT_TRUE(saw_later_line);
  EXPECT_EQ(made.load(), kCount);
}

}  // namespace
}  // namespace storysift
