// What `storysift cluster --state DIR` carries from one run to the next, so
// that a daily run continues yesterday's stories under the same ids.
//
// Design: the state keeps the documents of every story still active (within
// the retention window), in its own canonical format, and which story each
// belongs to. A run clusters those documents together with the new input —
// the batch job that would run on all days at once — and AssignStoryIds then
// reconciles the result with the stored stories: an article once published
// in a story stays there unless that story merges into another.
//
// DIR is a directory of checksummed generations (lib/src/state): DIR/CURRENT
// names the committed one, DIR/gen-NNNNNN/ holds
//   meta.json       {"format":"storysift-state","version":4,"next_story":N,"now":T,
//                   "options":{"method":"minhash",...,"story_threshold":"0.2",...}}:
//                   the options the stories were made with, each value as text
//                   (RecordedOption; version 2 has no record), and "run":
//                   {"input":"<xxh3 hex>","clock":T,"base":G}, the run that
//                   committed it (StateRunRecord; absent before it existed)
//   documents.jsonl the retained documents: {"id","title","text","date","source","url"}
//   stories.jsonl   {"story_id":..,"last_active":T,"members":[{"id":..,"seen":T,"hash":H}]}
//   archive-NNNNNN.jsonl  the lines of the stories generation NNNNNN archived
//   retired-NNNNNN.jsonl  their documents: {"id":..,"story_id":..,"hash":H}, so
//                   that a re-run of a day whose stories were archived does not
//                   read them again
//   retired-NNNNNN.ids    the sorted 64-bit hashes of that file's ids (binary,
//                   lib/src/state/state_segments.h): a run reads a retired
//                   file only when one of the day's ids hashes into its list
//                   (from session 24; a state without them gets them at its
//                   next run, and is read in full until then)
//   archive.jsonl, retired.jsonl  the same, as versions 1 to 3 kept them (one
//                   file each, rewritten by every run); archive.jsonl is
//                   always listed (empty from version 4), which makes an older
//                   storysift refuse the state as newer, not as damaged
//   MANIFEST        each file's size and XXH3-64 checksum
// The archive files only grow: each is written once, by the run that
// archived its stories, and every later generation holds it unchanged (a
// hard link), so a run's cost follows the retained window, not the history
// (less the id lists, 8 bytes an archived document, which a run reads).
// The previous generation is kept for RecoverStoryState (and for a run
// of the same input again whose outputs were not all written; DIR/OUTPUTS,
// "gen-NNNNNN <xxh3>", names the newest generation whose run wrote them all,
// jobs.h's RunClusterWithState). Writers hold
// an exclusive flock on DIR/LOCK. States of version 1 (the files directly
// in DIR, or in DIR.old) are read and become generations on the next save;
// those of version 1 and 2 get an options record at their next save.
#ifndef STORYSIFT_STORY_STATE_H_
#define STORYSIFT_STORY_STATE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "storysift/document_table.h"
#include "storysift/file_lock.h"
#include "storysift/reader.h"
#include "storysift/story_pipeline.h"

