// FileLock when the lock file is deleted or replaced by hand: a waiter locks
// the file that is there now, and a holder learns that it lost it.
#include "storysift/file_lock.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

#include "gtest/gtest.h"
#include "temp_dir.h"

namespace storysift {
namespace {

using testing_util::TempDir;

TEST(FileLockTest, HolderWhoseFileWasRemovedIsNoLongerHolding) {
  const TempDir dir;
  const std::string path = dir / "LOCK";
  absl::StatusOr<FileLock> first = FileLock::Acquire(path, LockMode::kExclusive);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->CheckStillHeld().ok());
  std::filesystem::remove(path);
  // A second writer now gets a lock of its own on a new file...
  absl::StatusOr<FileLock> second = FileLock::Acquire(path, LockMode::kExclusive);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->CheckStillHeld().ok());
  // ...so the first must not commit.
  const absl::Status lost = first->CheckStillHeld();
  EXPECT_EQ(lost.code(), absl::StatusCode::kAborted) << lost;
}

TEST(FileLockTest, WaiterOnAReplacedFileLocksTheNewOne) {
  const TempDir dir;
  const std::string path = dir / "LOCK";
  std::optional<absl::StatusOr<FileLock>> holder(FileLock::Acquire(path, LockMode::kExclusive));
  ASSERT_TRUE(holder->ok());
  std::future<absl::StatusOr<FileLock>> waiter = std::async(std::launch::async, [&path] {
    return FileLock::Acquire(path, LockMode::kExclusive, /*wait_seconds=*/10);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // The waiter is on the old file.
  std::ofstream(dir / "LOCK.new") << "";
  std::filesystem::rename(dir / "LOCK.new", path);
  holder.reset();  // Releases the old file: the waiter gets it, then sees it is stale.
  absl::StatusOr<FileLock> got = waiter.get();
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->CheckStillHeld().ok());
  // The waiter holds the file now at the path: nobody else gets it.
  absl::StatusOr<FileLock> third = FileLock::Acquire(path, LockMode::kExclusive);
  EXPECT_TRUE(IsLockHeld(third.status())) << third.status();
}

TEST(FileLockTest, IndexWritersShareOneLockWhateverPathNamesTheFile) {
  const TempDir dir;
  std::ofstream(dir / "feed.idx") << "";
  std::filesystem::create_symlink(dir / "feed.idx", dir / "alias.idx");
  absl::StatusOr<FileLock> writer = LockIndexForWriting(dir / "alias.idx", 0);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ(writer->path(), dir / "feed.idx.lock");  // Beside the file, not the link.
  const absl::StatusOr<FileLock> second = LockIndexForWriting(dir / "feed.idx", 0);
  EXPECT_TRUE(IsLockHeld(second.status())) << second.status();
}

TEST(FileLockTest, IndexLockWaitOutsideAWeekIsRefused) {
  const TempDir dir;
  for (const double wait : {-1.0, kMaxLockWaitSeconds + 1, std::nan("")}) {
    const absl::StatusOr<FileLock> lock = LockIndexForWriting(dir / "feed.idx", wait);
    EXPECT_EQ(lock.status().code(), absl::StatusCode::kInvalidArgument) << wait;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "feed.idx.lock"));
}

}  // namespace
}  // namespace storysift
