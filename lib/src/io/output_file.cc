#include "io/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "state/durable_io.h"
#include "state/fault_point.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

using internal::ErrnoError;

// The temporary file's stdio buffer: a run writes megabytes of lines, and
// the default (one 4 KiB block) made a write() call per 4 KiB (~1,300 of
// them for a 20k-document `cluster`), serial on the writing thread.
constexpr size_t kTempFileBufferBytes = size_t{1} << 20;

std::string ParentOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

bool IsSpecialFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

// Unique per output within the process; the pid makes it unique across.
std::string TempPathFor(const std::string& target) {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat(target, ".tmp.", static_cast<int64_t>(::getpid()), ".",
                      counter.fetch_add(1));
}

}  // namespace

std::string ResolveOutputPath(std::string_view path) {
  std::string p(path);
  if (p.empty() || p == "-") return p;
  for (int hops = 0; hops < 40; ++hops) {
    char buf[PATH_MAX];
    const ssize_t n = ::readlink(p.c_str(), buf, sizeof(buf) - 1);
    if (n < 0) return p;  // Not a symlink (or absent): the target itself.
    std::string link(buf, static_cast<size_t>(n));
    p = link.front() == '/' ? link : absl::StrCat(ParentOf(p), "/", link);
  }
  return p;
}

bool SameFile(std::string_view a, std::string_view b) {
  const std::string ra = ResolveOutputPath(a), rb = ResolveOutputPath(b);
  struct stat sa, sb;
  if (::stat(ra.c_str(), &sa) == 0 && ::stat(rb.c_str(), &sb) == 0) {
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }
  std::error_code ec;
  const auto na = std::filesystem::weakly_canonical(std::filesystem::absolute(ra, ec), ec);
  const auto nb = std::filesystem::weakly_canonical(std::filesystem::absolute(rb, ec), ec);
  return na == nb;
}

absl::Status CheckOutputPaths(const std::vector<NamedPath>& outputs,
                              const std::vector<NamedPath>& inputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const NamedPath& o = outputs[i];
    if (o.path.empty()) continue;
    const bool stdout_path = o.path == "-";
    if (!stdout_path && IsSpecialFile(ResolveOutputPath(o.path))) continue;
    for (size_t j = i + 1; j < outputs.size(); ++j) {
      const NamedPath& p = outputs[j];
      if (p.path.empty()) continue;
      if (stdout_path ? p.path == "-" : (p.path != "-" && SameFile(o.path, p.path))) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s and %s both write %s: give each output its own file", o.flag, p.flag,
            stdout_path ? "standard output" : o.path));
      }
    }
    if (stdout_path) continue;
    for (const NamedPath& in : inputs) {
      if (in.path.empty() || in.path == "-") continue;
      if (SameFile(o.path, in.path)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s %s is also %s: refusing to overwrite an input", o.flag, o.path, in.flag));
      }
    }
  }
  return absl::OkStatus();
}

namespace {

// Calls remove(path, writer pid) for each "<target>.tmp.<pid>[.<n>]" file.
template <typename Remove>
void ForEachTempFile(const std::string& target, Remove remove) {
  const size_t slash = target.rfind('/');
  const std::string dir = ParentOf(target);
  const std::string prefix =
      absl::StrCat(slash == std::string::npos ? target : target.substr(slash + 1), ".tmp.");
  for (const std::string& name : internal::ListDirectory(dir)) {
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    // Only our own pattern: digits and dots after the prefix.
    if (name.find_first_not_of("0123456789.", prefix.size()) != std::string::npos) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    remove(absl::StrCat(dir, "/", name), pid);
  }
}

// A temp file of a writer that no longer runs (killed before its rename)
// is an orphan; a live writer's (another process, or this one) is not.
void RemoveDeadWritersTempFiles(const std::string& target) {
  ForEachTempFile(target, [](const std::string& path, long pid) {
    if (pid <= 0 || pid == ::getpid()) return;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) ::unlink(path.c_str());
  });
}

}  // namespace

void RemoveOrphanTempFiles(const std::string& target) {
  ForEachTempFile(target, [](const std::string& path, long) { ::unlink(path.c_str()); });
}

OutputFile::OutputFile(std::string path, std::string target, std::string temp_path,
                       std::FILE* file)
    : path_(std::move(path)),
      target_(std::move(target)),
      temp_path_(std::move(temp_path)),
      file_(file) {}

absl::StatusOr<std::unique_ptr<OutputFile>> OutputFile::Open(std::string_view path) {
  if (path == "-") {
    return std::unique_ptr<OutputFile>(new OutputFile("-", "-", "", stdout));
  }
  std::string target = ResolveOutputPath(path);
  if (IsSpecialFile(target)) {
    // /dev/null, a FIFO, a terminal: write through; a rename would replace
    // the node itself.
    std::FILE* file = std::fopen(target.c_str(), "wb");
    if (file == nullptr) return ErrnoError(errno, "cannot open", target);
    return std::unique_ptr<OutputFile>(new OutputFile(std::string(path), target, "", file));
  }
  RemoveDeadWritersTempFiles(target);
  std::string temp = TempPathFor(target);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError(errno, "cannot create", temp);
  std::FILE* file = ::fdopen(fd, "wb");
  if (file == nullptr) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return ErrnoError(err, "cannot open", temp);
  }
  std::unique_ptr<OutputFile> out(
      new OutputFile(std::string(path), std::move(target), std::move(temp), file));
  // Before any write, as setvbuf must be (glibc ignores the size unless
  // given the buffer).
  out->buffer_ = std::make_unique<char[]>(kTempFileBufferBytes);
  std::setvbuf(file, out->buffer_.get(), _IOFBF, kTempFileBufferBytes);
  return out;
}

OutputFile::~OutputFile() {
  if (committed_ || file_ == stdout) return;
  if (file_ != nullptr) std::fclose(file_);
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void OutputFile::Write(std::string_view data) {
  if (failed_ || data.empty() || file_ == nullptr) return;
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) failed_ = true;
}

absl::Status OutputFile::Sync() {
  if (committed_) return absl::FailedPreconditionError("OutputFile already committed");
  if (synced_) return absl::OkStatus();
  if (temp_path_.empty()) {
    // Standard output or a special file: nothing to make durable.
    if (std::fflush(file_) != 0 || failed_) {
      return ErrnoError(errno, "cannot write", file_ == stdout ? "standard output" : target_);
    }
    synced_ = true;
    return absl::OkStatus();
  }
  bool ok = !failed_ && std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  int err = errno;
  if (failed_ && err == 0) err = EIO;
  ok = (std::fclose(file_) == 0) && ok;
  file_ = nullptr;
  if (!ok) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
    committed_ = true;  // Nothing left to do or undo.
    return ErrnoError(err, "cannot write", path_);
  }
  synced_ = true;
  internal::FaultPoint("output.synced");
  return absl::OkStatus();
}

absl::Status OutputFile::Commit() {
  STORYSIFT_RETURN_IF_ERROR(Sync());
  committed_ = true;
  if (temp_path_.empty()) {
    if (file_ != nullptr && file_ != stdout) std::fclose(file_);
    file_ = nullptr;
    return absl::OkStatus();
  }
  const absl::Status renamed = internal::RenameDurably(temp_path_, target_);
  if (!renamed.ok()) ::unlink(temp_path_.c_str());
  internal::FaultPoint("output.renamed");
  return renamed;
}

absl::Status WriteFileAtomically(std::string_view path, std::string_view contents) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(path));
  out->Write(contents);
  return out->Commit();
}

}  // namespace storysift
