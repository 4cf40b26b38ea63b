// storysift's jobs, one call each: start here.
//
//   RunDedup    near-duplicate groups: every document's copy group, role,
//               representative and similarity, and the verified pairs;
//   RunCluster  stories: copies collapsed, representatives clustered by
//               TF-IDF cosine and time, each story's articles ranked by
//               novelty;
//   RunClusterWithState / ReadStateStories
//               the daily run: today's documents clustered together with
//               the stories kept in a state directory, under their ids.
//
// A job reads an InputStream: files (InputStream::Open, any format the
// readers know) or documents already in memory (DocumentsInput). Options
// hold only algorithm settings; threads, timings and progress travel in a
// RunContext beside them, and no result depends on the thread count.
// Every input record is accounted for: a record that cannot be read is a
// skip with its reason in the result's RunReport, never an error.
//
//   storysift::ClusterJobOptions options;  // The defaults of `storysift cluster`.
//   auto input = storysift::InputStream::Open({"day.jsonl"}, {});
//   auto result = storysift::RunCluster(options, *input, {});
//   for (const storysift::StoryRecord& s : storysift::StoryRecords(*result)) ...
//
// The CLI commands are these calls plus flags and writers (dedup_writer.h,
// story_writer.h, story_report.h), which read the same results.
#ifndef STORYSIFT_JOBS_H_
#define STORYSIFT_JOBS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/copy_grouper.h"
#include "storysift/document.h"
#include "storysift/document_table.h"
#include "storysift/idf_model.h"
#include "storysift/input_stream.h"
#include "storysift/normalize.h"
#include "storysift/report.h"
#include "storysift/run_context.h"
#include "storysift/sketcher.h"
#include "storysift/story_pipeline.h"
#include "storysift/story_state.h"
#include "storysift/tfidf.h"

