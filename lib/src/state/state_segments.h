// The state's archive as files that only grow (storysift/story_state.h):
// which manifest entries are archive files, their order, and the name a
// generation gives the files it adds.
#ifndef STORYSIFT_STATE_STATE_SEGMENTS_H_
#define STORYSIFT_STATE_STATE_SEGMENTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "state/generation_store.h"
#include "storysift/story_state.h"

namespace storysift::internal {

// "archive.jsonl" (versions 1-3) or "archive-NNNNNN.jsonl".
bool IsArchiveFile(std::string_view name);
// "retired.jsonl" (versions 2-3) or "retired-NNNNNN.jsonl".
bool IsRetiredFile(std::string_view name);
// Either: files a run carries on without reading.
bool IsGrowingFile(std::string_view name);

// "archive-000042.jsonl" for what generation 42 archived; `kind` is
// "archive" or "retired".
std::string GrowingFileName(std::string_view kind, uint64_t generation);

// The archive and retired files of a manifest, oldest first, as segments
// of `gen_dir`.
void CollectSegments(const std::string& gen_dir, const Manifest& manifest, StoryState* state);

// Adds an empty "archive.jsonl" to `files` unless it or `carried` holds
// one: every generation lists it, so that an older storysift reads the
// state's version and refuses it as newer instead of calling it damaged.
void KeepArchiveListed(const std::vector<ManifestEntry>& carried,
                       std::vector<std::pair<std::string, std::string>>* files);

// The manifest entry of a segment read from a generation.
ManifestEntry EntryOf(const StateSegment& segment);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_STATE_SEGMENTS_H_
