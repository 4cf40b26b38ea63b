// `state recover`'s part for the archive's files (archive- and
// retired-NNNNNN.jsonl, state_segments.h). The generations share them (hard
// links), so a damaged one is not recovered by going back a generation:
// each is checked, and a damaged one (flipped, truncated, grown or missing)
// is replaced by an intact copy that another generation, or one kept aside,
// still holds, or else dropped (kept aside as DIR/damaged-NAME), with the
// documents that a dropped retired file still lists kept.
#ifndef STORYSIFT_STATE_ARCHIVE_REPAIR_H_
#define STORYSIFT_STATE_ARCHIVE_REPAIR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "state/generation_store.h"

namespace storysift::internal {

// An archive or retired file of a generation, as found: intact, or damaged, and then an intact copy
// of it (the right size and checksum) in another generation or one kept aside, if one is left.
struct GrowingFile {
  ManifestEntry entry;
  std::string path;
  std::string damage;     // Empty when intact.
  std::string copy_path;  // An intact copy, and its bytes.
  std::string copy;
};

// The archive and retired files of generation `generation` of `dir`, and
// the retired files' id lists, each read in full and checked against its
// manifest entry (a damaged id list gets no copy: it is made again).
std::vector<GrowingFile> CheckGrowingFiles(const std::string& dir, uint64_t generation);

// Whether any of `files` is damaged.
bool AnyDamaged(const std::vector<GrowingFile>& files);

// What recovery commits: the generation it goes on from, with its archive
// files repaired (intact copies written again) or dropped (kept aside; a
// dropped retired file's documents that still read are written again as a
// retired file of the new generation).
struct ArchiveRepair {
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<ManifestEntry> carried;
  std::string report;  // A line per damaged archive file.
};

// The archive files of the generation after `target`, from `files` (those
// of `target`): the intact ones carried, an intact copy of a damaged one
// written again, and the others dropped, each kept aside first. REQUIRES:
// DIR/LOCK held exclusively.
absl::StatusOr<ArchiveRepair> RepairGrowingFiles(const std::string& dir, uint64_t target,
                                                 const std::vector<GrowingFile>& files);

// DIR/damaged-NAME, or DIR/damaged-NAME.2, ... when that is taken: what
// recovery keeps aside is never overwritten.
std::string AsideName(const std::string& dir, const std::string& name);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_ARCHIVE_REPAIR_H_
