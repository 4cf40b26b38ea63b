#include "state/durable_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "state/fault_point.h"
#include "xxhash.h"

namespace storysift::internal {
namespace {

constexpr uint64_t kStateChecksumSeed = 0x5354415445584833ull;  // "STATEXH3"

std::string ParentOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

uint64_t StateChecksum(std::string_view bytes) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), kStateChecksumSeed);
}

std::string ChecksumHex(uint64_t checksum) { return absl::StrFormat("%016x", checksum); }

absl::Status ErrnoError(int err, std::string_view what, std::string_view path) {
  const std::string message =
      absl::StrCat(std::string(what), " ", std::string(path), ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  if (err == ENOSPC || err == EDQUOT) return absl::ResourceExhaustedError(message);
  return absl::UnavailableError(message);
}

size_t NameMaxIn(const std::string& dir) {
  const long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  return name_max > 0 ? static_cast<size_t>(name_max) : NAME_MAX;
}

std::string FitFileName(const std::string& name, std::string_view suffix, size_t reserve,
                        size_t name_max) {
  if (name.size() + suffix.size() + reserve <= name_max) {
    return absl::StrCat(name, std::string(suffix));
  }
  constexpr size_t kHashBytes = 1 + 16;  // "~" and the hash.
  const size_t fixed = kHashBytes + suffix.size() + reserve;
  size_t keep = name_max > fixed ? std::min(name.size(), name_max - fixed) : 0;
  while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;
  return absl::StrFormat("%s~%016x%s", name.substr(0, keep), XXH3_64bits(name.data(), name.size()),
                         std::string(suffix));
}

absl::Status KeepModeOf(int fd, const std::string& like, const std::string& fd_path) {
  struct stat old, made;
  if (::stat(like.c_str(), &old) != 0 || !S_ISREG(old.st_mode)) return absl::OkStatus();
  if (::fstat(fd, &made) != 0) return ErrnoError(errno, "cannot stat", fd_path);
  // Owner first: a chown may clear mode bits. Root gives the file back to
  // the old owner; anyone may set a group they belong to; EPERM otherwise.
  const uid_t owner = old.st_uid != made.st_uid && ::geteuid() == 0 ? old.st_uid : uid_t(-1);
  const gid_t group = old.st_gid != made.st_gid ? old.st_gid : gid_t(-1);
  if (owner != uid_t(-1) || group != gid_t(-1)) (void)::fchown(fd, owner, group);
  const mode_t mode = old.st_mode & 0777;
  if ((made.st_mode & 0777) != mode && ::fchmod(fd, mode) != 0) {
    return ErrnoError(errno, "cannot set the permissions of", fd_path);
  }
  return absl::OkStatus();
}

absl::Status WriteNewFileDurably(const std::string& path, std::string_view contents,
                                 std::string_view fault_step, const std::string& replaces) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError(errno, "cannot create", path);
  if (!replaces.empty()) {
    if (absl::Status kept = KeepModeOf(fd, replaces, path); !kept.ok()) {
      ::close(fd);
      ::unlink(path.c_str());
      return kept;
    }
  }
  const std::string half_step = absl::StrCat(std::string(fault_step), ".half");
  size_t done = 0;
  int err = 0;
  while (done < contents.size()) {
    // Written in two halves so a fault can leave a torn file behind.
    const size_t half = contents.size() / 2;
    const size_t limit = done < half ? half : contents.size();
    const ssize_t n = ::write(fd, contents.data() + done, std::min(limit - done, size_t{1} << 30));
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    done += static_cast<size_t>(n);
    if (done == half) FaultPoint(half_step);
  }
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(path.c_str());
    return ErrnoError(err, "cannot write", path);
  }
  FaultPoint(absl::StrCat(std::string(fault_step), ".synced"));
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open directory", dir);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Some file systems cannot fsync a directory (EINVAL); their renames are
  // as durable as they get.
  if (rc != 0 && err != EINVAL) return ErrnoError(err, "cannot sync directory", dir);
  return absl::OkStatus();
}

absl::Status RenameDurably(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot rename ", from, " to"), to);
  }
  return SyncDirectory(ParentOf(to));
}

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return ErrnoError(errno, "cannot open", path);
  std::string bytes;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) bytes.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return absl::UnavailableError(absl::StrCat("cannot read ", path));
  return bytes;
}

std::vector<std::string> ListDirectory(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

}  // namespace storysift::internal
