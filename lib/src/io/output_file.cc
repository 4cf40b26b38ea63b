#include "io/output_file.h"

#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ingest/dir_walk.h"
#include "io/compressing_output.h"
#include "io/held_copy.h"
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

// N when `s` is a descriptor number ("0".."99999"), else -1.
int ParseDescriptor(std::string_view s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string_view::npos) {
    return -1;
  }
  return std::stoi(std::string(s));
}

// The descriptor `full` (absolute, its directory's symlinks resolved) names
// in this process, or -1.
int DescriptorIn(const std::string& full) {
  if (full == "/dev/stdin") return 0;
  if (full == "/dev/stdout") return 1;
  if (full == "/dev/stderr") return 2;
  // /dev/fd and /proc/self resolve to /proc/<pid>; /proc/thread-self to
  // /proc/<pid>/task/<tid>.
  const std::string own = absl::StrCat("/proc/", static_cast<int64_t>(::getpid()), "/");
  if (full.compare(0, own.size(), own) != 0) return -1;
  std::string_view rest(full);
  rest.remove_prefix(own.size());
  if (rest.starts_with("task/")) {
    rest.remove_prefix(5);
    const size_t slash = rest.find('/');
    if (slash == std::string_view::npos || ParseDescriptor(rest.substr(0, slash)) < 0) return -1;
    rest.remove_prefix(slash + 1);
  }
  if (!rest.starts_with("fd/")) return -1;
  return ParseDescriptor(rest.substr(3));
}

// The descriptor of this process that `path` names, or -1 for any other
// path: 1 for "-" and /dev/stdout, 2 for /dev/stderr, N for /dev/fd/N and
// /proc/self/fd/N (also as /proc/<pid>/...), and the same for a symlink to
// one of them. Decided on the name, not on what the descriptor is open on:
// a shell's `>> log` or `| cat` behind /dev/stdout is the caller's to keep.
int DescriptorPath(std::string_view path) {
  if (path == "-") return 1;
  std::string p(path);
  for (int hops = 0; hops < 40 && !p.empty(); ++hops) {
    const size_t slash = p.rfind('/');
    const std::string dir = slash == std::string::npos ? "."
                            : slash == 0               ? "/"
                                                       : p.substr(0, slash);
    const std::string name = slash == std::string::npos ? p : p.substr(slash + 1);
    char resolved[PATH_MAX];
    if (::realpath(dir.c_str(), resolved) == nullptr) return -1;
    std::string full(resolved);
    if (full.back() != '/') full += '/';
    full += name;
    if (const int fd = DescriptorIn(full); fd >= 0) return fd;
    char buf[PATH_MAX];
    const ssize_t n = ::readlink(full.c_str(), buf, sizeof(buf) - 1);
    if (n <= 0) return -1;  // Not a symlink: an ordinary path.
    std::string link(buf, static_cast<size_t>(n));
    p = link.front() == '/' ? link : absl::StrCat(resolved, "/", link);
  }
  return -1;
}

std::string DescriptorName(int fd, const std::string& path) {
  if (fd == 1) return "standard output";
  if (fd == 2) return "standard error";
  return path;
}

using internal::DirectoryKey;

// The existing directories above `path`, with the symlinks in them
// followed: those above the name as given (the walk reads a symlinked file
// under that name) and those above what it leads to (a directory's own
// included), whether or not it exists yet.
std::vector<DirectoryKey> DirectoriesAbove(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path given = fs::absolute(path, ec);
  if (ec) return {};
  std::vector<DirectoryKey> keys;
  for (fs::path p : {fs::weakly_canonical(given.parent_path(), ec),
                     fs::weakly_canonical(fs::absolute(ResolveOutputPath(path), ec), ec)}) {
    if (p.empty()) continue;
    for (;; p = p.parent_path()) {
      struct stat st;
      if (::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        keys.push_back(internal::KeyOf(st));
      }
      if (p == p.parent_path()) break;  // The root.
    }
  }
  return keys;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Whether `path`, or a directory on its way, is a loop of symbolic links
// (self.jsonl -> self.jsonl, a -> b -> a): it leads to no file to write or
// replace, and renaming over it would replace the link with a file.
bool IsSymlinkLoop(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) != 0 && errno == ELOOP;
}

absl::Status SymlinkLoopError(const std::string& flag, const std::string& path) {
  return absl::InvalidArgumentError(absl::StrCat(
      flag.empty() ? "" : absl::StrCat(flag, " "), path,
      " is a loop of symbolic links (", std::strerror(ELOOP),
      "): it leads to no file to write; nothing was written"));
}

