// storysift cluster INPUT...: the day's stories, one JSON line (or a text
// block) per story with its articles ranked by novelty.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "commands.h"
#include "dedup_flags.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "lock_flags.h"
#include "storysift/json_writer.h"
#include "progress.h"
#include "storysift/idf_model.h"
#include "storysift/output_file.h"
#include "storysift/status_macros.h"
#include "storysift/story_pipeline.h"
#include "storysift/story_report.h"
#include "storysift/story_state.h"
#include "storysift/story_writer.h"

namespace storysift::cli {
namespace {

struct ClusterFlags {
  InputFlags input;
  DedupFlags dedup;
  std::string output = "-";
  std::string format = "jsonl";
  std::string idf_path;
  StoryMode mode = StoryMode::kBatch;
  Linkage linkage = Linkage::kAverage;
  double story_threshold = StoryOptions().threshold;
  double window_days = StoryOptions().window_seconds / 86400.0;
  int label_terms = StoryOptions().label_terms;
  int new_terms = NoveltyOptions().new_terms;
  double title_weight = TfidfOptions().title_weight;
  double name_weight = TfidfOptions().name_weight;
  double table_word_weight = TfidfOptions().table_word_weight;
  int short_text_terms = StoryOptions().short_text_terms;
  std::string state_dir;
  double retention_days = 7;
  double wait_seconds = 0;
  std::string html_path;
  int min_size = 2;
};

absl::Status MakeStoryOptions(const ClusterFlags& flags, StoryPipelineOptions* options) {
  StoryOptions& story = options->story;
  story.threshold = static_cast<float>(flags.story_threshold);
  if (!(flags.window_days > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--window-days ", flags.window_days, " must be > 0"));
  }
  story.window_seconds = static_cast<int64_t>(std::llround(flags.window_days * 86400));
  story.label_terms = flags.label_terms;
  story.short_text_terms = flags.short_text_terms;
  options->novelty.new_terms = flags.new_terms;
  story.linkage = flags.linkage;
  options->mode = flags.mode;
  if (flags.min_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--min-size ", flags.min_size, " must be >= 1"));
  }
  // Validates the story options before any input is read.
  return StoryClusterer::Create(story).status();
}

// With --state: the day's records (the user's mapping) matched against the
// state's documents (the state's own mapping). A known id with the same
// content is a cron re-run and is not read again; a known id with new text
// replaces the stored document. The state's documents come first, then the
// day's, as if both had been one input.
struct StateRunInput {
  InputStream stream;
  absl::flat_hash_set<std::string> updated;
  size_t repeats = 0;
};

absl::StatusOr<StateRunInput> ReadStateAndDay(const InputFlags& flags, const StoryState& state) {
  STORYSIFT_ASSIGN_OR_RETURN(ReaderOptions reader_options, MakeReaderOptions(flags));
  STORYSIFT_ASSIGN_OR_RETURN(InputStream day, InputStream::Open(flags.inputs, reader_options));
  absl::flat_hash_map<std::string_view, uint64_t> known;
  for (const StoredStory& s : state.stories) {
    for (const StoryStateMember& m : s.members) known[m.id] = m.content_hash;
  }
  StateRunInput result{InputStream::FromRecords({}), {}, 0};
  std::vector<ReadRecord> day_records, batch;
  while (true) {
    STORYSIFT_ASSIGN_OR_RETURN(const bool got, day.NextBatch(512, &batch));
    if (!got) break;
    for (ReadRecord& r : batch) {
      if (!r.skipped()) {
        auto it = known.find(r.doc.id);
        if (it != known.end()) {
          if (it->second == DocumentContentHash(r.doc)) {
            ++result.repeats;
            continue;
          }
          result.updated.insert(r.doc.id);
        }
      }
      day_records.push_back(std::move(r));
    }
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

absl::Status RunCluster(const ClusterFlags& flags) {
  CorpusOptions corpus_options;
  CopyGrouperOptions grouper;
  STORYSIFT_RETURN_IF_ERROR(MakeDedupOptions(flags.dedup, &corpus_options, &grouper));
  corpus_options.pipeline.threads = flags.input.threads;
  corpus_options.keep_titles = true;  // Story headlines.
  grouper.threads = flags.input.threads;
  StoryPipelineOptions story_options;
  STORYSIFT_RETURN_IF_ERROR(AsUsageError(MakeStoryOptions(flags, &story_options)));
  story_options.story.candidates.threads = flags.input.threads;
  if (!(flags.retention_days >= 0)) {
    return AsUsageError(absl::InvalidArgumentError(
        absl::StrCat("--retention-days ", flags.retention_days, " must be >= 0")));
  }
  std::vector<NamedPath> inputs;
  for (const std::string& in : flags.input.inputs) inputs.push_back({"an input", in});
  if (!flags.idf_path.empty()) inputs.push_back({"--idf", flags.idf_path});
  if (!flags.state_dir.empty()) inputs.push_back({"the --state directory", flags.state_dir});
  STORYSIFT_RETURN_IF_ERROR(AsUsageError(CheckOutputPaths(
      {{"-o", flags.output}, {"--report", flags.input.report_path}, {"--html", flags.html_path}},
      inputs)));
  std::optional<IdfModel> idf;
  if (!flags.idf_path.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(idf, IdfModel::Load(flags.idf_path));
  }
  TfidfOptions tfidf_options;
  tfidf_options.title_weight = static_cast<float>(flags.title_weight);
  tfidf_options.name_weight = static_cast<float>(flags.name_weight);
  tfidf_options.table_word_weight = static_cast<float>(flags.table_word_weight);
  STORYSIFT_ASSIGN_OR_RETURN(TfidfVectorizer vectorizer,
                             TfidfVectorizer::Create(tfidf_options, idf ? &*idf : nullptr));
  const bool with_state = !flags.state_dir.empty();
  // The lock is held from before the state is read until its next
  // generation is committed: no other run can interleave.
  std::optional<FileLock> lock;
  StoryState state;
  std::optional<StateRunInput> state_input;
  STORYSIFT_ASSIGN_OR_RETURN(NormalizeOptions normalize_options, MakeNormalizeOptions(flags.input));
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(normalize_options));
  std::optional<OpenedInput> input;
  if (with_state) {
    STORYSIFT_ASSIGN_OR_RETURN(FileLock held,
                               LockStoryStateForUpdate(flags.state_dir, flags.wait_seconds));
    lock.emplace(std::move(held));
    STORYSIFT_ASSIGN_OR_RETURN(state, LoadStoryState(flags.state_dir));
    STORYSIFT_ASSIGN_OR_RETURN(state_input, ReadStateAndDay(flags.input, state));
    corpus_options.keep_documents = true;
  } else {
    STORYSIFT_ASSIGN_OR_RETURN(input, OpenInput(flags.input));
  }
  InputStream& stream = with_state ? state_input->stream : input->stream;
  Normalizer& doc_normalizer = with_state ? normalizer : input->normalizer;
  // The text view and the report show titles, sources and urls (an untitled
  // text's first words); the report also each copy's passage shared with
  // its original, from the raw documents normalized again.
  const bool text = flags.format == "text";
  if (text || !flags.html_path.empty()) corpus_options.keep_documents = true;
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(flags.output));
  std::unique_ptr<OutputFile> html;
  if (!flags.html_path.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(html, OutputFile::Open(flags.html_path));
  }
  STORYSIFT_ASSIGN_OR_RETURN(
      Corpus corpus, LoadCorpus(stream, doc_normalizer, corpus_options, &vectorizer));
  SetProgressStage("grouping copies");
  STORYSIFT_ASSIGN_OR_RETURN(CopyGroups groups,
                             GroupCopies(corpus.sketch_table(), corpus.meta, grouper));
  corpus.ReleaseSketches();
  SetProgressStage("clustering stories");
  STORYSIFT_ASSIGN_OR_RETURN(TfidfMatrix matrix, vectorizer.Build());
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<RankedStory> stories,
                             BuildRankedStories(corpus, groups, matrix, story_options));
  STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, corpus.report));
  if (!flags.input.quiet) {
    size_t largest = 0;
    for (const RankedStory& s : stories) largest = std::max(largest, s.articles.size());
    std::fprintf(stderr,
                 "storysift: %zu documents, %zu copy groups, %zu stories (largest %zu)\n",
                 corpus.num_docs(), groups.num_groups, stories.size(), largest);
  }
  // What the text view and the report show: every story with its id, and
  // with --state its status (merged stories have no articles left to show).
  std::vector<RankedStory> shown;
  std::vector<std::string> ids, statuses;
  std::vector<bool> archived;
  auto write_views = [&]() -> absl::Status {
    if (!text && !html) return absl::OkStatus();
    const std::vector<RankedStory>& view = with_state ? shown : stories;
    StoryReport report = BuildStoryReport(corpus, view, ids, statuses, archived,
                                          &doc_normalizer, flags.input.threads);
    report.default_min_size = flags.min_size;
    if (text) out->Write(RenderStoryReportText(report, flags.min_size));
    if (html) html->Write(RenderStoryReportHtml(report));
    return absl::OkStatus();
  };
  if (!with_state) {
    ids.resize(stories.size());
    for (size_t i = 0; i < stories.size(); ++i) {
      ids[i] = StoryId(i);
      if (!text) out->WriteLine(StoryJsonLine(corpus, stories[i], ids[i]));
    }
    STORYSIFT_RETURN_IF_ERROR(write_views());
    if (html) STORYSIFT_RETURN_IF_ERROR(html->Commit());
    return out->Commit();
  }
  std::vector<bool> changed(corpus.num_docs(), false);
  for (DocOrdinal d = 0; d < corpus.num_docs(); ++d) {
    changed[d] = state_input->updated.contains(corpus.ids[d]);
  }
  const StoryRun run =
      AssignStoryIds(corpus, stories, changed,
                     static_cast<int64_t>(std::llround(flags.retention_days * 86400)), &state);
  if (!flags.input.quiet) {
    size_t fresh = 0, merged = 0;
    for (const StoryIdentity& s : run.stories) {
      fresh += s.status == StoryStatus::kNew;
      merged += s.status == StoryStatus::kMerged;
    }
    std::fprintf(stderr,
                 "storysift: state %s: %zu documents already in it (not read again), %zu "
                 "updated, %zu new stories, %zu merged\n",
                 flags.state_dir.c_str(), state_input->repeats, state_input->updated.size(),
                 fresh, merged);
  }
  // Every story line of the run; archived ones also go to the archive.
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
      if (!text) out->WriteLine(lines[i]);
      continue;
    }
    std::optional<RankedStory> reranked;
    if (!s.same_as_source) {
      STORYSIFT_ASSIGN_OR_RETURN(
          reranked, RankStoryMembers(corpus, groups, matrix, s.members,
                                     stories[s.source_story].label, story_options.novelty));
    }
    const RankedStory& story = reranked ? *reranked : stories[s.source_story];
    lines[i] = StoryJsonLine(corpus, story, s.story_id, status, s.archived, &run.is_new);
    if (!text) out->WriteLine(lines[i]);
    if (text || html) {
      shown.push_back(story);
      ids.push_back(s.story_id);
      statuses.emplace_back(status);
      archived.push_back(s.archived);
    }
  }
  STORYSIFT_RETURN_IF_ERROR(write_views());
  // A full disk shows here, before the state changes; the outputs appear
  // only once the state is committed, so a failed run leaves all as they
  // were.
  STORYSIFT_RETURN_IF_ERROR(out->Sync());
  if (html) STORYSIFT_RETURN_IF_ERROR(html->Sync());
  STORYSIFT_RETURN_IF_ERROR(SaveStoryState(flags.state_dir, corpus, run, lines, state));
  if (html) STORYSIFT_RETURN_IF_ERROR(html->Commit());
  return out->Commit();
}

}  // namespace

void RegisterClusterCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ClusterFlags>();
  CLI::App* cmd = app.add_subcommand(
      "cluster", "Group articles into stories and rank each story's articles by novelty");
  AddInputFlags(cmd, &flags->input);
  AddDedupFlags(cmd, &flags->dedup);
  cmd->add_option("-o,--output", flags->output, "Output file (- for stdout)")
      ->capture_default_str();
  cmd->add_option("--format", flags->format, "Output: jsonl (one story per line) or text")
      ->capture_default_str()
      ->check(OneOf({"jsonl", "text"}));
  cmd->add_option("--html", flags->html_path,
                  "Also write the stories as a self-contained HTML report to this file");
  cmd->add_option("--min-size", flags->min_size,
                  "Text view and report: stories smaller than this are summed up, not listed")
      ->capture_default_str();
  cmd->add_option("--story-threshold", flags->story_threshold,
                  "Articles join a story at TF-IDF cosine >= this")
      ->capture_default_str()
      ->check(NumberIn(0, 1, Bound::kOpen));
  cmd->add_option("--window-days", flags->window_days,
                  "Similarity decays for publication gaps beyond this many days")
      ->capture_default_str()
      ->check(NonNegative(Bound::kOpen));
  AddEnumOption<Linkage>(cmd, "--linkage", &flags->linkage,
                         {{"average", Linkage::kAverage}, {"single", Linkage::kSingle}},
                         "Batch linkage: average or single");
  AddEnumOption<StoryMode>(
      cmd, "--mode", &flags->mode,
      {{"batch", StoryMode::kBatch}, {"stream", StoryMode::kStreaming}},
      "batch (agglomerative) or stream (first-story detection in time order)");
  cmd->add_option("--idf", flags->idf_path,
                  "IDF model from `storysift idf build` (default: the input's own)");
  cmd->add_option("--label-terms", flags->label_terms, "Terms in a story label")
      ->capture_default_str()
      ->check(NumberIn(0, 1000));
  cmd->add_option("--new-terms", flags->new_terms, "\"What's new\" terms per article")
      ->capture_default_str()
      ->check(NumberIn(0, 1000));
  cmd->add_option("--title-weight", flags->title_weight, "Weight of title terms in TF-IDF")
      ->capture_default_str()
      ->check(NonNegative());
  cmd->add_option("--name-weight", flags->name_weight,
                  "Weight of names (capitalised words inside sentences, <TICKER>s) in TF-IDF")
      ->capture_default_str()
      ->check(NonNegative());
  cmd->add_option("--table-word-weight", flags->table_word_weight,
                  "Weight of words on table/layout lines (\"Shr 1.18 dlrs vs 1.04 dlrs\")")
      ->capture_default_str()
      ->check(NonNegative());
  cmd->add_option("--short-text-terms", flags->short_text_terms,
                  "Stories of documents with at most this many terms on average are grown "
                  "by centroid (0: off)")
      ->capture_default_str()
      ->check(NumberIn(0, 100000));
  cmd->add_option("--state", flags->state_dir,
                  "Continue the stories saved in this directory and save them again");
  cmd->add_option("--retention-days", flags->retention_days,
                  "With --state: stories idle longer than this are archived")
      ->capture_default_str()
      ->check(NonNegative());
  AddWaitFlag(cmd, &flags->wait_seconds);
  cmd->callback([flags, exit_code] {
    const absl::Status status = RunCluster(*flags);
    *exit_code = status.ok() ? kExitOk : ReportRunError(status);
  });
}

}  // namespace storysift::cli
