// The state's archive as files that only grow (storysift/story_state.h):
// which manifest entries are archive files, their order, the name a
// generation gives the files it adds, and the id list beside each retired
// file that lets a run skip the files holding none of the day's ids.
//
// A retired file's id list ("retired-000042.ids" beside
// "retired-000042.jsonl"; "retired.ids" beside a version-3 "retired.jsonl"),
// little-endian binary, covered by the manifest's XXH3 like every file:
//   bytes 0-7    "SSRIDS01" (the format's version in its last two bytes)
//   bytes 8-15   the retired file's size  } as its manifest entry says: the
//   bytes 16-23  the retired file's XXH3  } list indexes that file only
//   bytes 24-31  n, the number of hashes
//   then n x 8   RetiredIdHash of the file's ids, ascending, no repeats
// It is written with its retired file (or, for a file of an earlier
// version or session, by the first run that carries it) and never changes.
#ifndef STORYSIFT_STATE_STATE_SEGMENTS_H_
#define STORYSIFT_STATE_STATE_SEGMENTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "state/generation_store.h"
#include "storysift/story_state.h"

namespace storysift::internal {

// "archive.jsonl" (versions 1-3) or "archive-NNNNNN.jsonl".
bool IsArchiveFile(std::string_view name);
// "retired.jsonl" (versions 2-3) or "retired-NNNNNN.jsonl".
bool IsRetiredFile(std::string_view name);
// Either: files a run carries on without reading.
bool IsGrowingFile(std::string_view name);
// "retired-NNNNNN.ids" or "retired.ids": a retired file's id list.
bool IsRetiredIdList(std::string_view name);
// What a generation carries on unchanged (hard links) and checks in full
// only when it reads it: the growing files and the id lists.
bool IsCarriedFile(std::string_view name);
// The id list's name for the retired file `retired_name`.
std::string RetiredIdListName(std::string_view retired_name);

// The hash an id list holds for `id`: XXH3-64 with a fixed seed (persisted).
uint64_t RetiredIdHash(std::string_view id);

// The id list of the retired file `retired` (its manifest entry) whose
// bytes are `bytes`. DataLoss naming `path` (line by line) when a line is
// not a retired document.
absl::StatusOr<std::string> BuildRetiredIdList(const std::string& path, std::string_view bytes,
                                               const ManifestEntry& retired);
// The list's encoding for `hashes` (sorted and made unique here).
std::string EncodeRetiredIdList(std::vector<uint64_t> hashes, const ManifestEntry& retired);
// Whether the id list `list` (bytes checked against its manifest entry)
// holds one of `sorted_hashes`. DataLoss naming `path` when it is not an
// id list, or one made for another file than `retired`.
absl::StatusOr<bool> IdListHoldsAny(const std::string& path, std::string_view list,
                                    const ManifestEntry& retired,
                                    const std::vector<uint64_t>& sorted_hashes);

// "archive-000042.jsonl" for what generation 42 archived; `kind` is
// "archive" or "retired".
std::string GrowingFileName(std::string_view kind, uint64_t generation);

// The archive and retired files of a manifest and the retired files' id
// lists, oldest first, as segments of `gen_dir`.
void CollectSegments(const std::string& gen_dir, const Manifest& manifest, StoryState* state);

// Adds an empty "archive.jsonl" to `files` unless it or `carried` holds
// one: every generation lists it, so that an older storysift reads the
// state's version and refuses it as newer instead of calling it damaged.
void KeepArchiveListed(const std::vector<ManifestEntry>& carried,
                       std::vector<std::pair<std::string, std::string>>* files);

// The manifest entry of a segment read from a generation.
ManifestEntry EntryOf(const StateSegment& segment);

// The segment's bytes, checked against its manifest entry (version 1's
// archive, which has none, as they are).
absl::StatusOr<std::string> ReadSegment(const StateSegment& segment);

// The id list of `retired` in `state`, if it has one.
const StateSegment* IdListOf(const StoryState& state, const StateSegment& retired);

// What `state verify` adds to the manifest's checks: every archive file
// read back, and each id list the very list its retired file gives (an
// orphaned list, one made for another file or one that lacks or adds an id
// is DataLoss naming it).
absl::Status CheckArchiveFiles(const StoryState& state);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_STATE_SEGMENTS_H_
