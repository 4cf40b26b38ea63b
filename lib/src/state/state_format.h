// The files of a story state generation, as bytes: parsing (with damage
// named by file and line) and encoding. Shared by the loader, the saver and
// `state verify|recover`.
#ifndef STORYSIFT_STATE_STATE_FORMAT_H_
#define STORYSIFT_STATE_STATE_FORMAT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "storysift/story_state.h"

namespace storysift::internal {

inline constexpr char kStateMeta[] = "meta.json";
inline constexpr char kStateStories[] = "stories.jsonl";
inline constexpr char kStateDocuments[] = "documents.jsonl";
inline constexpr char kStateArchive[] = "archive.jsonl";
// Optional: generations written before it existed lack it.
inline constexpr char kStateRetired[] = "retired.jsonl";

// meta.json: next_story, now and the options record (from version 3).
// Versions 1 to 3 are read.
absl::Status ParseStateMeta(const std::string& path, std::string_view bytes, StoryState* state);
// stories.jsonl: appends to state->stories. Members of version 1 have no
// hash (content_hash 0).
absl::Status ParseStateStories(const std::string& path, std::string_view bytes, StoryState* state);
// retired.jsonl: appends to state->retired.
absl::Status ParseStateRetired(const std::string& path, std::string_view bytes, StoryState* state);
// retired.jsonl's lines for `docs`, each ending in '\n'.
std::string EncodeStateRetired(const std::vector<RetiredDocument>& docs);
// Non-empty lines.
std::vector<std::string> SplitLines(std::string_view bytes);
size_t CountLines(std::string_view bytes);

std::string EncodeStateMeta(const StoryState& state);
// The canonical document line (StateDocumentReaderOptions reads it).
std::string EncodeStateDocument(const Document& doc);

// Loads the committed generation `generation` of `dir` (verified).
absl::StatusOr<StoryState> LoadGeneration(const std::string& dir, uint64_t generation);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_STATE_FORMAT_H_
