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
#include "state/durable_io.h"
#include "state/generation_store.h"
#include "state/retention_clock.h"
#include "state/state_format.h"
#include "io/json_writer.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"
#include "storysift/story_state.h"
#include "storysift/story_writer.h"
#include "xxhash.h"

namespace storysift {
namespace {

// Records read before a story job: how many records one batch reads.
constexpr size_t kReadBatch = 512;

struct StateRunInput {
  InputStream stream;
  absl::flat_hash_set<std::string> updated;
  size_t repeats = 0;
  size_t archived_repeats = 0;
  size_t state_documents = 0;  // Read from the state, before the day's records.
};

// The day's records as read, and their fingerprint: what tells a run of
// the same input again (StateRunRecord::input).
struct DayRecords {
  std::vector<ReadRecord> records;
  uint64_t fingerprint = 0;
};

// Feeds what a record contributes to a run's outputs into the fingerprint:
// its place, and its id and content, or its skip.
void AddToFingerprint(const ReadRecord& r, XXH3_state_t* hash) {
  std::string key = r.origin.ToString();
  if (r.skipped()) {
    absl::StrAppend(&key, "\x1f-", r.skip_reason, "\x1f", r.message);
  } else {
    absl::StrAppend(&key, "\x1f+", r.doc.id.size(), ":", r.doc.id, "\x1f",
                    internal::ChecksumHex(DocumentContentHash(r.doc)));
  }
  key += '\x1e';
  XXH3_64bits_update(hash, key.data(), key.size());
}

absl::StatusOr<DayRecords> ReadDay(InputStream& day) {
  DayRecords result;
  std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> hash(XXH3_createState(),
                                                                &XXH3_freeState);
  XXH3_64bits_reset(hash.get());
  std::vector<ReadRecord> batch;
  while (true) {
    STORYSIFT_ASSIGN_OR_RETURN(const bool got, day.NextBatch(kReadBatch, &batch));
    if (!got) break;
    for (ReadRecord& r : batch) {
      // A record without an id is named by its place, which tomorrow's file
      // at the same path fills with another article: its content joins the
      // id, whatever options the caller read it with.
      if (!r.skipped()) internal::AddContentToPositionalId(&r.doc);
      AddToFingerprint(r, hash.get());
      result.records.push_back(std::move(r));
    }
  }
  result.fingerprint = XXH3_64bits_digest(hash.get());
  return result;
}

// A day's record the state knows with the same content: not read again,
// and accounted as a skip (read = processed + skipped) of a reason that
// --strict passes, as nothing of it is lost (IsRepeatSkip).
void SkipAsRepeat(const char* reason, ReadRecord* r) {
  r->skip_reason = reason;
  r->message = reason == std::string_view(kSkipUnchanged)
                   ? "the state holds this id with the same content: not read again"
                   : "this id with the same content was archived with its story: not read again";
}

// The state's documents file as records: from the bytes loading verified
// (`documents_bytes`), which are then the reader's, or, for a version-1
// state, from the file.
absl::StatusOr<std::unique_ptr<DocumentReader>> OpenStateDocuments(
    const StoryState& state, std::optional<std::string> documents_bytes) {
  const ReaderOptions options = StateDocumentReaderOptions();
  if (!documents_bytes) return OpenReader(state.documents_path, options);
  return internal::NewJsonlReader(
      internal::ByteSource::FromString(*std::move(documents_bytes), state.documents_path,
                                       internal::SourceOptions(options)),
      options);
}

// The day's records (the caller's mapping) matched against the state's
// documents (the state's own mapping). A known id with the same content is
// a cron re-run and is not read again (a skip the report counts); a known id with new text replaces
// the stored document. The state's documents come first, then the day's,
// as if both had been one input.
absl::StatusOr<StateRunInput> MatchDayWithState(std::vector<ReadRecord> read,
                                                const StoryState& state,
                                                std::optional<std::string> documents_bytes,
                                                std::vector<InputSummary> summaries) {
  absl::flat_hash_map<std::string_view, uint64_t> known;
  for (const StoredStory& s : state.stories) {
    for (const StoryStateMember& m : s.members) known[m.id] = m.content_hash;
  }
  StateRunInput result{InputStream::FromRecords({}), {}, 0};
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
  // Documents of archived stories: the same content again (a day run again
  // after its stories were archived) is not read again either, or it would
  // start its stories over and archive them twice. New content under such an
  // id is a new document. (An id may have been archived with several
  // contents: each is known.) Only those of the day's ids are kept: the
  // archive grows with every day the state has seen.
  absl::flat_hash_set<std::string> day_ids;
  for (const ReadRecord& r : read) {
    if (r.skipped()) continue;
    day_ids.insert(r.doc.id);
    if (std::string legacy = internal::LegacyPositionalId(r.doc); !legacy.empty()) {
      day_ids.insert(std::move(legacy));
    }
  }
  STORYSIFT_ASSIGN_OR_RETURN(const std::vector<RetiredDocument> retired,
                             FindRetiredDocuments(state, day_ids));
  absl::flat_hash_set<std::pair<std::string_view, uint64_t>> archived;
  for (const RetiredDocument& d : retired) archived.insert({d.id, d.content_hash});
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
          SkipAsRepeat(kSkipUnchanged, &r);
        } else {
          result.updated.insert(r.doc.id);
        }
      } else if (archived.contains({r.doc.id, hash})) {
        ++result.archived_repeats;
        SkipAsRepeat(kSkipArchivedUnchanged, &r);
      } else if (const std::string legacy = internal::LegacyPositionalId(r.doc);
                 !legacy.empty()) {
        // A state written before session 22 holds such a record under its
        // file's base name and place: the same content there is this record
        // read again (other content there is another article: new).
        if (auto old = known.find(legacy); old != known.end() && old->second == hash) {
          ++result.repeats;
          SkipAsRepeat(kSkipUnchanged, &r);
        } else if (archived.contains({legacy, hash})) {
          ++result.archived_repeats;
          SkipAsRepeat(kSkipArchivedUnchanged, &r);
        }
      }
    }
    day_records.push_back(std::move(r));
  }
  std::vector<ReadRecord> records;
  if (!state.documents_path.empty()) {
    // Read and processed again with the day's records: the report says
    // how many (StateReportSection).
    STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<DocumentReader> reader,
                               OpenStateDocuments(state, std::move(documents_bytes)));
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
  result.state_documents = records.size();
  for (ReadRecord& r : day_records) records.push_back(std::move(r));
  result.stream = InputStream::FromRecords(std::move(records), std::move(summaries));
  return result;
}