namespace storysift {

inline constexpr int kStoryStateVersion = 4;

struct StoryStateMember {
  std::string id;
  int64_t seen = 0;           // Publication time, or the run's time when undated.
  uint64_t content_hash = 0;  // DocumentContentHash of the stored document.
};

// A document of an archived story: enough to know it again.
struct RetiredDocument {
  std::string id;
  std::string story_id;       // The archived story it was published in.
  uint64_t content_hash = 0;  // DocumentContentHash.
};

// An option that shapes a state's stories or their ids, as the state
// records it at each commit: the setting's keyword ("story_threshold"), or
// for an option without a setting its field in ClusterJobOptions
// ("tfidf.idf_power"), and its value as text ("0.2").
struct RecordedOption {
  std::string name;
  std::string value;
  bool operator==(const RecordedOption&) const = default;
};

// A file of the archive (StoryState::archive, ::retired), oldest first.
struct StateSegment {
  std::string path;
  std::string name;  // Its name in the generation ("archive-000042.jsonl").
  uint64_t size = 0;
  std::optional<uint64_t> checksum;  // XXH3-64 from the manifest; none in version 1.
};

// The run that committed a generation: what a run of the same input again
// needs to write that run's outputs again, byte for byte, when they were
// not all written (RunClusterWithState).
struct StateRunRecord {
  uint64_t input = 0;   // XXH3 of the day's records as read (each one's
                        // place, and its id and content or its skip).
  int64_t clock = 0;    // The run's clock (UTC seconds).
  uint64_t base = 0;    // The generation it started from (0: none).
  bool operator==(const StateRunRecord&) const = default;
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
  // The archive, not read by LoadStoryState (a run only carries it on):
  // ReadArchivedStoryLines and ReadRetiredDocuments read it.
  std::vector<StateSegment> archive;  // Archived stories' lines.
  std::vector<StateSegment> retired;  // Their documents.
  // The id list of each retired file that has one ("retired-000042.ids"
  // for "retired-000042.jsonl"), oldest first.
  std::vector<StateSegment> retired_id_lists;
  // The options the stories were made with, in a fixed order; none in a
  // state written before options were recorded (version 1 and 2).
  std::optional<std::vector<RecordedOption>> options;
  // The run that committed this generation (none in earlier versions' and
  // in those that `state recover` made live).
  std::optional<StateRunRecord> run;
  // Where the state was read from (set by LoadStoryState).
  std::string documents_path;  // The documents file; "" for an empty state.
  uint64_t generation = 0;     // 0 for an empty or version-1 state.
  int64_t saved_at = 0;        // When that generation was committed.
};

// The lock file of a state directory: DIR/LOCK.
std::string StateLockPath(const std::string& dir);

// Whether DIR is a state directory: one holding CURRENT, a generation
// (gen-*) or a version-1 state (DIR/meta.json, or DIR.old/meta.json). NotFound when
// DIR does not exist; FailedPrecondition "DIR is not a storysift state
// directory (...)" for a file or any other directory, an empty one
// included. What the readers (`state verify|recover`, `report DIR`,
// ReadStateStories) check before they touch DIR.
absl::Status CheckStoryStateDirectory(const std::string& dir);

// CheckStoryStateDirectory, then the readers' shared lock on DIR/LOCK
// (waiting up to `wait_seconds`): a writer cannot prune the generation
// while it is read, and no LOCK file is made in a directory that holds no
// state.
absl::StatusOr<FileLock> LockStoryStateForReading(const std::string& dir, double wait_seconds);

// Creates DIR when missing (a symlink to a directory stays one: the state
// lives in its target), takes the writers' lock (exclusive; waiting up to
// `wait_seconds`, see FileLock) and removes what crashed runs left behind.
// FailedPrecondition, before anything is made, when DIR is an existing
// directory that holds other files and no state: a state must not mix with
// them (a missing or empty DIR is a first run).
absl::StatusOr<FileLock> LockStoryStateForUpdate(const std::string& dir, double wait_seconds);

// Reads the committed generation of DIR after checking every file against
// its manifest: the archive's files by their size (they are checked in full
// when read, and by `storysift state verify`). A missing or empty DIR (first
// run) gives an empty state.
// DataLoss naming the file and what is wrong; Unimplemented for a newer
// version. Never sees a half-written state; to keep a writer from pruning
// the generation while it is read, hold FileLock(StateLockPath(dir),
// kShared) around the call and the reading of documents_path.
absl::StatusOr<StoryState> LoadStoryState(const std::string& dir);

// The committed documents file of DIR ("" when there is none or the state
// does not load): LoadStoryState(dir)->documents_path.
std::string StateDocumentsPath(const std::string& dir);

// The lines of every archived story, oldest first. DataLoss naming the file
// when one fails its manifest's size or checksum.
absl::StatusOr<std::vector<std::string>> ReadArchivedStoryLines(const StoryState& state);

// The documents of archived stories whose id `wanted` accepts, oldest first
// (every file read and checked; only those kept in memory).
absl::StatusOr<std::vector<RetiredDocument>> ReadRetiredDocuments(
    const StoryState& state, const std::function<bool(std::string_view id)>& wanted);

// The documents of archived stories with one of `ids`, oldest first, as
// ReadRetiredDocuments gives them; but a retired file is read only when
// its id list holds the hash of one of `ids` (every list is read and
// checked; a file without a list is read in full). DataLoss naming the
// file when a file it reads fails its manifest's size or checksum, or a
// list is not its file's.
absl::StatusOr<std::vector<RetiredDocument>> FindRetiredDocuments(
    const StoryState& state, const absl::flat_hash_set<std::string>& ids);

// How the documents file is read: its own fixed JSON-lines mapping, never
// the user's --*-field or --input-format.
ReaderOptions StateDocumentReaderOptions();

// XXH3 of what the state keeps of a document (title, text, date, source,
// url): the same id with the same hash is the same article.
uint64_t DocumentContentHash(const Document& doc);

// The story id of story number `number` (1, 2, ...): "s0001", "s0002", ...
// (at least four digits). Shared by `cluster --state` and StoryAssigner.
inline std::string FormatStoryId(uint64_t number) { return absl::StrFormat("s%04d", number); }

enum class StoryStatus { kNew, kUpdated, kUnchanged, kMerged };
std::string_view StoryStatusName(StoryStatus status);

// One story line of a run.
struct StoryIdentity {
  std::string story_id;
  StoryStatus status = StoryStatus::kNew;
  std::string merged_into;  // kMerged: the story that absorbed this one.
  int64_t last_active = 0;
  bool archived = false;  // Idle past the retention window: leaves the state.
  std::vector<DocOrdinal> members;  // Ascending; empty for kMerged.
  // The clustering story holding most of this story's members, and
  // whether the members are exactly that story's (then its label and
  // ranking stand as they are; otherwise the members are labelled and
  // ranked as a story of their own).
  size_t source_story = 0;
  bool same_as_source = false;
};

struct StoryRun {
  // Stories by smallest member ordinal, then the merged ones by id.
  std::vector<StoryIdentity> stories;
  std::vector<bool> is_new;   // By ordinal: the article arrived in this run.
  std::vector<int64_t> seen;  // By ordinal: first seen (publication) time.
  // Articles arriving in this run (new, or a new version of a stored one)
  // dated after `latest_credible` (see below): worth a warning, once.
  size_t future_dated = 0;
  // Stored articles, unchanged, still dated after `latest_credible`: capped
  // again in every run while the state holds them, counted when they came.
  size_t future_dated_held = 0;
};

// Reconciles this run's clustering with the stored stories. Rules:
//  - an article of stored story S stays in S; S merges into T only when no
//    story of this run has most of its members from S, and then into the
//    stored story holding most of S's articles among this run's stories
//    with news (an article new to the state or `changed`): without news no
//    stored stories merge (a re-run changes nothing); a merged group keeps
//    the oldest id and every other id in it is emitted once as kMerged;
//  - this run's new articles join the stored story owning their cluster
//    (the one with most members in it), or form a new story;
//  - kUpdated when a story gains articles (new, merged in, or `changed`:
//    a known id with new text), kUnchanged otherwise, kNew for new ids.
// Advances state->now to the newest publication time up to
// `latest_credible` and marks stories idle for more than `retention_seconds`
// archived. An article dated later (a mistyped year) counts as seen at
// `latest_credible`: one such date would otherwise archive every story at
// once, and every story after it on its first day. `changed` is by ordinal
// (may be empty).
StoryRun AssignStoryIds(const DocumentTable& corpus, const std::vector<RankedStory>& stories,
                        const std::vector<bool>& changed, int64_t retention_seconds,
                        StoryState* state, int64_t latest_credible = INT64_MAX);

// Commits the next generation: stories not archived or merged, with their
// documents (REQUIRES: corpus.documents kept), archived stories' lines
// (`story_lines`, by index into run.stories) appended to the archive. The
// live generation stays intact on any error. REQUIRES: the caller holds
// the lock from LockStoryStateForUpdate.
absl::Status SaveStoryState(const std::string& dir, const DocumentTable& corpus, const StoryRun& run,
                            const std::vector<std::string>& story_lines,
                            const StoryState& state);

// `storysift state verify`: what the committed generation holds, or why it
// is damaged (a file of it, DIR/OUTPUTS, or CURRENT naming an older
// generation than one that was committed). Ok with a report when it
// verifies; the error otherwise.
absl::StatusOr<std::string> VerifyStoryState(const std::string& dir);

// `storysift state recover`: when the committed generation is damaged (or
// CURRENT is), goes back on purpose to the newest complete earlier
// generation, keeping the damaged one aside as DIR/damaged-gen-NNNNNN, and
// returns a report of what is lost; no story id the lost generation issued
// is issued again. When CURRENT names an older generation than one that was
// committed, goes on from the newest complete one. A damaged archive or
// retired file (shared by the generations) is replaced by an intact copy
// another generation holds, or dropped (DIR/damaged-NAME), never gone back
// for; a damaged DIR/OUTPUTS is rewritten. What it commits has no run
// record, and OUTPUTS names it. REQUIRES: the writers' lock held.
// FailedPrecondition when nothing needs recovering; DataLoss when no
// complete generation is left.
absl::StatusOr<std::string> RecoverStoryState(const std::string& dir);

}  // namespace storysift

#endif  // STORYSIFT_STORY_STATE_H_
