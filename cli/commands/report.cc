// storysift report STORIES.jsonl [INPUT...] | STATE_DIR: the HTML report (or
// the text view) of a saved `cluster` output or of a daily state.
//
// A story file holds ids, labels and novelty but no titles: the documents
// (INPUT..., the inputs the stories were clustered from) supply titles,
// sources, urls, dates and shared passages; ids not found are shown as ids.
// A state directory keeps its documents, so it needs no inputs: its active
// stories are the standard story job over those documents (what the next
// `cluster --state` run starts from), named by the state's story ids, and
// its archived stories come from the archive, shown by id.
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "commands.h"
#include "jobs/state_options.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "output_checks.h"
#include "pipeline/corpus.h"
#include "storysift/input_stream.h"
#include "storysift/jobs.h"
#include "io/output_file.h"
#include "storysift/status_macros.h"
#include "storysift/story_report.h"

namespace storysift::cli {
namespace {

struct ReportFlags {
  InputFlags input;
  std::string source;
  std::string output = "-";
  std::string format = "html";
  std::string title;
  int min_size = 2;
};

// The documents (titles, urls...) and, with `vectorizer`, their TF-IDF
// rows; *normalizer is the one they were read with.
absl::StatusOr<Corpus> LoadDocuments(const ReportFlags& flags,
                                     const std::vector<std::string>& leading,
                                     TfidfVectorizer* vectorizer,
                                     std::optional<Normalizer>* normalizer) {
  CorpusOptions options;
  options.keep_documents = true;
  STORYSIFT_ASSIGN_OR_RETURN(OpenedInput input, OpenInput(flags.input, leading));
  absl::StatusOr<Corpus> corpus =
      LoadCorpus(input.stream, input.normalizer, options, MakeRunContext(flags.input), vectorizer);
  normalizer->emplace(std::move(input.normalizer));
  return corpus;
}

// The state's active stories (ReadStateStories: what the next `cluster
// --state` run starts from, under the state's ids) plus its archived ones.
absl::StatusOr<StoryReport> StateReport(const ReportFlags& flags, size_t* unknown_ids) {
  RunContext context;
  context.threads = flags.input.threads;
  STORYSIFT_ASSIGN_OR_RETURN(StateStories state, ReadStateStories(flags.source, context));
  if (!state.recorded_not_applied.empty()) {
    std::fprintf(stderr,
                 "storysift: warning: %s: the report groups the state's stories with the default "
                 "options, not the recorded ones (%s), so stories may be grouped otherwise than "
                 "in the state's own runs\n",
                 flags.source.c_str(),
                 internal::DescribeChanges(state.recorded_not_applied, SettingStyle::kFlag).c_str());
  }
  // The state's documents are read with default normalization.
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create({}));
  StoryReport report =
      BuildStoryReport(state.active.documents, state.active.stories, state.active.story_ids, {},
                       {}, &normalizer, flags.input.threads);
  size_t unknown = 0;
  STORYSIFT_ASSIGN_OR_RETURN(
      StoryReport archived,
      StoryReportFromLines(state.archived_lines, flags.source + "/archive.jsonl",
                           state.active.documents, &unknown, nullptr));
  for (ReportStory& s : archived.stories) {
    s.archived = true;
    report.stories.push_back(std::move(s));
  }
  *unknown_ids = unknown;
  return report;
}

absl::Status RunReport(const ReportFlags& flags) {
  if (flags.min_size < 1) {
    return AsUsageError(absl::InvalidArgumentError(
        absl::StrCat("--min-size ", flags.min_size, " must be >= 1")));
  }
  std::error_code ec;
  const bool state_dir = std::filesystem::is_directory(flags.source, ec);
  if (state_dir && !flags.input.inputs.empty()) {
    return AsUsageError(absl::InvalidArgumentError(
        "a state directory holds its documents: give no INPUT with it"));
  }
  // Not inside the state directory either: storysift manages its files.
  STORYSIFT_RETURN_IF_ERROR(CheckOutputAndReport(
      flags.input, flags.output, {},
      {{state_dir ? "the state directory" : "the story file", flags.source,
        /*reads_tree=*/false}}));
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(flags.output));
  size_t unknown_ids = 0;
  StoryReport report;
  if (state_dir) {
    STORYSIFT_ASSIGN_OR_RETURN(report, StateReport(flags, &unknown_ids));
  } else {
    Corpus corpus;
    std::optional<Normalizer> normalizer;
    if (!flags.input.inputs.empty()) {
      STORYSIFT_ASSIGN_OR_RETURN(corpus, LoadDocuments(flags, {}, nullptr, &normalizer));
      STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, corpus.report));
    }
    STORYSIFT_ASSIGN_OR_RETURN(
        report, ReadStoryReport(flags.source, corpus, &unknown_ids,
                                normalizer ? &*normalizer : nullptr));
  }
  if (unknown_ids > 0 && !flags.input.quiet) {
    std::fprintf(stderr,
                 "storysift: %zu articles not found among the documents are shown by id%s\n",
                 unknown_ids, flags.input.inputs.empty() && !state_dir
                                  ? " (give the clustered inputs after the story file)"
                                  : "");
  }
  if (!flags.title.empty()) report.title = flags.title;
  report.default_min_size = flags.min_size;
  out->Write(flags.format == "html" ? RenderStoryReportHtml(report)
                                    : RenderStoryReportText(report, flags.min_size));
  return out->Commit();
}

}  // namespace

void RegisterReportCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Draw saved stories (a cluster output or a --state directory) as HTML or text");
  cmd->add_option("stories", flags->source,
                  "A `cluster` output (JSON lines) or a `cluster --state` directory")
      ->required();
  AddInputFlags(cmd, &flags->input);
  // INPUT... (the clustered documents) supply titles; a state has its own.
  cmd->get_option("inputs")->required(false);
  cmd->add_option("-o,--output", flags->output, "Output file (- for stdout)")
      ->capture_default_str();
  cmd->add_option("--format", flags->format, "html (self-contained page) or text")
      ->capture_default_str()
      ->check(OneOf({"html", "text"}));
  cmd->add_option("--title", flags->title, "Page title");
  cmd->add_option("--min-size", flags->min_size,
                  "Stories smaller than this start hidden behind a count")
      ->capture_default_str()
      ->check(NumberIn(1, std::numeric_limits<int>::max()));
  cmd->callback([flags, exit_code] {
    const absl::Status status = RunReport(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
