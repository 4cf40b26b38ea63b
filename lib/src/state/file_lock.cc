#include "storysift/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storysift/status_macros.h"
#include "io/output_file.h"
#include "state/durable_io.h"

namespace storysift {
namespace {

constexpr char kLockHeldPayload[] = "storysift/lock-held";

// Whether `fd` is the file at `path` now (not one deleted or replaced since
// it was opened). ENOENT and the like count as no.
bool IsFileAt(int fd, const std::string& path) {
  struct stat held, named;
  if (::fstat(fd, &held) != 0 || ::stat(path.c_str(), &named) != 0) return false;
  return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace

absl::StatusOr<FileLock> FileLock::Acquire(const std::string& lock_path, LockMode mode,
                                           double wait_seconds) {
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(wait_seconds > 0 ? wait_seconds : 0));
  // A lock on a file that someone deleted (a "stale lock" cleaned up by
  // hand) or replaced while we waited excludes nobody: lock the file that is
  // there now. Bounded, so a directory whose file keeps changing fails.
  for (int attempt = 0;; ++attempt) {
    absl::StatusOr<FileLock> lock = AcquireOnce(lock_path, mode, wait_seconds, deadline);
    if (!lock.ok() || lock->fd_ < 0 || IsFileAt(lock->fd_, lock_path)) return lock;
    if (attempt == 100) {
      return absl::AbortedError(absl::StrCat(lock_path, ": the lock file keeps being removed or "
                                             "replaced while it is locked"));
    }
  }
}

absl::Status FileLock::CheckStillHeld() const {
  if (fd_ < 0 || IsFileAt(fd_, path_)) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(
      path_, " was removed or replaced while this run held it, so another run may have written "
             "meanwhile: nothing was committed; run again"));
}

absl::StatusOr<FileLock> FileLock::AcquireOnce(
    const std::string& lock_path, LockMode mode, double wait_seconds,
    std::chrono::steady_clock::time_point deadline) {
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0 && mode == LockMode::kShared && (errno == EACCES || errno == EROFS)) {
    fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) return FileLock(-1, lock_path);
  }
  if (fd < 0) return internal::ErrnoError(errno, "cannot open lock file", lock_path);
  const int op = mode == LockMode::kShared ? LOCK_SH : LOCK_EX;
  while (::flock(fd, op | LOCK_NB) != 0) {
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EWOULDBLOCK) {
      ::close(fd);
      return internal::ErrnoError(err, "cannot lock", lock_path);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::close(fd);
      absl::Status held = absl::UnavailableError(absl::StrFormat(
          "%s is locked by another storysift process (a run on the same state or index is in "
          "progress); %s",
          lock_path,
          wait_seconds > 0 ? absl::StrFormat("still locked after waiting %g s", wait_seconds)
                           : std::string("try again later or pass --wait SECONDS")));
      held.SetPayload(kLockHeldPayload, absl::Cord("1"));
      return held;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return FileLock(fd, lock_path);
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // Closing the last descriptor drops the flock.
}

bool IsLockHeld(const absl::Status& status) {
  return status.GetPayload(kLockHeldPayload).has_value();
}

std::string IndexLockPath(const std::string& index_path) {
  // "<index>.lock", or a shortened name for an index name near NAME_MAX.
  const size_t slash = index_path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : index_path.substr(0, slash);
  const size_t start = slash == std::string::npos ? 0 : slash + 1;
  return absl::StrCat(index_path.substr(0, start),
                      internal::FitFileName(index_path.substr(start), ".lock", 0,
                                            internal::NameMaxIn(dir)));
}

absl::StatusOr<FileLock> LockIndexForWriting(const std::string& path, double wait_seconds) {
  if (!(wait_seconds >= 0 && wait_seconds <= kMaxLockWaitSeconds)) {  // NaN too.
    return absl::InvalidArgumentError(absl::StrFormat(
        "wait: %g is not within 0..%g seconds", wait_seconds, kMaxLockWaitSeconds));
  }
  const std::string target = ResolveOutputPath(path);
  STORYSIFT_ASSIGN_OR_RETURN(
      FileLock lock, FileLock::Acquire(IndexLockPath(target), LockMode::kExclusive, wait_seconds));
  RemoveOrphanTempFiles(target);
  return lock;
}

}  // namespace storysift
