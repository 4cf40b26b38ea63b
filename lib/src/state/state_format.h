// The files of a story state generation, as bytes: parsing (with damage
// named by file and line) and encoding. Shared by the loader, the saver and
// `state verify|recover`.
#ifndef STORYSIFT_STATE_STATE_FORMAT_H_
#define STORYSIFT_STATE_STATE_FORMAT_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "storysift/story_state.h"

namespace storysift::internal {

inline constexpr char kStateMeta[] = "meta.json";
inline constexpr char kStateStories[] = "stories.jsonl";
inline constexpr char kStateDocuments[] = "documents.jsonl";
// The archive's file of versions 1-3; from version 4 always listed, empty
// (state_segments.h names the files that replace it).
inline constexpr char kStateArchive[] = "archive.jsonl";

// meta.json: next_story, now and the options record (from version 3).
// Versions 1 to 3 are read.
absl::Status ParseStateMeta(const std::string& path, std::string_view bytes, StoryState* state);
// stories.jsonl: appends to state->stories. Members of version 1 have no
// hash (content_hash 0).
absl::Status ParseStateStories(const std::string& path, std::string_view bytes, StoryState* state);
// A retired file's documents whose id `wanted` accepts, appended to *docs.
absl::Status ParseStateRetired(const std::string& path, std::string_view bytes,
                               const std::function<bool(std::string_view id)>& wanted,
                               std::vector<RetiredDocument>* docs);
// retired.jsonl's lines for `docs`, each ending in '\n'.
std::string EncodeStateRetired(const std::vector<RetiredDocument>& docs);
// Non-empty lines.
std::vector<std::string> SplitLines(std::string_view bytes);
size_t CountLines(std::string_view bytes);

std::string EncodeStateMeta(const StoryState& state);
// The canonical document line (StateDocumentReaderOptions reads it).
std::string EncodeStateDocument(const Document& doc);

// Loads the committed generation `generation` of `dir`, verified: the
// archive's files by size only unless `check_archive` (what `state verify`
// and `state recover` need: a complete generation, CheckArchiveFiles).
// With `documents_bytes`, the documents file's bytes as verified are moved
// there (a run parses them instead of reading the file again).
absl::StatusOr<StoryState> LoadGeneration(const std::string& dir, uint64_t generation,
                                          bool check_archive = false,
                                          std::string* documents_bytes = nullptr);

// LoadStoryState (storysift/story_state.h), with the documents file's bytes
// as verified in *documents_bytes where the state has checksums (left
// empty, nullopt, for a version-1 or empty state: read documents_path).
absl::StatusOr<StoryState> LoadStoryState(const std::string& dir,
                                          std::optional<std::string>* documents_bytes);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_STATE_FORMAT_H_