// Why `o`, an output file (not "-", a descriptor or a special file), could
// not be written as a file: it is a directory, or its parent directory is
// missing or not a directory (with symlinks followed, as Open follows
// them). Otherwise OK. Open would find a missing parent too, but a
// directory only at the rename, after the run's work and (with --state)
// its commit.
absl::Status CheckCanBeFile(const NamedPath& o) {
  const std::string target = ResolveOutputPath(o.path);
  std::string named = absl::StrCat(o.flag.empty() ? "" : absl::StrCat(o.flag, " "), o.path);
  if (target != o.path) absl::StrAppend(&named, " (a symbolic link to ", target, ")");
  const auto refused = [&named](const std::string& why) {
    return absl::InvalidArgumentError(
        absl::StrCat(named, " ", why, "; nothing was read or written"));
  };
  struct stat st;
  if (::stat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return refused("is a directory: name a file to write");
  }
  const std::string parent = ParentOf(target);
  if (::stat(parent.c_str(), &st) != 0) {
    return refused(absl::StrCat("cannot be created: its directory ", parent,
                                errno == ENOENT ? " does not exist"
                                                : absl::StrCat(": ", std::strerror(errno))));
  }
  if (!S_ISDIR(st.st_mode)) {
    return refused(absl::StrCat("cannot be created: ", parent, " is not a directory"));
  }
  return absl::OkStatus();
}

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
  // What the walk of each directory input enters (symlinked directories
  // included), listed when an output first needs it.
  std::vector<std::optional<internal::TreeWalk>> walks(inputs.size());
  const auto walk_of = [&](size_t k) -> const internal::TreeWalk& {
    if (!walks[k].has_value()) {
      // A root that cannot be listed fails the run when it is read.
      internal::TreeWalkOptions options;
      options.list_files = false;
      walks[k] = internal::WalkTree(inputs[k].path, options).value_or(internal::TreeWalk{});
    }
    return *walks[k];
  };
  std::vector<int> fds(outputs.size(), -1);
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i].path.empty()) fds[i] = DescriptorPath(outputs[i].path);
  }
  // An input naming an output descriptor would read the run's own output
  // (or wait forever on a pipe's write end): `--pairs /dev/stdout`, with
  // --pairs taken for an option with a value.
  for (const NamedPath& in : inputs) {
    if (in.path.empty() || in.path == "-") continue;  // "-" is standard input.
    const int fd = DescriptorPath(in.path);
    if (fd < 0 || fd == 0) continue;
    if (fd == 1 || fd == 2 || std::find(fds.begin(), fds.end(), fd) != fds.end()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s %s names %s, which this run writes: it cannot be read as input", in.flag,
          in.path, fd <= 2 ? DescriptorName(fd, in.path) : absl::StrCat("descriptor ", fd)));
    }
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const NamedPath& o = outputs[i];
    if (o.path.empty()) continue;
    const bool descriptor = fds[i] >= 0;
    if (!descriptor && o.path != "-" && IsSymlinkLoop(o.path)) {
      return SymlinkLoopError(o.flag, o.path);
    }
    if (!descriptor && IsSpecialFile(o.path)) continue;
    for (size_t j = i + 1; j < outputs.size(); ++j) {
      const NamedPath& p = outputs[j];
      if (p.path.empty()) continue;
      const bool same = descriptor && fds[j] >= 0        ? fds[i] == fds[j]
                        : o.path == "-" || p.path == "-" ? false
                                                         : SameFile(o.path, p.path);
      if (same) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s and %s both write %s: give each output its own file", o.flag,
                            p.flag, descriptor ? DescriptorName(fds[i], o.path) : o.path));
      }
    }
    if (o.path == "-") continue;
    for (const NamedPath& in : inputs) {
      if (in.path.empty() || in.path == "-") continue;
      if (SameFile(o.path, in.path)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s %s is also %s: refusing to overwrite an input", o.flag, o.path, in.flag));
      }
    }
    // Written through to a descriptor the caller opened: where it leads is
    // the caller's choice, as with "-".
    if (descriptor) continue;
    // An output below a directory input would be read as input by the next
    // run (a report.html as an article, a kept.jsonl as its own input).
    std::vector<DirectoryKey> above;
    for (size_t k = 0; k < inputs.size(); ++k) {
      const NamedPath& in = inputs[k];
      if (in.path.empty() || in.path == "-" || !IsDirectory(in.path)) continue;
      if (above.empty()) above = DirectoriesAbove(o.path);
      if (!in.reads_tree) {
        // A directory read as a whole (a --state directory) is storysift's:
        // an output there could overwrite its files (CURRENT, a generation).
        struct stat st;
        if (::stat(in.path.c_str(), &st) != 0) continue;
        if (std::find(above.begin(), above.end(), internal::KeyOf(st)) != above.end()) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "%s %s is inside %s %s, whose files storysift manages: write it elsewhere",
              o.flag, o.path, in.flag, in.path));
        }
        continue;
      }
      const internal::TreeWalk& walk = walk_of(k);
      // Outermost first: the input directory itself when the output is
      // below it, else the first directory a link leads to.
      for (auto key = above.rbegin(); key != above.rend(); ++key) {
        const auto it = walk.directories.find(*key);
        if (it == walk.directories.end()) continue;
        const std::string where =
            it->second.empty()
                ? absl::StrCat("the input directory ", in.path)
                : absl::StrCat((std::filesystem::path(in.path) / it->second).string(),
                               ", which the input directory ", in.path,
                               " reaches through a symbolic link");
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s %s is inside %s: a later run would read it as input; write it elsewhere", o.flag,
            o.path, where));
      }
    }
    if (!o.directory) STORYSIFT_RETURN_IF_ERROR(CheckCanBeFile(o));
  }
  return absl::OkStatus();
}

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
