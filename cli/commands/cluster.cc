// storysift cluster INPUT...: the day's stories, one JSON line (or a text
// block) per story with its articles ranked by novelty.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "dedup_flags.h"
#include "input_flags.h"
#include "storysift/idf_model.h"
#include "storysift/output_file.h"
#include "storysift/status_macros.h"
#include "storysift/story_pipeline.h"
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
  std::string mode = "batch";
  std::string linkage = "average";
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
  if (flags.linkage == "average") {
    story.linkage = Linkage::kAverage;
  } else if (flags.linkage == "single") {
    story.linkage = Linkage::kSingle;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--linkage: unknown '", flags.linkage, "' (average, single)"));
  }
  if (flags.mode == "batch") {
    options->mode = StoryMode::kBatch;
  } else if (flags.mode == "stream") {
    options->mode = StoryMode::kStreaming;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--mode: unknown '", flags.mode, "' (batch, stream)"));
  }
  if (flags.format != "jsonl" && flags.format != "text") {
    return absl::InvalidArgumentError(
        absl::StrCat("--format: unknown '", flags.format, "' (jsonl, text)"));
  }
  // Validates the story options before any input is read.
  return StoryClusterer::Create(story).status();
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
  // With --state, yesterday's retained documents are read first, then today's.
  std::vector<std::string> state_inputs;
  StoryState state;
  if (!flags.state_dir.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(state, LoadStoryState(flags.state_dir));
    const std::string documents = StateDocumentsPath(flags.state_dir);
    if (!documents.empty()) state_inputs.push_back(documents);
    corpus_options.keep_documents = true;
  }
  STORYSIFT_ASSIGN_OR_RETURN(OpenedInput input, OpenInput(flags.input, state_inputs));
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(flags.output));
  STORYSIFT_ASSIGN_OR_RETURN(
      Corpus corpus, LoadCorpus(input.stream, input.normalizer, corpus_options, &vectorizer));
  STORYSIFT_ASSIGN_OR_RETURN(CopyGroups groups,
                             GroupCopies(corpus.sketch_table(), corpus.meta, grouper));
  corpus.ReleaseSketches();
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
  std::vector<StoryIdentity> identities;
  if (!flags.state_dir.empty()) {
    identities = AssignStoryIds(corpus, stories,
                                static_cast<int64_t>(flags.retention_days * 86400), &state);
  }
  // Only --state needs the JSON lines kept (archived stories go to its archive).
  const bool keep_lines = !identities.empty();
  std::vector<std::string> lines(keep_lines ? stories.size() : 0);
  for (size_t i = 0; i < stories.size(); ++i) {
    const std::string id = keep_lines ? identities[i].story_id : StoryId(i);
    const std::string_view status =
        keep_lines ? StoryStatusName(identities[i].status) : std::string_view();
    const bool archived = keep_lines && identities[i].archived;
    if (flags.format == "text") {
      out->Write(StoryText(corpus, stories[i], id, status));
      if (keep_lines) lines[i] = StoryJsonLine(corpus, stories[i], id, status, archived);
      continue;
    }
    std::string line = StoryJsonLine(corpus, stories[i], id, status, archived);
    out->WriteLine(line);
    if (keep_lines) lines[i] = std::move(line);
  }
  STORYSIFT_RETURN_IF_ERROR(out->Commit());
  if (flags.state_dir.empty()) return absl::OkStatus();
  return SaveStoryState(flags.state_dir, corpus, stories, identities, lines, state);
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
      ->capture_default_str();
  cmd->add_option("--story-threshold", flags->story_threshold,
                  "Articles join a story at TF-IDF cosine >= this")
      ->capture_default_str();
  cmd->add_option("--window-days", flags->window_days,
                  "Similarity decays for publication gaps beyond this many days")
      ->capture_default_str();
  cmd->add_option("--linkage", flags->linkage, "Batch linkage: average or single")
      ->capture_default_str();
  cmd->add_option("--mode", flags->mode,
                  "batch (agglomerative) or stream (first-story detection in time order)")
      ->capture_default_str();
  cmd->add_option("--idf", flags->idf_path,
                  "IDF model from `storysift idf build` (default: the input's own)");
  cmd->add_option("--label-terms", flags->label_terms, "Terms in a story label")
      ->capture_default_str();
  cmd->add_option("--new-terms", flags->new_terms, "\"What's new\" terms per article")
      ->capture_default_str();
  cmd->add_option("--title-weight", flags->title_weight, "Weight of title terms in TF-IDF")
      ->capture_default_str();
  cmd->add_option("--name-weight", flags->name_weight,
                  "Weight of names (capitalised words inside sentences, <TICKER>s) in TF-IDF")
      ->capture_default_str();
  cmd->add_option("--table-word-weight", flags->table_word_weight,
                  "Weight of words on table/layout lines (\"Shr 1.18 dlrs vs 1.04 dlrs\")")
      ->capture_default_str();
  cmd->add_option("--short-text-terms", flags->short_text_terms,
                  "Stories of documents with at most this many terms on average are grown "
                  "by centroid (0: off)")
      ->capture_default_str();
  cmd->add_option("--state", flags->state_dir,
                  "Continue the stories saved in this directory and save them again");
  cmd->add_option("--retention-days", flags->retention_days,
                  "With --state: stories idle longer than this are archived")
      ->capture_default_str();
  cmd->callback([flags, exit_code] {
    const absl::Status status = RunCluster(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
