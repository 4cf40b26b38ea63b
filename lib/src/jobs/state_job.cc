// The daily run (`cluster --state`) and what a state shows (`report
// STATE_DIR`): the batch story job over the state's documents and the day's,
// reconciled with the stored stories.
#include <algorithm>
#include <ctime>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "ingest/reader_internal.h"
#include "jobs/job_core.h"
#include "jobs/state_options.h"
#include "state/retention_clock.h"
#include "io/json_writer.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"
#include "storysift/story_state.h"
#include "storysift/story_writer.h"

namespace storysift {
namespace {

// Records read before a story job: how many records one batch reads.
constexpr size_t kReadBatch = 512;

// The day's records (the caller's mapping) matched against the state's
// documents (the state's own mapping). A known id with the same content is
// a cron re-run and is not read again; a known id with new text replaces
// the stored document. The state's documents come first, then the day's,
// as if both had been one input.
struct StateRunInput {
  InputStream stream;
  absl::flat_hash_set<std::string> updated;
  size_t repeats = 0;
  size_t archived_repeats = 0;
};

absl::StatusOr<StateRunInput> ReadStateAndDay(InputStream& day, const StoryState& state) {
  absl::flat_hash_map<std::string_view, uint64_t> known;
  for (const StoredStory& s : state.stories) {
    for (const StoryStateMember& m : s.members) known[m.id] = m.content_hash;
  }
  // Documents of archived stories: the same content again (a day run again
  // after its stories were archived) is not read again either, or it would
  // start its stories over and archive them twice. New content under such an
  // id is a new document. (An id may have been archived with several
  // contents: each is known.)
  absl::flat_hash_set<std::pair<std::string_view, uint64_t>> archived;
  for (const RetiredDocument& d : state.retired) archived.insert({d.id, d.content_hash});
  StateRunInput result{InputStream::FromRecords({}), {}, 0};
  std::vector<ReadRecord> read, batch;
  while (true) {
    STORYSIFT_ASSIGN_OR_RETURN(const bool got, day.NextBatch(kReadBatch, &batch));
    if (!got) break;
    for (ReadRecord& r : batch) {
      // A record without an id is named by its place, which tomorrow's file
      // at the same path fills with another article: its content joins the
      // id, whatever options the caller read it with.
      if (!r.skipped()) internal::AddContentToPositionalId(&r.doc);
      read.push_back(std::move(r));
    }
  }
  // The state keeps one document per id: of a day's records with one id,
  // the last is the version kept, as a later day's record with that id would
  // replace it; the others are skipped records (the report counts them).
  std::vector<bool> superseded(read.size(), false);
  {
    absl::flat_hash_map<std::string_view, size_t> last_of;
    for (size_t k = 0; k < read.size(); ++k) {
      if (read[k].skipped()) continue;
      auto [it, fresh] = last_of.try_emplace(read[k].doc.id, k);
      if (!fresh) superseded[std::exchange(it->second, k)] = true;
    }
  }
  std::vector<ReadRecord> day_records;
  for (size_t k = 0; k < read.size(); ++k) {
    ReadRecord& r = read[k];
    if (superseded[k]) {  // Accounted as a skip: read = processed + skipped.
      r.skip_reason = kSkipSupersededId;
      r.message = "a later record of this input has the same id (the state keeps the last)";
      day_records.push_back(std::move(r));
      continue;
    }
    if (!r.skipped()) {
      const uint64_t hash = DocumentContentHash(r.doc);
      auto it = known.find(r.doc.id);
      if (it != known.end()) {
        if (it->second == hash) {
          ++result.repeats;
          continue;
        }
        result.updated.insert(r.doc.id);
      } else if (archived.contains({r.doc.id, hash})) {
        ++result.archived_repeats;
        continue;
      } else if (const std::string legacy = internal::LegacyPositionalId(r.doc);
                 !legacy.empty()) {
        // A state written before session 22 holds such a record under its
        // file's base name and place: the same content there is this record
        // read again (other content there is another article: new).
        if (auto old = known.find(legacy); old != known.end() && old->second == hash) {
          ++result.repeats;
          continue;
        }
        if (archived.contains({legacy, hash})) {
          ++result.archived_repeats;
          continue;
        }
      }
    }
    day_records.push_back(std::move(r));
  }
  std::vector<ReadRecord> records;
  if (!state.documents_path.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<DocumentReader> reader,
                               OpenReader(state.documents_path, StateDocumentReaderOptions()));
    while (true) {
      ReadRecord r;
      STORYSIFT_ASSIGN_OR_RETURN(const bool got, reader->Next(&r));
      if (!got) break;
      if (r.skipped()) {
        return absl::DataLossError(absl::StrCat(r.origin.ToString(), ": ", r.message));
      }
      if (!result.updated.contains(r.doc.id)) records.push_back(std::move(r));
    }
  }
  for (ReadRecord& r : day_records) records.push_back(std::move(r));
  result.stream = InputStream::FromRecords(std::move(records), day.summaries());
  return result;
}

// The ranked story of each story of `assigned` (none for a merged one): the
// clustering's own where the members are exactly its story's, else its
// members ranked and labelled again as a story of their own. (Under the
// cluster's label, a stored story kept apart inside another story's cluster
// by the news rule showed that other story's label.)
absl::StatusOr<std::vector<std::optional<RankedStory>>> RankAssignedStories(
    const internal::StoriesRun& run, const StoryRun& assigned,
    const StoryPipelineOptions& options) {
  std::vector<std::optional<RankedStory>> ranked(assigned.stories.size());
  for (size_t i = 0; i < assigned.stories.size(); ++i) {
    const StoryIdentity& s = assigned.stories[i];
    if (s.status == StoryStatus::kMerged) continue;
    if (s.same_as_source) {
      ranked[i] = run.stories[s.source_story];
      continue;
    }
    STORYSIFT_ASSIGN_OR_RETURN(
        ranked[i], RankStoryMembers(run.corpus, run.groups, run.matrix, s.members,
                                    options.story.label_terms, options.novelty));
  }
  return ranked;
}

// The JSON line of each story of the run: the story, or a merged one's
// pointer to the story that absorbed it.
std::vector<std::string> StateStoryLines(const DocumentTable& documents, const StoryRun& run,
                                         const std::vector<std::optional<RankedStory>>& ranked) {
  std::vector<std::string> lines(run.stories.size());
  for (size_t i = 0; i < run.stories.size(); ++i) {
    const StoryIdentity& s = run.stories[i];
    const std::string_view status = StoryStatusName(s.status);
    if (s.status == StoryStatus::kMerged) {
      lines[i] = JsonObject()
                     .Str("story_id", s.story_id)
                     .Str("status", status)
                     .Str("merged_into", s.merged_into)
                     .Finish();
      continue;
    }
    lines[i] = StoryJsonLine(documents.ids, *ranked[i], s.story_id, status, s.archived,
                             &run.is_new);
  }
  return lines;
}

}  // namespace

