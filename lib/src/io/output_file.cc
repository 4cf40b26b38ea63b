#include "io/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "io/compressing_output.h"
#include "io/held_copy.h"
#include "io/output_paths.h"
#include "state/durable_io.h"
#include "state/fault_point.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

using internal::DescriptorPath;
using internal::ErrnoError;
using internal::IsSpecialFile;
using internal::IsSymlinkLoop;
using internal::ParentOf;
using internal::SymlinkLoopError;

// The temporary file's stdio buffer: a run writes megabytes of lines, and
// the default (one 4 KiB block) made a write() call per 4 KiB (~1,300 of
// them for a 20k-document `cluster`), serial on the writing thread.
constexpr size_t kTempFileBufferBytes = size_t{1} << 20;

// The longest ".<pid>.<n>" after a temp file's prefix: a pid of up to 10
// digits, a counter of up to 20.
constexpr size_t kTempCounterBytes = 1 + 10 + 1 + 20;

// What the names of `name`'s temp files start with (before ".<pid>.<n>"):
// "<name>.tmp", shortened with a hash of the name (FitFileName) where that
// would pass the directory's longest file name, so that the writers and the
// cleanup of `name` still find each other's temp files and no other
// output's.
std::string TempPrefixFor(const std::string& name, size_t name_max) {
  return internal::FitFileName(name, ".tmp", kTempCounterBytes, name_max);
}

// The directory of `target` and the prefix of its temp files' names there.
std::pair<std::string, std::string> TempNamePrefix(const std::string& target) {
  const size_t slash = target.rfind('/');
  std::string dir = ParentOf(target);
  const std::string name = slash == std::string::npos ? target : target.substr(slash + 1);
  std::string prefix = TempPrefixFor(name, internal::NameMaxIn(dir));
  return {std::move(dir), std::move(prefix)};
}

// Unique per output within the process; the pid makes it unique across.
std::string TempPathFor(const std::string& target) {
  static std::atomic<uint64_t> counter{0};
  const size_t slash = target.rfind('/');
  return absl::StrCat(target.substr(0, slash == std::string::npos ? 0 : slash + 1),
                      TempNamePrefix(target).second, ".", static_cast<int64_t>(::getpid()), ".",
                      counter.fetch_add(1));
}

}  // namespace

