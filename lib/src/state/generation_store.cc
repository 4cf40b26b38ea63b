#include "state/generation_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <ctime>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "state/durable_io.h"
#include "state/fault_point.h"
#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

constexpr char kManifestHeader[] = "storysift-manifest 1";
constexpr char kGenPrefix[] = "gen-";

absl::Status Damaged(const std::string& path, std::string_view what) {
  return absl::DataLossError(absl::StrCat(path, ": ", std::string(what)));
}

absl::Status WrongSize(const std::string& path, uint64_t size, uint64_t manifest_size) {
  return Damaged(path, absl::StrFormat("%d bytes, the manifest says %d (truncated or grown)",
                                       size, manifest_size));
}

// Whole-string decimal / 16-digit hex parses (absl's take absl::string_view,
// which is not std::string_view in this Abseil build).
template <typename T>
bool ParseNumber(std::string_view s, T* out, int base = 10) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, base);
  return ec == std::errc() && end == s.data() + s.size();
}

std::vector<std::string_view> SplitOn(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find_first_of(separators, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool ParseGenerationName(std::string_view name, uint64_t* generation, bool allow_zero = false) {
  if (name.substr(0, 4) != kGenPrefix || name.size() < 5) return false;
  for (char c : name.substr(4)) {
    if (c < '0' || c > '9') return false;
  }
  return ParseNumber(name.substr(4), generation) && (allow_zero || *generation > 0);
}

bool ParseHex(std::string_view s, uint64_t* out) {
  if (s.size() != 16) return false;
  return ParseNumber(s, out, 16);
}

std::string EncodeManifest(const Manifest& m) {
  std::string out = absl::StrCat(kManifestHeader, "\n", "generation ", m.generation, "\n",
                                 "previous ", m.previous, "\n", "saved_at ", m.saved_at, "\n");
  for (const ManifestEntry& f : m.files) {
    absl::StrAppend(&out, "file ", f.name, " ", f.size, " ", ChecksumHex(f.checksum), "\n");
  }
  absl::StrAppend(&out, "checksum ", ChecksumHex(StateChecksum(out)), "\n");
  return out;
}

absl::StatusOr<Manifest> DecodeManifest(const std::string& path, std::string_view bytes) {
  const size_t last = bytes.rfind("checksum ");
  if (last == std::string_view::npos || bytes.empty() || bytes.back() != '\n') {
    return Damaged(path, "truncated manifest (no checksum line)");
  }
  uint64_t checksum = 0;
  if (!ParseHex(bytes.substr(last + 9, bytes.size() - last - 10), &checksum) ||
      checksum != StateChecksum(bytes.substr(0, last))) {
    return Damaged(path, "manifest fails its XXH3 checksum");
  }
  Manifest m;
  std::vector<std::string_view> lines = SplitOn(bytes.substr(0, last), "\n");
  if (lines.size() < 4 || lines[0] != kManifestHeader) {
    return Damaged(path, "not a storysift manifest (or a newer version)");
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string_view> f = SplitOn(lines[i], " ");
    bool ok = false;
    if (f.size() == 2 && f[0] == "generation") {
      ok = ParseNumber(f[1], &m.generation);
    } else if (f.size() == 2 && f[0] == "previous") {
      ok = ParseNumber(f[1], &m.previous);
    } else if (f.size() == 2 && f[0] == "saved_at") {
      ok = ParseNumber(f[1], &m.saved_at);
    } else if (f.size() == 4 && f[0] == "file") {
      ManifestEntry e;
      e.name = std::string(f[1]);
      ok = ParseNumber(f[2], &e.size) && ParseHex(f[3], &e.checksum) &&
           e.name.find('/') == std::string::npos && !e.name.empty() && e.name[0] != '.';
      m.files.push_back(std::move(e));
    }
    if (!ok) return Damaged(path, absl::StrCat("bad manifest line ", i + 1));
  }
  return m;
}

// The mode (and, as KeepModeOf, the owner) of the directory `like`, when
// there is one, for the new directory `dir`.
absl::Status KeepDirectoryModeOf(const std::string& dir, const std::string& like) {
  struct stat old;
  if (::stat(like.c_str(), &old) != 0 || !S_ISDIR(old.st_mode)) return absl::OkStatus();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open directory", dir);
  struct stat made;
  absl::Status status = absl::OkStatus();
  if (::fstat(fd, &made) != 0) {
    status = ErrnoError(errno, "cannot stat", dir);
  } else {
    const uid_t owner = old.st_uid != made.st_uid && ::geteuid() == 0 ? old.st_uid : uid_t(-1);
    const gid_t group = old.st_gid != made.st_gid ? old.st_gid : gid_t(-1);
    if (owner != uid_t(-1) || group != gid_t(-1)) (void)::fchown(fd, owner, group);
    const mode_t mode = old.st_mode & 07777;
    if ((made.st_mode & 07777) != mode && ::fchmod(fd, mode) != 0) {
      status = ErrnoError(errno, "cannot set the permissions of", dir);
    }
  }
  ::close(fd);
  return status;
}

}  // namespace

std::string GenerationName(uint64_t generation) {
  return absl::StrFormat("%s%06d", kGenPrefix, generation);
}

bool IsGenerationName(std::string_view name) {
  uint64_t generation = 0;
  return ParseGenerationName(name, &generation);
}

std::string GenerationDir(const std::string& dir, uint64_t generation) {
  return absl::StrCat(dir, "/", GenerationName(generation));
}

bool CurrentExists(const std::string& dir) {
  struct stat st;
  return ::lstat((dir + "/CURRENT").c_str(), &st) == 0;
}

namespace {

// A pointer file (CURRENT, OUTPUTS): "gen-NNNNNN <xxh3 of the name>\n".
// 0 when absent; DataLoss naming it when damaged.
absl::StatusOr<uint64_t> ReadPointer(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(path);
  if (absl::IsNotFound(bytes.status())) return 0;
  if (!bytes.ok()) return bytes.status();
  std::vector<std::string_view> f = SplitOn(*bytes, " \n");
  uint64_t generation = 0, checksum = 0;
  if (bytes->empty() || bytes->back() != '\n' || f.size() != 2 ||
      !ParseGenerationName(f[0], &generation, /*allow_zero=*/true) || !ParseHex(f[1], &checksum) ||
      checksum != StateChecksum(f[0])) {
    return Damaged(path, "damaged pointer");
  }
  return generation;
}

// Replaces the pointer file `name` of `dir` (temp file fsync'ed, renamed,
// directory synced); `fault_step` names its fault points.
absl::Status WritePointer(const std::string& dir, const std::string& name, uint64_t generation,
                          std::string_view fault_step) {
  const std::string gen_name = GenerationName(generation);
  const std::string temp = absl::StrCat(dir, "/", name, ".tmp");
  RemoveTree(temp);  // A crashed writer's; we hold the lock.
  // The pointer it replaces lends it its mode (a private state stays so).
  STORYSIFT_RETURN_IF_ERROR(WriteNewFileDurably(
      temp, absl::StrCat(gen_name, " ", ChecksumHex(StateChecksum(gen_name)), "\n"), fault_step,
      absl::StrCat(dir, "/", name)));
  return RenameDurably(temp, absl::StrCat(dir, "/", name));
}

}  // namespace

absl::StatusOr<uint64_t> ReadCurrent(const std::string& dir) {
  absl::StatusOr<uint64_t> generation = ReadPointer(dir + "/CURRENT");
  if (absl::IsDataLoss(generation.status())) {
    return Damaged(dir + "/CURRENT", "damaged CURRENT pointer (run `storysift state recover`)");
  }
  return generation;
}

uint64_t ReadOutputsWritten(const std::string& dir) {
  // Damaged, it names no generation: at worst a run of the last input again
  // writes that run's outputs again, which are the same bytes.
  return ReadPointer(dir + "/" + kOutputsPointer).value_or(0);
}

absl::StatusOr<uint64_t> ReadOutputsPointer(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kOutputsPointer);
  absl::StatusOr<uint64_t> generation = ReadPointer(path);
  if (absl::IsDataLoss(generation.status())) {
    return Damaged(path, "damaged OUTPUTS pointer (run `storysift state recover`)");
  }
  return generation;
}