absl::StatusOr<StateRunResult> RunClusterWithState(
    const ClusterJobOptions& options, const StateJobOptions& state_options, InputStream& input,
    const RunContext& context,
    const std::function<absl::Status(const StateRunResult&)>& write_outputs) {
  STORYSIFT_RETURN_IF_ERROR(CheckRetentionSeconds(state_options.retention_seconds));
  // The lock is held from before the state is read until its next
  // generation is committed: no other run can interleave.
  STORYSIFT_ASSIGN_OR_RETURN(
      FileLock lock, LockStoryStateForUpdate(state_options.dir, state_options.wait_seconds));
  STORYSIFT_ASSIGN_OR_RETURN(StoryState state, LoadStoryState(state_options.dir));
  // Before anything is read: other options would re-cluster the retained
  // stories without a word. A state without a record (an earlier version's)
  // gets one at this commit.
  const std::vector<RecordedOption> shaping = internal::ShapingOptions(options, state_options);
  std::vector<OptionChange> option_changes;
  if (state.options) option_changes = internal::ChangedOptions(*state.options, shaping);
  if (!option_changes.empty() && !state_options.accept_option_change) {
    return internal::OptionChangeRefused(state_options.dir, option_changes, state_options.style);
  }
  state.options = shaping;
  STORYSIFT_ASSIGN_OR_RETURN(StateRunInput state_input, ReadStateAndDay(input, state));
  STORYSIFT_ASSIGN_OR_RETURN(
      internal::StoriesRun run,
      internal::ReadAndClusterStories(options, state_input.stream, context,
                                      /*keep_documents=*/true));
  const Corpus& corpus = run.corpus;
  std::vector<bool> changed(corpus.num_docs(), false);
  for (DocOrdinal d = 0; d < corpus.num_docs(); ++d) {
    changed[d] = state_input.updated.contains(corpus.ids[d]);
  }
  StateRunResult result;
  result.repeats = state_input.repeats;
  result.archived_repeats = state_input.archived_repeats;
  result.updated = state_input.updated.size();
  // A date more than a day past the run's clock is a typo or a test record,
  // not news from the future; so is one standing alone a month past all
  // others (a replayed archive has no clock to go by): retention_clock.h.
  const int64_t clock =
      state_options.clock_seconds != 0 ? state_options.clock_seconds : std::time(nullptr);
  std::vector<int64_t> dates;
  for (const DocMeta& meta : corpus.meta) {
    if (meta.published) dates.push_back(*meta.published);
  }
  std::sort(dates.begin(), dates.end());
  const int64_t latest_credible = internal::LatestCredibleDate(
      dates.rbegin(), dates.rend(), state_options.retention_seconds, clock);
  result.run = AssignStoryIds(corpus, run.stories, changed, state_options.retention_seconds,
                              &state, latest_credible);
  result.future_dated = result.run.future_dated;
  result.future_dated_held = result.run.future_dated_held;
  result.option_changes = std::move(option_changes);
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<std::optional<RankedStory>> ranked,
                             RankAssignedStories(run, result.run, options.stories));
  result.lines = StateStoryLines(corpus, result.run, ranked);
  std::vector<RankedStory> shown;
  std::vector<std::string> shown_ids;
  for (size_t i = 0; i < result.run.stories.size(); ++i) {
    const StoryIdentity& s = result.run.stories[i];
    if (!ranked[i]) continue;
    shown.push_back(std::move(*ranked[i]));
    shown_ids.push_back(s.story_id);
    result.statuses.emplace_back(StoryStatusName(s.status));
    result.archived.push_back(s.archived);
  }
  result.clustered_stories = run.stories.size();
  for (const RankedStory& s : run.stories) {
    result.largest_clustered = std::max(result.largest_clustered, s.articles.size());
  }
  result.clustering =
      internal::TakeClusterResult(std::move(run), std::move(shown), std::move(shown_ids));
  // The caller's outputs are written (and synced) before the state
  // changes; a failure there leaves the state as it was.
  STORYSIFT_RETURN_IF_ERROR(write_outputs(result));
  STORYSIFT_RETURN_IF_ERROR(lock.CheckStillHeld());
  STORYSIFT_RETURN_IF_ERROR(SaveStoryState(state_options.dir, result.clustering.documents,
                                           result.run, result.lines, state));
  return result;
}

