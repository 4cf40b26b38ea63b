// A directory whose contents change only by whole, checksummed generations
// (LevelDB's CURRENT + MANIFEST model):
//
//   DIR/CURRENT      "gen-000042 <xxh3 of the name>\n": the committed generation
//   DIR/gen-000042/  its files and MANIFEST
//   DIR/gen-000041/  the previous generation, kept for `state recover`
//   DIR/LOCK         the writers' flock (storysift/file_lock.h)
//   DIR/OUTPUTS      "gen-000042 <xxh3 of the name>\n": the newest generation
//                    whose run wrote all its outputs (a story state's; absent
//                    before any did, and in states of earlier versions)
//
// MANIFEST (text):
//   storysift-manifest 1
//   generation 42
//   previous 41            (0: none)
//   saved_at 1488153600    (UTC seconds of the commit)
//   file <name> <size> <xxh3 hex>     one line per file
//   checksum <xxh3 hex of all the lines above>
//
// Commit: write gen-(N+1)/ beside the live one (each file fsync'ed, then
// MANIFEST, then the directories), write CURRENT.tmp and fsync it, rename
// it over CURRENT and fsync DIR; only then delete generations older than N.
// A crash at any instruction leaves CURRENT naming a complete generation
// (the old one or the new one); whatever else is there is an orphan, which
// the next writer removes under the lock.
#ifndef STORYSIFT_STATE_GENERATION_STORE_H_
#define STORYSIFT_STATE_GENERATION_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storysift::internal {

struct ManifestEntry {
  std::string name;
  uint64_t size = 0;
  uint64_t checksum = 0;
};

struct Manifest {
  uint64_t generation = 0;
  uint64_t previous = 0;
  int64_t saved_at = 0;
  std::vector<ManifestEntry> files;
};

// "gen-000042".
std::string GenerationName(uint64_t generation);
// DIR/gen-000042.
std::string GenerationDir(const std::string& dir, uint64_t generation);
// Whether `name` is a generation's directory name ("gen-000042").
bool IsGenerationName(std::string_view name);

// The generation CURRENT names; 0 when there is no CURRENT or it names
// generation 0 (the empty state a first writer points it at, so that a
// CURRENT missing beside generations is known to be damage). DataLoss
// naming DIR/CURRENT when it is damaged.
absl::StatusOr<uint64_t> ReadCurrent(const std::string& dir);

bool CurrentExists(const std::string& dir);

// Reads gen-N/MANIFEST and checks its own checksum only.
absl::StatusOr<Manifest> ReadManifest(const std::string& dir, uint64_t generation);

// How ReadVerifiedGeneration checks a file of the manifest.
enum class FileCheck {
  kChecksum,         // Read, its size and XXH3 checked.
  kChecksumAndKeep,  // The same, and its bytes kept: the caller parses them
                     // without reading the file again.
  kSizeOnly,         // Its size only: the caller checks it when (if) it reads it.
};

struct VerifiedGeneration {
  Manifest manifest;
  std::map<std::string, std::string, std::less<>> kept;  // By file name.
};

// Reads gen-N/MANIFEST and checks every file it lists: present, and as
// `check` says for its name (kChecksum for all when null). DataLoss naming
// the file and what is wrong.
absl::StatusOr<VerifiedGeneration> ReadVerifiedGeneration(
    const std::string& dir, uint64_t generation,
    const std::function<FileCheck(std::string_view name)>& check = nullptr);

// A file's bytes checked against its manifest entry (size, XXH3).
absl::StatusOr<std::string> ReadCheckedFile(const std::string& path, const ManifestEntry& entry);

// Writes `files` (name, contents) as generation `current + 1` and commits
// it, keeping `current` as the previous generation and deleting older ones.
// `carried`: files of generation `current` (its manifest entries) that the
// new one holds unchanged, hard-linked rather than written again, so that
// files which only grow (the state's archive) cost nothing per commit; on a
// file system without hard links they are copied (their checksums checked).
// On error (a full disk, ...) the live generation is untouched and the
// half-written one removed. Returns the new manifest. REQUIRES: the
// caller holds DIR/LOCK exclusively.
absl::StatusOr<Manifest> CommitGeneration(
    const std::string& dir, uint64_t current,
    const std::vector<std::pair<std::string, std::string>>& files,
    const std::vector<ManifestEntry>& carried = {});

inline constexpr char kOutputsPointer[] = "OUTPUTS";

// The generation DIR/OUTPUTS names; 0 when it is absent or damaged.
uint64_t ReadOutputsWritten(const std::string& dir);

// The same, for `state verify|recover`: 0 when absent; DataLoss naming
// DIR/OUTPUTS when it is damaged.
absl::StatusOr<uint64_t> ReadOutputsPointer(const std::string& dir);

// A generation newer than `current` (what CURRENT names) that was
// committed, so that CURRENT went back (restored from a backup, say): one
// DIR/OUTPUTS names (it is written only after CURRENT named it), or one
// past `current + 1` (a commit that died before its CURRENT leaves only
// `current + 1`, which is no evidence), whose manifest is intact. The
// newest such; generation 0 when there is none.
struct NewerCommitted {
  uint64_t generation = 0;
  std::string evidence;  // "DIR/OUTPUTS names it", ...
};
NewerCommitted FindNewerCommittedGeneration(const std::string& dir, uint64_t current);

// The error for CURRENT naming `current` beside `newer`: DataLoss naming
// DIR/CURRENT and pointing to `storysift state recover`.
absl::Status CurrentWentBack(const std::string& dir, uint64_t current,
                             const NewerCommitted& newer);

// Points DIR/OUTPUTS at `generation`, durably, once its run wrote its
// outputs. REQUIRES: DIR/LOCK held exclusively.
absl::Status MarkOutputsWritten(const std::string& dir, uint64_t generation);

// Points CURRENT at `generation` (for recovery). REQUIRES: DIR/LOCK held.
absl::Status PointCurrentAt(const std::string& dir, uint64_t generation);

// Removes what no committed state needs: temp files (CURRENT.tmp,
// OUTPUTS.tmp), generations other than
// `current` and `keep_previous`. REQUIRES: DIR/LOCK held exclusively, and
// no committed generation newer than `current` (FindNewerCommittedGeneration).
void RemoveOrphans(const std::string& dir, uint64_t current, uint64_t keep_previous);

// Generation numbers of the gen-* directories present, ascending.
std::vector<uint64_t> ListGenerations(const std::string& dir);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_GENERATION_STORE_H_