NewerCommitted FindNewerCommittedGeneration(const std::string& dir, uint64_t current) {
  const uint64_t outputs = ReadOutputsWritten(dir);
  NewerCommitted found;
  for (uint64_t g : ListGenerations(dir)) {
    if (g <= current || (g == current + 1 && g != outputs) || !ReadManifest(dir, g).ok()) {
      continue;
    }
    found.generation = g;
    found.evidence = g == outputs ? absl::StrCat(dir, "/", kOutputsPointer,
                                                 " names it: its run's outputs were written")
                                  : absl::StrFormat(
                                        "a commit that died before its CURRENT leaves only "
                                        "generation %d behind",
                                        current + 1);
  }
  return found;
}

absl::Status CurrentWentBack(const std::string& dir, uint64_t current,
                             const NewerCommitted& newer) {
  return Damaged(
      dir + "/CURRENT",
      absl::StrFormat("names generation %d, but generation %d is newer and was committed (%s): "
                      "CURRENT was replaced by an older pointer (restored from a backup?); "
                      "run `storysift state recover %s` to go on from the newest complete "
                      "generation",
                      current, newer.generation, newer.evidence, dir));
}

absl::Status MarkOutputsWritten(const std::string& dir, uint64_t generation) {
  return WritePointer(dir, kOutputsPointer, generation, "state.outputs_mark");
}

