// What `storysift cluster --state DIR` carries from one run to the next, so
// that a daily run continues yesterday's stories under the same ids.
//
// Design: the state keeps the documents of every story still active (within
// the retention window) and which story id each belonged to. A run clusters
// those documents together with the new input — the very batch job that
// would run on all days at once — and then maps each resulting story to the
// previous id it shares most members with. So day 1 then day 2 gives the
// same stories as both days at once (as long as nothing was archived in
// between); only the ids need matching.
//
// Files in DIR (each rewritten whole; the directory is replaced atomically
// by writing DIR.tmp.<pid> and renaming):
//   meta.json       {"format":"storysift-state","version":1,"next_story":N,"now":T}
//   documents.jsonl the retained documents (id, title, text, date, source, url)
//   stories.jsonl   {"story_id":..,"last_active":T,"members":[{"id":..,"seen":T}]}
//   archive.jsonl   stories retired from the state, appended run after run
#ifndef STORYSIFT_STORY_STATE_H_
#define STORYSIFT_STORY_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "storysift/corpus.h"
#include "storysift/story_pipeline.h"

namespace storysift {

inline constexpr int kStoryStateVersion = 1;

struct StoryStateMember {
  std::string id;
  int64_t seen = 0;  // Publication time, or the run's time when undated.
};

struct StoredStory {
  std::string story_id;
  int64_t last_active = 0;
  std::vector<StoryStateMember> members;
};

struct StoryState {
  uint64_t next_story = 1;  // Number of the next new story id.
  int64_t now = 0;          // Reference time of the last run (UTC seconds).
  std::vector<StoredStory> stories;
  std::vector<std::string> archived_lines;  // archive.jsonl so far.
};

// Reads DIR. A missing DIR (first run) gives an empty state; DIR missing
// but DIR.old present (a crash between the two renames of a save) reads
// DIR.old. DataLoss naming file:line for a damaged file; Unimplemented for
// a newer version.
absl::StatusOr<StoryState> LoadStoryState(const std::string& dir);

// The documents file inside a state directory ("" when it does not exist).
std::string StateDocumentsPath(const std::string& dir);

// The story id of story number `number` (1, 2, ...): "s0001", "s0002", ...
// (at least four digits). Shared by `cluster --state` and StoryAssigner.
std::string FormatStoryId(uint64_t number);

enum class StoryStatus { kNew, kUpdated, kUnchanged };
std::string_view StoryStatusName(StoryStatus status);

struct StoryIdentity {
  std::string story_id;
  StoryStatus status = StoryStatus::kNew;
  int64_t last_active = 0;
  bool archived = false;  // Idle past the retention window: leaves the state.
};

// Gives each story of this run a stable id: the previous id it shares most
// members with (each previous id goes to one story; larger overlaps first,
// then smaller story index), else a new "sNNNN" id. Status: kNew without a
// previous id, kUnchanged when the member set is the previous one exactly,
// else kUpdated. Advances state->now to the newest publication time seen and
// marks stories idle for more than `retention_seconds` as archived.
std::vector<StoryIdentity> AssignStoryIds(const Corpus& corpus,
                                          const std::vector<RankedStory>& stories,
                                          int64_t retention_seconds, StoryState* state);

// Writes the next state: stories not archived, with their documents
// (REQUIRES: corpus.documents kept), and archived stories' lines appended
// to the archive. Atomic: DIR is replaced only when everything is written.
absl::Status SaveStoryState(const std::string& dir, const Corpus& corpus,
                            const std::vector<RankedStory>& stories,
                            const std::vector<StoryIdentity>& identities,
                            const std::vector<std::string>& story_lines,
                            const StoryState& state);

}  // namespace storysift

#endif  // STORYSIFT_STORY_STATE_H_