absl::StatusOr<StateStories> ReadStateStories(const std::string& dir,
                                              const RunContext& context) {
  // A shared lock keeps a writer from pruning the generation while it is
  // read; a directory that holds no state is refused before it is touched.
  STORYSIFT_ASSIGN_OR_RETURN(FileLock lock, LockStoryStateForReading(dir, 0));
  STORYSIFT_ASSIGN_OR_RETURN(StoryState state, LoadStoryState(dir));
  StateStories result;
  result.archived_lines = std::move(state.archived_lines);
  if (state.documents_path.empty()) return result;
  STORYSIFT_ASSIGN_OR_RETURN(
      InputStream stream,
      InputStream::Open({state.documents_path}, StateDocumentReaderOptions(), 1));
  const ClusterJobOptions options;
  if (state.options.has_value()) {
    StateJobOptions defaults;
    for (OptionChange& change :
         internal::ChangedOptions(*state.options, internal::ShapingOptions(options, defaults))) {
      if (change.name == "retention_days") continue;  // Nothing is archived here.
      result.recorded_not_applied.push_back(std::move(change));
    }
  }
  STORYSIFT_ASSIGN_OR_RETURN(
      internal::StoriesRun run,
      internal::ReadAndClusterStories(options, stream, context, /*keep_documents=*/true));
  // What a run without new input would make of the stories, never archived.
  constexpr int64_t kNeverArchived = std::numeric_limits<int64_t>::max() / 4;
  const StoryRun assigned = AssignStoryIds(run.corpus, run.stories, {}, kNeverArchived, &state);
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<std::optional<RankedStory>> ranked,
                             RankAssignedStories(run, assigned, options.stories));
  std::vector<RankedStory> shown;
  std::vector<std::string> shown_ids;
  for (size_t i = 0; i < assigned.stories.size(); ++i) {
    if (!ranked[i]) continue;
    shown.push_back(std::move(*ranked[i]));
    shown_ids.push_back(assigned.stories[i].story_id);
  }
  result.active =
      internal::TakeClusterResult(std::move(run), std::move(shown), std::move(shown_ids));
  return result;
}

}  // namespace storysift