absl::StatusOr<Manifest> ReadManifest(const std::string& dir, uint64_t generation) {
  const std::string manifest_path = GenerationDir(dir, generation) + "/MANIFEST";
  absl::StatusOr<std::string> bytes = ReadFileBytes(manifest_path);
  if (absl::IsNotFound(bytes.status())) {
    return Damaged(manifest_path, "missing: the committed generation is gone");
  }
  if (!bytes.ok()) return bytes.status();
  STORYSIFT_ASSIGN_OR_RETURN(Manifest m, DecodeManifest(manifest_path, *bytes));
  if (m.generation != generation) {
    return Damaged(manifest_path, absl::StrCat("names generation ", m.generation));
  }
  return m;
}

absl::StatusOr<std::string> ReadCheckedFile(const std::string& path, const ManifestEntry& entry) {
  absl::StatusOr<std::string> data = ReadFileBytes(path);
  if (absl::IsNotFound(data.status())) return Damaged(path, "missing");
  if (!data.ok()) return data.status();
  if (data->size() != entry.size) {
    return WrongSize(path, data->size(), entry.size);
  }
  if (StateChecksum(*data) != entry.checksum) {
    return Damaged(path, "fails its XXH3 checksum (the file was changed or damaged)");
  }
  return data;
}

absl::StatusOr<VerifiedGeneration> ReadVerifiedGeneration(
    const std::string& dir, uint64_t generation,
    const std::function<FileCheck(std::string_view name)>& check) {
  const std::string gen_dir = GenerationDir(dir, generation);
  VerifiedGeneration out;
  STORYSIFT_ASSIGN_OR_RETURN(out.manifest, ReadManifest(dir, generation));
  for (const ManifestEntry& e : out.manifest.files) {
    const std::string path = absl::StrCat(gen_dir, "/", e.name);
    const FileCheck how = check ? check(e.name) : FileCheck::kChecksum;
    if (how != FileCheck::kSizeOnly) {
      STORYSIFT_ASSIGN_OR_RETURN(std::string bytes, ReadCheckedFile(path, e));
      if (how == FileCheck::kChecksumAndKeep) out.kept[e.name] = std::move(bytes);
      continue;
    }
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) return Damaged(path, "missing");
      return ErrnoError(errno, "cannot read", path);
    }
    if (static_cast<uint64_t>(st.st_size) != e.size) {
      return WrongSize(path, static_cast<uint64_t>(st.st_size), e.size);
    }
  }
  return out;
}

absl::Status PointCurrentAt(const std::string& dir, uint64_t generation) {
  STORYSIFT_RETURN_IF_ERROR(WritePointer(dir, "CURRENT", generation, "state.current"));
  FaultPoint("state.committed");
  return absl::OkStatus();
}