// The report's "state" section: what the run's read and processed counts
// hold besides the day's new records: the state's own documents, read
// again, and the day's records it knew (skips) or replaced.
std::string StateReportSection(const StateRunInput& input) {
  return JsonObject()
      .Int("state_documents", static_cast<int64_t>(input.state_documents))
      .Int("unchanged", static_cast<int64_t>(input.repeats))
      .Int("archived_unchanged", static_cast<int64_t>(input.archived_repeats))
      .Int("updated", static_cast<int64_t>(input.updated.size()))
      .Finish();
}

// Whether `state` is a committed generation, or the empty state, that a
// run can start from again (a version-1 state's files go at its first
// commit).
bool CanStartAgainFrom(const StoryState& state) {
  return state.generation > 0 || (state.documents_path.empty() && state.stories.empty() &&
                                  state.archive.empty() && state.retired.empty());
}

// The state that the run which committed `state` started from, when this
// run reads the same input (`input`) with the same options and that run's
// outputs are not known to have been all written (it died, or a rename
// failed, after its commit): this run then does that run again from there,
// which writes the same outputs byte for byte, and commits nothing. (Else
// every record would be a repeat and the day's outputs never written.) Not
// once the outputs were written: the same input again is then a re-run,
// nothing new, as a later day's unchanged feed is.
// (*documents_bytes: the base's documents, as LoadGeneration gives them.)
std::optional<StoryState> StateToRedoFrom(const std::string& dir, const StoryState& state,
                                          uint64_t input, bool options_changed,
                                          std::optional<std::string>* documents_bytes) {
  if (!state.run || state.generation == 0 || options_changed || state.run->input != input ||
      internal::ReadOutputsWritten(dir) >= state.generation) {
    return std::nullopt;
  }
  if (state.run->base == 0) {
    documents_bytes->reset();
    return StoryState();
  }
  // Kept as the previous generation until the next commit.
  std::string bytes;
  absl::StatusOr<StoryState> base =
      internal::LoadGeneration(dir, state.run->base, /*check_archive=*/false, &bytes);
  if (!base.ok()) return std::nullopt;
  *documents_bytes = std::move(bytes);
  return *std::move(base);
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
    const std::function<absl::Status(const StateRunResult&)>& write_outputs,
    const std::function<absl::Status(const StateRunResult&)>& publish_outputs) {
  STORYSIFT_RETURN_IF_ERROR(CheckRetentionSeconds(state_options.retention_seconds));
  const std::string& dir = state_options.dir;
  // The lock is held from before the state is read until the outputs are
  // written: no other run can interleave, and the outputs of runs on one
  // state appear in the order of their commits.
  STORYSIFT_ASSIGN_OR_RETURN(FileLock lock,
                             LockStoryStateForUpdate(dir, state_options.wait_seconds));
  std::optional<std::string> documents_bytes;  // The state's documents, verified.
  STORYSIFT_ASSIGN_OR_RETURN(StoryState committed, internal::LoadStoryState(dir, &documents_bytes));
  // Before anything is read: other options would re-cluster the retained
  // stories without a word. A state without a record (an earlier version's)
  // gets one at this commit.
  const std::vector<RecordedOption> shaping = internal::ShapingOptions(options, state_options);
  std::vector<OptionChange> option_changes;
  if (committed.options) option_changes = internal::ChangedOptions(*committed.options, shaping);
  if (!option_changes.empty() && !state_options.accept_option_change) {
    return internal::OptionChangeRefused(dir, option_changes, state_options.style);
  }
  STORYSIFT_ASSIGN_OR_RETURN(DayRecords day, ReadDay(input));
  StateRunResult result;
  std::optional<StoryState> redo_from =
      StateToRedoFrom(dir, committed, day.fingerprint, !option_changes.empty(), &documents_bytes);
  const bool redo = redo_from.has_value();
  // A date more than a day past the run's clock is a typo or a test record,
  // not news from the future; so is one standing alone a month past all
  // others (a replayed archive has no clock to go by): retention_clock.h.
  // A run done again keeps its first clock, so that its outputs are the same.
  const int64_t clock = redo                               ? committed.run->clock
                        : state_options.clock_seconds != 0 ? state_options.clock_seconds
                                                           : std::time(nullptr);
  if (redo) {
    result.redone_generation = committed.generation;
  } else if (committed.run && committed.generation > 0 &&
             internal::ReadOutputsWritten(dir) < committed.generation) {
    // Its outputs cannot be written again once this commit prunes the
    // generation that run started from.
    result.unwritten_generation = committed.generation;
  }
  StoryState state = redo ? *std::move(redo_from) : std::move(committed);
  const uint64_t start_generation = state.generation;
  const bool can_start_again = CanStartAgainFrom(state);
  state.options = shaping;
  STORYSIFT_ASSIGN_OR_RETURN(
      StateRunInput state_input,
      MatchDayWithState(std::move(day.records), state, std::move(documents_bytes),
                        input.summaries()));
  STORYSIFT_ASSIGN_OR_RETURN(
      internal::StoriesRun run,
      internal::ReadAndClusterStories(options, state_input.stream, context,
                                      /*keep_documents=*/true));
  const Corpus& corpus = run.corpus;
  std::vector<bool> changed(corpus.num_docs(), false);
  for (DocOrdinal d = 0; d < corpus.num_docs(); ++d) {
    changed[d] = state_input.updated.contains(corpus.ids[d]);
  }
  result.repeats = state_input.repeats;
  result.archived_repeats = state_input.archived_repeats;
  result.updated = state_input.updated.size();
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
  result.clustering.report.SetJobSection("state", StateReportSection(state_input));
  // The caller's outputs are written (and synced) before the state
  // changes; a failure there leaves the state as it was.
  STORYSIFT_RETURN_IF_ERROR(write_outputs(result));
  STORYSIFT_RETURN_IF_ERROR(lock.CheckStillHeld());
  uint64_t generation = result.redone_generation;
  if (!redo) {
    // What a run of this input again needs to write these outputs again.
    state.run = can_start_again ? std::optional<StateRunRecord>(StateRunRecord{
                                      day.fingerprint, clock, start_generation})
                                : std::nullopt;
    STORYSIFT_RETURN_IF_ERROR(SaveStoryState(dir, result.clustering.documents, result.run,
                                             result.lines, state));
    generation = start_generation + 1;
  }
  // The outputs appear once the state holds the day (an output claims no
  // story the state does not hold). A run that ends between the two, or
  // whose outputs cannot be renamed into place, leaves the day committed
  // without its outputs: the same input again writes them (StateToRedoFrom).
  if (publish_outputs) {
    if (absl::Status published = publish_outputs(result); !published.ok()) {
      return absl::Status(
          published.code(),
          absl::StrCat(published.message(), " (the state ", dir, " holds the day, generation ",
                       generation, ": run the same input again to write its outputs)"));
    }
  }
  STORYSIFT_RETURN_IF_ERROR(internal::MarkOutputsWritten(dir, generation));
  return result;
}

absl::StatusOr<StateStories> ReadStateStories(const std::string& dir,
                                              const RunContext& context) {
  // A shared lock keeps a writer from pruning the generation while it is
  // read; a directory that holds no state is refused before it is touched.
  STORYSIFT_ASSIGN_OR_RETURN(FileLock lock, LockStoryStateForReading(dir, 0));
  STORYSIFT_ASSIGN_OR_RETURN(StoryState state, LoadStoryState(dir));
  StateStories result;
  STORYSIFT_ASSIGN_OR_RETURN(result.archived_lines, ReadArchivedStoryLines(state));
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
