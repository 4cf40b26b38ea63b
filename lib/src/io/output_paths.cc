#include "io/output_paths.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ingest/dir_walk.h"
#include "io/output_file.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace internal {

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

namespace {

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

}  // namespace

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

}  // namespace internal

namespace {

using internal::DescriptorPath;
using internal::DirectoryKey;
using internal::IsSpecialFile;
using internal::IsSymlinkLoop;
using internal::ParentOf;
using internal::SymlinkLoopError;

std::string DescriptorName(int fd, const std::string& path) {
  if (fd == 1) return "standard output";
  if (fd == 2) return "standard error";
  return path;
}

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

}  // namespace storysift