namespace {

// Puts generation `from`'s file `e` into `to_dir`: a hard link (the file is
// never written again, so both generations may share it), or a checked copy
// where the file system has no hard links.
absl::Status CarryFile(const std::string& from_dir, const std::string& to_dir,
                       const ManifestEntry& e) {
  const std::string from = absl::StrCat(from_dir, "/", e.name);
  const std::string to = absl::StrCat(to_dir, "/", e.name);
  if (::link(from.c_str(), to.c_str()) == 0) {
    FaultPoint("state.linked");
    return absl::OkStatus();
  }
  const int err = errno;
  if (err != EPERM && err != EXDEV && err != EMLINK && err != ENOTSUP && err != EOPNOTSUPP) {
    if (err == ENOENT) return Damaged(from, "missing");
    return ErrnoError(err, "cannot link the state's file", from);
  }
  STORYSIFT_ASSIGN_OR_RETURN(std::string bytes, ReadCheckedFile(from, e));
  return WriteNewFileDurably(to, bytes, "state.file", from);
}

}  // namespace

absl::StatusOr<Manifest> CommitGeneration(
    const std::string& dir, uint64_t current,
    const std::vector<std::pair<std::string, std::string>>& files,
    const std::vector<ManifestEntry>& carried) {
  Manifest m;
  m.generation = current + 1;
  m.previous = current;
  m.saved_at = static_cast<int64_t>(std::time(nullptr));
  const std::string gen_dir = GenerationDir(dir, m.generation);
  RemoveTree(gen_dir);  // An orphan of a crashed commit.
  if (::mkdir(gen_dir.c_str(), 0755) != 0) {
    return ErrnoError(errno, "cannot create state generation", gen_dir);
  }
  FaultPoint("state.gen_dir");
  // Each file, and the generation's directory, keeps the permissions of its
  // predecessor in the live generation: a state its owner made private
  // stays private run after run (a carried file is that very file).
  const std::string live_dir = GenerationDir(dir, current);
  absl::Status status = KeepDirectoryModeOf(gen_dir, live_dir);
  for (const ManifestEntry& e : carried) {
    if (!status.ok()) break;
    status = CarryFile(live_dir, gen_dir, e);
    if (!status.ok()) break;
    m.files.push_back(e);
  }
  for (const auto& [name, contents] : files) {
    if (!status.ok()) break;
    status = WriteNewFileDurably(absl::StrCat(gen_dir, "/", name), contents, "state.file",
                                 absl::StrCat(live_dir, "/", name));
    if (!status.ok()) break;
    m.files.push_back({name, contents.size(), StateChecksum(contents)});
  }
  if (status.ok()) {
    status = WriteNewFileDurably(gen_dir + "/MANIFEST", EncodeManifest(m), "state.manifest",
                                 live_dir + "/MANIFEST");
  }
  if (status.ok()) status = SyncDirectory(gen_dir);
  if (status.ok()) status = SyncDirectory(dir);
  if (status.ok()) FaultPoint("state.gen_synced");
  if (status.ok()) status = PointCurrentAt(dir, m.generation);
  if (!status.ok()) {
    // CURRENT still names `current` unless its rename happened, which is
    // the last step that can fail (its directory sync aside: then CURRENT
    // may name either, and both are complete).
    if (ReadCurrent(dir).value_or(0) != m.generation) RemoveTree(gen_dir);
    return status;
  }
  RemoveOrphans(dir, m.generation, current);
  return m;
}

void RemoveOrphans(const std::string& dir, uint64_t current, uint64_t keep_previous) {
  for (const std::string& name : ListDirectory(dir)) {
    uint64_t generation = 0;
    if (ParseGenerationName(name, &generation)) {
      if (generation == current || generation == keep_previous) continue;
      RemoveTree(absl::StrCat(dir, "/", name));
      FaultPoint("state.pruned");
    } else if (name.rfind("CURRENT.tmp", 0) == 0 ||
               name.rfind(absl::StrCat(kOutputsPointer, ".tmp"), 0) == 0) {
      RemoveTree(absl::StrCat(dir, "/", name));
    }
  }
}

std::vector<uint64_t> ListGenerations(const std::string& dir) {
  std::vector<uint64_t> out;
  for (const std::string& name : ListDirectory(dir)) {
    uint64_t generation = 0;
    if (ParseGenerationName(name, &generation)) out.push_back(generation);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace storysift::internal
