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
// during the first write more lines get made (writing the blocks after
// making them, none would be until the block's writes are done).
TEST(OrderedLinesTest, MakesTheNextBlockWhileOneIsWritten) {
  constexpr size_t kCount = 3000;
  constexpr auto kLineTime = std::chrono::microseconds(20);  // Block 2 takes > 10 ms.
  constexpr auto kPatience = std::chrono::seconds(10);       // A loaded machine's helper.
  std::atomic<size_t> made{0};
  bool first_write = true;
  bool made_while_writing = false;
  WriteLinesInOrder(
      kCount, 2,
      [&](size_t i) {
        std::this_thread::sleep_for(kLineTime);
        made.fetch_add(1);
        return LineText(i);
      },
      [&](std::string_view) {
        if (!first_write) return;
        first_write = false;
        const size_t before = made.load();
        const auto give_up = std::chrono::steady_clock::now() + kPatience;
        while (!made_while_writing && std::chrono::steady_clock::now() < give_up) {
          made_while_writing = made.load() > before;
          std::this_thread::yield();
        }
      });
  EXPECT_TRUE(made_while_writing);
  EXPECT_EQ(made.load(), kCount);
}

}  // namespace
}  // namespace storysift
