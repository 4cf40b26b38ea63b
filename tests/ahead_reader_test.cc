#include "pipeline/ahead_reader.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace storysift::internal {
namespace {

// The pipeline's pattern: Start() the next read, work, Wait() for it. Each
// read runs once per Start(), off the calling thread, in order, and every
// read runs on the one thread kept for the run.
TEST(AheadReaderTest, RunsOneReadPerStartOnOneThreadInOrder) {
  std::vector<int> order;
  std::vector<std::thread::id> threads;
  int next = 0;
  AheadReader reader([&]() -> absl::StatusOr<bool> {
    order.push_back(next);
    threads.push_back(std::this_thread::get_id());
    return ++next < 5;
  });
  for (int batch = 0;; ++batch) {
    reader.Start();
    absl::StatusOr<bool> more = reader.Wait();
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    ASSERT_LT(batch, 10);
  }
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  ASSERT_EQ(threads.size(), 5u);
  for (const std::thread::id& id : threads) {
    EXPECT_EQ(id, threads[0]);
    EXPECT_NE(id, std::this_thread::get_id());
  }
}

TEST(AheadReaderTest, HandsBackTheReadsError) {
  AheadReader reader([]() -> absl::StatusOr<bool> {
    return absl::DataLossError("input.jsonl:7: truncated record");
  });
  reader.Start();
  const absl::StatusOr<bool> got = reader.Wait();
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(got.status().message(), "input.jsonl:7: truncated record");
}

// A run that stops on an error leaves a read in flight: the reader must
// finish it (its buffers belong to the caller) before it goes.
TEST(AheadReaderTest, DestructorWaitsForTheReadInFlight) {
  std::atomic<bool> finished{false};
  {
    AheadReader reader([&]() -> absl::StatusOr<bool> {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;
      return true;
    });
    reader.Start();
  }
  EXPECT_TRUE(finished);
}

TEST(AheadReaderTest, DestructorWithoutAStartReadsNothing) {
  int reads = 0;
  {
    AheadReader reader([&]() -> absl::StatusOr<bool> {
      ++reads;
      return true;
    });
  }
  EXPECT_EQ(reads, 0);
}

}  // namespace
}  // namespace storysift::internal
