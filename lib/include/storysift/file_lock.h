// One writer at a time on a state directory or index file: an flock(2) on a
// lock file (LevelDB's LOCK model). The kernel drops the lock when the
// process ends, however it ends, so a crash never leaves a stale lock.
// Readers take the shared mode so that they never overlap a writer's
// commit.
#ifndef STORYSIFT_FILE_LOCK_H_
#define STORYSIFT_FILE_LOCK_H_

#include <chrono>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storysift {

enum class LockMode { kShared, kExclusive };

// Not thread-safe; movable. Releases the lock when destroyed.
class FileLock {
 public:
  // Locks `lock_path` (created when missing; a reader on a read-only
  // directory where it is missing gets a lock that holds nothing, since no
  // writer can work there either). Waits up to `wait_seconds` (0: fail at
  // once) for another holder. Unavailable with IsLockHeld() true, naming
  // the path, when the wait ends; other codes for I/O errors.
  static absl::StatusOr<FileLock> Acquire(const std::string& lock_path, LockMode mode,
                                          double wait_seconds = 0);

  FileLock(FileLock&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) {
    other.fd_ = -1;
  }
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  const std::string& path() const { return path_; }

  // Aborted when the file at path() is no longer the one locked (deleted or
  // replaced by hand while held: a second writer may have locked the new
  // one). A writer calls it just before it commits.
  absl::Status CheckStillHeld() const;

 private:
  FileLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  static absl::StatusOr<FileLock> AcquireOnce(const std::string& lock_path, LockMode mode,
                                              double wait_seconds,
                                              std::chrono::steady_clock::time_point deadline);
  int fd_;
  std::string path_;
};

// True for the error Acquire returns when another process holds the lock
// (the CLI exits 3 for it).
bool IsLockHeld(const absl::Status& status);

// The lock file of an index file: "<index>.lock" beside it (for an index
// name within 5 bytes of NAME_MAX, its first bytes, "~" and a hash of the
// name, then ".lock").
std::string IndexLockPath(const std::string& index_path);

// The longest wait LockIndexForWriting takes (a week): a bound, so that a
// mistyped value fails rather than hangs a nightly job.
inline constexpr double kMaxLockWaitSeconds = 7 * 86400.0;

// The lock every writer of one index or streaming-stage file holds, from
// before it reads the file until its new version is in place (`storysift
// index build|add`, the Python Deduplicator and StoryAssigner): the
// exclusive lock of IndexLockPath() beside the file `path` names once
// symlinks are followed, so every path to one file shares one lock. Waits
// up to `wait_seconds` as Acquire; InvalidArgument when it is not within
// 0..kMaxLockWaitSeconds. Once locked, removes the temp files that crashed
// writers of the file left. Readers take no lock: the file is only ever
// replaced by a rename.
absl::StatusOr<FileLock> LockIndexForWriting(const std::string& path, double wait_seconds);

}  // namespace storysift

#endif  // STORYSIFT_FILE_LOCK_H_