namespace {

// Calls remove(path, writer pid) for each "<target>.tmp.<pid>[.<n>]" file
// (TempPrefixFor: a shortened one for a long name).
template <typename Remove>
void ForEachTempFile(const std::string& target, Remove remove) {
  const auto [dir, temp_prefix] = TempNamePrefix(target);
  const std::string prefix = absl::StrCat(temp_prefix, ".");
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
      file_(file),
      owns_file_(file != stdout && file != stderr) {}

absl::StatusOr<std::unique_ptr<OutputFile>> OutputFile::Open(std::string_view path) {
  if (path == "-") {
    return std::unique_ptr<OutputFile>(new OutputFile("-", "-", "", stdout));
  }
  if (const int fd = DescriptorPath(path); fd >= 0) {
    // /dev/stdout, /dev/fd/N...: written through the descriptor the caller
    // opened, at its offset and with its flags (a shell's `>>` appends); a
    // rename would replace the file behind it, and a pipe has no directory.
    std::string name(path);
    if (fd == 1 || fd == 2) {
      return std::unique_ptr<OutputFile>(new OutputFile(name, name, "", fd == 1 ? stdout : stderr));
    }
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) return ErrnoError(errno, "cannot write", name);
    std::FILE* file = ::fdopen(copy, "w");
    if (file == nullptr) {
      const int err = errno;
      ::close(copy);
      return ErrnoError(err, "cannot write", name);
    }
    return std::unique_ptr<OutputFile>(new OutputFile(name, name, "", file));
  }
  if (const std::string given(path); IsSymlinkLoop(given)) return SymlinkLoopError("", given);
  std::string target = ResolveOutputPath(path);
  if (IsSpecialFile(target)) {
    // /dev/null, a FIFO, a terminal: write through; a rename would replace
    // the node itself.
    std::FILE* file = std::fopen(target.c_str(), "wb");
    if (file == nullptr) return ErrnoError(errno, "cannot open", target);
    std::unique_ptr<OutputFile> out(new OutputFile(std::string(path), target, "", file));
    STORYSIFT_RETURN_IF_ERROR(out->CompressAsNamed());
    return out;
  }
  RemoveDeadWritersTempFiles(target);
  std::string temp = TempPathFor(target);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoError(errno, "cannot create", temp);
  if (absl::Status kept = internal::KeepModeOf(fd, target, temp); !kept.ok()) {
    ::close(fd);
    ::unlink(temp.c_str());
    return kept;
  }
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
  STORYSIFT_RETURN_IF_ERROR(out->CompressAsNamed());
  return out;
}

absl::Status OutputFile::CompressAsNamed() {
  const internal::Compression compression = CompressionForOutput(path_);
  if (compression == internal::Compression::kNone) return absl::OkStatus();
  absl::StatusOr<std::unique_ptr<Compressor>> compressor =
      Compressor::Create(compression, [this](std::string_view bytes) { WriteRaw(bytes); });
  if (!compressor.ok()) {
    return absl::Status(compressor.status().code(),
                        absl::StrCat("cannot write ", path_, ": ", compressor.status().message()));
  }
  compressor_ = *std::move(compressor);
  return absl::OkStatus();
}

OutputFile::~OutputFile() {
  if (held_ != nullptr) std::fclose(held_);
  if (committed_ || !owns_file_) return;
  if (file_ != nullptr) std::fclose(file_);
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
}

absl::Status OutputFile::HoldUntilCommit() {
  if (!temp_path_.empty() || held_ != nullptr) return absl::OkStatus();
  held_ = std::tmpfile();  // Unlinked: gone with the process.
  if (held_ == nullptr) {
    return ErrnoError(errno, "cannot make a temporary file to hold", OutputName());
  }
  return absl::OkStatus();
}

void OutputFile::Write(std::string_view data) {
  if (compressor_ != nullptr) {
    compressor_->Write(data);
  } else {
    WriteRaw(data);
  }
}

void OutputFile::EndMember() {
  if (compressor_ != nullptr) compressor_->EndMember();
}

void OutputFile::WriteRaw(std::string_view data) {
  std::FILE* to = held_ != nullptr ? held_ : file_;
  if (failed_ || data.empty() || to == nullptr) return;
  if (std::fwrite(data.data(), 1, data.size(), to) != data.size()) failed_ = true;
}

std::string OutputFile::OutputName() const {
  return file_ == stdout ? "standard output" : file_ == stderr ? "standard error" : target_;
}

absl::Status OutputFile::FinishCompressing() {
  if (compressor_ != nullptr) {
    const absl::Status finished = compressor_->Finish();
    compressor_.reset();  // xz's encoder alone holds ~100 MB.
    if (!finished.ok()) {
      compressed_ = absl::Status(finished.code(), absl::StrCat("cannot write ", OutputName(),
                                                               ": ", finished.message()));
    }
  }
  return compressed_;
}

void OutputFile::DiscardTempFile() {
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  ::unlink(temp_path_.c_str());
  temp_path_.clear();
  committed_ = true;  // Nothing left to do or undo.
}

absl::Status OutputFile::Sync() {
  if (committed_) return absl::FailedPreconditionError("OutputFile already committed");
  if (synced_) return absl::OkStatus();
  if (absl::Status compressed = FinishCompressing(); !compressed.ok()) {
    if (!temp_path_.empty()) DiscardTempFile();
    return compressed;
  }
  if (temp_path_.empty()) {
    // Standard output or a special file: nothing to make durable (a full
    // disk under a held copy shows here).
    if (std::fflush(held_ != nullptr ? held_ : file_) != 0 || failed_) {
      return ErrnoError(errno, held_ != nullptr ? "cannot hold what is for" : "cannot write",
                        OutputName());
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
    DiscardTempFile();
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
    absl::Status written = absl::OkStatus();
    if (held_ != nullptr && !internal::CopyHeldBytes(held_, file_)) {
      written = ErrnoError(errno, "cannot write", OutputName());
    }
    if (file_ != nullptr && owns_file_) std::fclose(file_);
    file_ = nullptr;
    return written;
  }
  // Tests fail it here (STORYSIFT_FAULT=output.rename:N:error): a rename
  // that fails after the caller's own commit (a state's) must be retryable.
  const absl::Status renamed =
      internal::FaultError("output.rename")
          ? ErrnoError(EIO, absl::StrCat("cannot rename ", temp_path_, " to"), target_)
          : internal::RenameDurably(temp_path_, target_);
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