namespace storysift {

// A stream of documents already in memory, in order (the Python binding's
// records): no file is written. A document without text is a skipped
// record (missing_text), as it would be in a file.
InputStream DocumentsInput(std::vector<Document> documents);

struct DedupJobOptions {
  NormalizeOptions normalize;
  // sketch.kind is the one choice of MinHash or SimHash: the job groups with
  // that kind whatever grouper.kind says.
  SketchOptions sketch;
  // Thresholds, LSH bands ({0, 0}: from the threshold, resolved once),
  // keep policy, grouping mode. Checked before anything is read.
  CopyGrouperOptions grouper;
  // kMinHash: verify by exact Jaccard over the shingle sets (kept in memory).
  bool exact_verify = false;
  // Keep each document's normalized text (DocumentTable::texts): shared
  // passages (`dedup --explain`).
  bool keep_texts = false;
  // Keep each Document (DocumentTable::documents): the report's titles.
  bool keep_documents = false;
  // Called with each processed document on the calling thread, in ordinal
  // order (`dedup --keep-first` spools its raw bytes); an error stops the job.
  std::function<absl::Status(const Document&)> on_document;
};

struct DedupResult {
  DocumentTable documents;  // Ids and what was kept, by ordinal.
  CopyGroups groups;        // By ordinal; the verified pairs.
  RunReport report;         // Every record read: processed or skipped.
};

// Reads `input` and groups its near-duplicates (non-chaining by default:
// every copy is verified against its group's representative).
// InvalidArgument for bad options (before anything is read); the first
// fatal input error (NotFound, DataLoss of a compressed input, ...).
absl::StatusOr<DedupResult> RunDedup(const DedupJobOptions& options, InputStream& input,
                                     const RunContext& context);

struct ClusterJobOptions {
  DedupJobOptions dedup;  // Copies are collapsed first.
  TfidfOptions tfidf;
  // A reference corpus's IDF (`storysift idf build`); null: the input's own.
  // Its terms must have been made with dedup.normalize's term options
  // (IdfModel::CheckTermOptions): the jobs refuse it otherwise.
  std::shared_ptr<const IdfModel> idf;
  StoryPipelineOptions stories;  // Story clustering and novelty ranking.
};

struct ClusterResult {
  DocumentTable documents;  // Always with titles (headlines).
  CopyGroups groups;
  // By smallest member ordinal; every processed document is in exactly one.
  std::vector<RankedStory> stories;
  std::vector<std::string> story_ids;  // By story: "s0001", ... (or the state's).
  RunReport report;
};

// Reads `input`, collapses copies, clusters stories and ranks each story's
// articles. Errors as RunDedup; InvalidArgument (before anything is read)
// for an `idf` model whose term options differ from the run's.
absl::StatusOr<ClusterResult> RunCluster(const ClusterJobOptions& options, InputStream& input,
                                         const RunContext& context);

// Plain records of a result, for bindings and simple callers.
struct DocumentVerdict {
  std::string id;
  size_t group = 0;  // Copy groups numbered by their representative's ordinal order.
  CopyRole role = CopyRole::kUnique;
  std::string representative_id;  // Its own id for a representative.
  double similarity = 1;          // To the representative.
};
std::vector<DocumentVerdict> DocumentVerdicts(const DocumentTable& documents,
                                              const CopyGroups& groups);

struct StoryArticle {
  std::string id;
  float novelty = 0;
  std::vector<std::string> new_terms;
  std::string copy_of;  // The representative's id for a copy, else empty.
};
struct StoryRecord {
  std::string story_id;
  std::vector<std::string> label;
  std::string headline;  // Empty when no member has a title.
  std::optional<int64_t> first_published;
  std::optional<int64_t> last_published;
  std::vector<StoryArticle> articles;  // Rank order, most novel first.
};
std::vector<StoryRecord> StoryRecords(const ClusterResult& result);

// How messages name a setting: num_perm (keyword) or --num-perm (flag).
enum class SettingStyle { kKeyword, kFlag };

// The daily run (`storysift cluster --state DIR`).
struct StateJobOptions {
  std::string dir;
  // Stories idle longer than this are archived (leave the state). At most
  // kMaxRetentionSeconds (storysift/date.h): InvalidArgument otherwise.
  int64_t retention_seconds = 7 * 86400;
  // How long to wait for another run's lock (FileLock); 0 fails at once.
  double wait_seconds = 0;
  // The run's clock, UTC seconds (0: the system's). Articles dated more than
  // a day after it, or alone over a month (or the retention) past every
  // other date, do not advance the state's clock (AssignStoryIds'
  // latest_credible).
  int64_t clock_seconds = 0;
  // The state records the options that shape its stories or their ids (the
  // dedup, normalization, TF-IDF, IDF model and story options, and the
  // retention; not threads, outputs or the clock). A run whose options
  // differ from the recorded ones is refused (IsStateOptionChange), since it
  // would silently re-cluster the retained stories, unless this is set: the
  // run then goes on and records the new options.
  bool accept_option_change = false;
  // How the refusal names the options (--story-threshold or story_threshold).
  SettingStyle style = SettingStyle::kKeyword;
};

// An option whose value differs from the one a state recorded.
struct OptionChange {
  std::string name;  // RecordedOption::name.
  std::string recorded;
  std::string now;
};

// True for RunClusterWithState's refusal of changed options (the CLI's
// usage error, exit 2).
bool IsStateOptionChange(const absl::Status& status);

struct StateRunResult {
  // The clustering of the state's documents and the day's. Its `stories`
  // and `story_ids` are the ones a view shows: every story of the run
  // except the merged ones, re-ranked where the reconciliation changed its
  // members, under the state's ids.
  ClusterResult clustering;
  StoryRun run;                          // Ids, statuses, members, is_new.
  std::vector<std::string> lines;        // By run.stories: the JSON line.
  std::vector<std::string> statuses;     // By shown story: "new", ...
  std::vector<bool> archived;            // By shown story.
  size_t clustered_stories = 0;  // Stories of the clustering, before reconciliation.
  size_t largest_clustered = 0;  // Articles of the largest of them.
  size_t repeats = 0;  // Day documents already in the state (not read again).
  size_t archived_repeats = 0;  // ... already archived with their story (not read again).
  size_t updated = 0;  // Day documents replacing a stored one (new text).
  // Articles arriving in this run (new or updated) dated past the credible
  // latest date, and the stored ones still so dated (StoryRun).
  size_t future_dated = 0;
  size_t future_dated_held = 0;
  // The options that differ from the recorded ones, accepted
  // (accept_option_change) and recorded by this run.
  std::vector<OptionChange> option_changes;
  // Not 0: the state's generation that this run did again, committing
  // nothing: the run that committed it read the same input with the same
  // options and ended before its outputs were all written.
  uint64_t redone_generation = 0;
  // Not 0: the state's generation whose run ended before its outputs were
  // all written, and which this run's commit (another input) leaves no way
  // to write them again.
  uint64_t unwritten_generation = 0;
};

// Takes the state's lock (Unavailable with IsLockHeld, naming the holder,
// when held past wait_seconds), loads the state, refuses options other than
// the recorded ones (InvalidArgument naming each, with IsStateOptionChange;
// not with accept_option_change), reads the day's `input` (matched by id:
// the same content is a re-run, a skipped record `unchanged` or
// `archived_unchanged` in the report, other content replaces
// the stored document), clusters state and day as one input, reconciles
// the stories with the stored ones (AssignStoryIds), then calls
// `write_outputs` (write them where they are not seen yet, and make them
// durable: temporary files, synced) and, when it returns OK, commits the
// next generation of the state, then calls `publish_outputs` (put them in
// place: renames) and records that the run's outputs are written
// (DIR/OUTPUTS). An error before the commit leaves the state as it was.
// An error from `publish_outputs`, or a crash between the commit and that
// record, leaves the day committed without its outputs: the same input
// again, with the same options, is then the same run done again from the
// generation it started from (kept until the next commit), with its clock:
// the same outputs, byte for byte, and no commit (`redone_generation`).
// Once they are recorded as written, the same input again is a re-run:
// every record a repeat, nothing new. A directory that holds other files
// and no state is refused (FailedPrecondition) before anything is made in
// it; a missing or empty one starts a state.
absl::StatusOr<StateRunResult> RunClusterWithState(
    const ClusterJobOptions& options, const StateJobOptions& state_options, InputStream& input,
    const RunContext& context,
    const std::function<absl::Status(const StateRunResult&)>& write_outputs,
    const std::function<absl::Status(const StateRunResult&)>& publish_outputs = {});

// What a state directory shows now (`storysift report STATE_DIR`): its
// active stories (the reconciliation a run without new input makes, with
// default options, not saved) and its archived story lines. Reads under a
// shared lock (LockStoryStateForReading). NotFound for a missing DIR;
// FailedPrecondition "DIR is not a storysift state directory" for one that
// holds no state (CheckStoryStateDirectory), in which nothing is created.
struct StateStories {
  ClusterResult active;  // Documents kept (views), stories under the state's ids.
  std::vector<std::string> archived_lines;
  // The active stories are clustered with the default options. The options
  // the state recorded that differ from them (retention aside), with the
  // recorded value and the default as `now`: where not empty, the grouping
  // shown may differ from the state's own runs, and a caller should say so.
  std::vector<OptionChange> recorded_not_applied;
};
absl::StatusOr<StateStories> ReadStateStories(const std::string& dir,
                                              const RunContext& context);

}  // namespace storysift

#endif  // STORYSIFT_JOBS_H_
