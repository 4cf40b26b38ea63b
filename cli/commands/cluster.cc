// storysift cluster INPUT...: the day's stories, one JSON line (or a text
// block) per story with its articles ranked by novelty.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "commands.h"
#include "keep_until_exit.h"
#include "dedup_flags.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "lock_flags.h"
#include "progress.h"
#include "storysift/idf_model.h"
#include "storysift/job_options.h"
#include "storysift/jobs.h"
#include "io/output_file.h"
#include "jobs/state_options.h"
#include "storysift/date.h"
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
  StorySettings story;  // The library's named settings (--window-days is window_days).
  std::string state_dir;
  double retention_days = 7;
  double wait_seconds = 0;
  bool accept_option_change = false;  // With --state: re-cluster with changed options.
  std::string html_path;
  int min_size = 2;
  bool min_size_given = false;  // It acts only on the text view and --html.
};

absl::Status MakeStoryOptions(const ClusterFlags& flags, ClusterJobOptions* options) {
  if (flags.min_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--min-size ", flags.min_size, " must be >= 1"));
  }
  if (flags.min_size_given && flags.format != "text" && flags.html_path.empty()) {
    return absl::InvalidArgumentError("--min-size applies to --format text and --html");
  }
  // Validates the story options before any input is read.
  return ApplyStorySettings(flags.story, SettingStyle::kFlag, options);
}

// The --idf model, refused (a usage error) when its terms were made with
// other term options than the run's (options->dedup.normalize); what a
// format-1 model cannot tell is named in a warning, even with -q.
absl::Status LoadIdfModel(const ClusterFlags& flags, ClusterJobOptions* options) {
  STORYSIFT_ASSIGN_OR_RETURN(IdfModel idf, IdfModel::Load(flags.idf_path));
  if (absl::Status fits = idf.CheckTermOptions(options->dedup.normalize); !fits.ok()) {
    return AsUsageError(absl::InvalidArgumentError(absl::StrCat(
        "--idf ", flags.idf_path, ": ", fits.message(),
        " (build the model again with `storysift idf build` and this run's options, or run "
        "with the model's; `storysift idf info` shows them)")));
  }
  if (const std::vector<std::string> unknown = idf.UnrecordedTermOptions(); !unknown.empty()) {
    std::fprintf(stderr,
                 "storysift: warning: --idf %s: a format-%u model, which does not record %s: "
                 "not checked against this run's (build it again with `storysift idf build` "
                 "to have them checked)\n",
                 flags.idf_path.c_str(), idf.format_version(),
                 absl::StrJoin(unknown, ", ").c_str());
  }
  options->idf = std::make_shared<const IdfModel>(std::move(idf));
  return absl::OkStatus();
}

// The IDF model and what the views need: the options the flag checks of
// RunCluster leave. REQUIRES: options->dedup.normalize set from the flags.
absl::Status FinishClusterJobOptions(const ClusterFlags& flags, ClusterJobOptions* options) {
  if (!flags.idf_path.empty()) STORYSIFT_RETURN_IF_ERROR(LoadIdfModel(flags, options));
  // The text view and the report show titles, sources and urls (an untitled
  // text's first words); the report also each copy's passage shared with
  // its original, from the raw documents normalized again.
  options->dedup.keep_documents = flags.format == "text" || !flags.html_path.empty();
  return absl::OkStatus();
}

// The outputs of a run: -o (story lines or the text view) and --html.
struct ClusterOutputs {
  std::unique_ptr<OutputFile> out;
  std::unique_ptr<OutputFile> html;
  std::unique_ptr<OutputFile> report;  // With --state: written with the others.

  // Renames each into place (the report first, -o last, as without --state).
  absl::Status Commit() {
    if (report) STORYSIFT_RETURN_IF_ERROR(report->Commit());
    if (html) STORYSIFT_RETURN_IF_ERROR(html->Commit());
    return out->Commit();
  }
};

// The text view and the report of `stories`, when asked for.
void WriteViews(const ClusterFlags& flags, const ClusterResult& result,
                const std::vector<std::string>& statuses, const std::vector<bool>& archived,
                const Normalizer& normalizer, ClusterOutputs* outputs) {
  const bool text = flags.format == "text";
  if (!text && !outputs->html) return;
  StoryReport report = BuildStoryReport(result.documents, result.stories, result.story_ids,
                                        statuses, archived, &normalizer, flags.input.threads);
  report.default_min_size = flags.min_size;
  if (text) outputs->out->Write(RenderStoryReportText(report, flags.min_size));
  if (outputs->html) outputs->html->Write(RenderStoryReportHtml(report));
}

std::string SummaryLine(size_t documents, size_t groups, size_t stories, size_t largest) {
  return absl::StrFormat("storysift: %d documents, %d copy groups, %d stories (largest %d)\n",
                         documents, groups, stories, largest);
}

// The state's line: what the day did to it, and the options it changed.
std::string StateLines(const ClusterFlags& flags, const StateRunResult& result) {
  size_t fresh = 0, merged = 0;
  for (const StoryIdentity& s : result.run.stories) {
    fresh += s.status == StoryStatus::kNew;
    merged += s.status == StoryStatus::kMerged;
  }
  std::string out;
  if (result.redone_generation > 0) {
    absl::StrAppendFormat(&out,
                          "storysift: state %s: generation %d holds this input already, but its "
                          "run ended before its outputs were written: they are written now, "
                          "as that run made them (the state is unchanged)\n",
                          flags.state_dir, result.redone_generation);
  }
  absl::StrAppendFormat(
      &out,
      "storysift: state %s: %d documents already in it and %d already archived (not read "
      "again), %d updated, %d new stories, %d merged",
      flags.state_dir, result.repeats, result.archived_repeats, result.updated, fresh, merged);
  // Warned of in the run they came in; counted here while the state holds them.
  if (result.future_dated_held > 0) {
    absl::StrAppendFormat(&out, ", %d held dated past the latest credible date",
                          result.future_dated_held);
  }
  out += "\n";
  if (!result.option_changes.empty()) {
    absl::StrAppendFormat(&out, "storysift: state %s: options changed and recorded: %s\n",
                          flags.state_dir,
                          internal::DescribeChanges(result.option_changes, SettingStyle::kFlag));
  }
  return out;
}

// What a state run says on stderr about its work: the clustering's summary
// and the state's lines (unless --quiet), and the future-dated warning (even
// with -q: it changes what the state archives). Printed only once the state
// is committed, so that no log claims a day the state does not hold.
std::string StateRunMessages(const ClusterFlags& flags, const StateRunResult& result) {
  std::string out;
  if (!flags.input.quiet) {
    const ClusterResult& shown = result.clustering;
    out = SummaryLine(shown.documents.num_docs(), shown.groups.num_groups,
                      result.clustered_stories, result.largest_clustered) +
          StateLines(flags, result);
  }
  if (result.unwritten_generation > 0) {
    absl::StrAppendFormat(&out,
                          "storysift: warning: state %s: the run that committed generation %d "
                          "ended before its outputs were written, and this run of another input "
                          "leaves no way to write them (only its input run again before any "
                          "other could)\n",
                          flags.state_dir, result.unwritten_generation);
  }
  if (result.future_dated > 0) {
    absl::StrAppendFormat(&out,
                          "storysift: warning: %d new or updated articles dated after the run's "
                          "clock, or alone a month past every other date, count as seen at the "
                          "latest credible date\n",
                          result.future_dated);
  }
  return out;
}

// `cluster --state`: the daily run; the outputs are written and synced
// before the state's next generation is committed, and renamed into place
// after it (an output never names a story the state does not hold). A run
// that ends in between leaves the day committed without its outputs, and
// the same input run again writes them, byte for byte (RunClusterWithState).
absl::Status RunWithState(const ClusterFlags& flags, const ClusterJobOptions& options,
                          ClusterOutputs* outputs) {
  // The views' normalizer (shared passages).
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(options.dedup.normalize));
  STORYSIFT_ASSIGN_OR_RETURN(ReaderOptions reader_options, MakeReaderOptions(flags.input));
  STORYSIFT_ASSIGN_OR_RETURN(InputStream day,
                             InputStream::Open(flags.input.inputs, reader_options));
  StateJobOptions state_options;
  state_options.dir = flags.state_dir;
  state_options.retention_seconds =
      static_cast<int64_t>(std::llround(flags.retention_days * 86400));
  state_options.wait_seconds = flags.wait_seconds;
  state_options.accept_option_change = flags.accept_option_change;
  state_options.style = SettingStyle::kFlag;
  std::string read_summary;  // Printed with the rest once the state is committed.
  auto write_outputs = [&](const StateRunResult& result) -> absl::Status {
    const ClusterResult& shown = result.clustering;
    STORYSIFT_RETURN_IF_ERROR(
        FinishReport(flags.input, shown.report, &outputs->report, &read_summary));
    if (flags.format != "text") {
      for (const std::string& line : result.lines) outputs->out->WriteLine(line);
    }
    WriteViews(flags, shown, result.statuses, result.archived, normalizer, outputs);
    // A full disk shows here, before the state changes.
    STORYSIFT_RETURN_IF_ERROR(outputs->out->Sync());
    if (outputs->html) STORYSIFT_RETURN_IF_ERROR(outputs->html->Sync());
    return absl::OkStatus();
  };
  auto publish_outputs = [&](const StateRunResult&) { return outputs->Commit(); };
  absl::StatusOr<StateRunResult> run = RunClusterWithState(
      options, state_options, day, MakeRunContext(flags.input), write_outputs, publish_outputs);
  if (IsStateOptionChange(run.status())) return AsUsageError(run.status());
  STORYSIFT_ASSIGN_OR_RETURN(StateRunResult result, std::move(run));
  // Committed: only now may the log say what the run did.
  std::fputs(read_summary.c_str(), stderr);
  std::fputs(StateRunMessages(flags, result).c_str(), stderr);
  KeepUntilExit(std::move(result));
  return absl::OkStatus();
}

absl::Status RunCluster(const ClusterFlags& flags) {
  ClusterJobOptions options;
  STORYSIFT_RETURN_IF_ERROR(MakeDedupOptions(flags.dedup, &options.dedup));
  STORYSIFT_RETURN_IF_ERROR(AsUsageError(MakeStoryOptions(flags, &options)));
  if (!(flags.retention_days >= 0 && flags.retention_days <= kMaxRetentionDays)) {
    return AsUsageError(absl::InvalidArgumentError(absl::StrCat(
        "--retention-days ", flags.retention_days, " is outside 0..", kMaxRetentionDays)));
  }
  std::vector<NamedPath> inputs;
  for (const std::string& in : flags.input.inputs) inputs.push_back({"an input", in});
  if (!flags.idf_path.empty()) inputs.push_back({"--idf", flags.idf_path});
  // No output inside the state directory (-o DIR/CURRENT): said first, as
  // what is wrong with such a path.
  if (!flags.state_dir.empty()) {
    STORYSIFT_RETURN_IF_ERROR(AsUsageError(CheckOutputPaths(
        {{"-o", flags.output}, {"--report", flags.input.report_path}, {"--html", flags.html_path}},
        {{"the --state directory", flags.state_dir, /*reads_tree=*/false}})));
  }
  // The state directory is written too: it must not lie inside an input
  // directory either.
  STORYSIFT_RETURN_IF_ERROR(AsUsageError(CheckOutputPaths({{"-o", flags.output},
                                                           {"--report", flags.input.report_path},
                                                           {"--html", flags.html_path},
                                                           {"--state", flags.state_dir,
                                                            /*reads_tree=*/true,
                                                            /*directory=*/true}},
                                                          inputs)));
  STORYSIFT_ASSIGN_OR_RETURN(options.dedup.normalize, MakeNormalizeOptions(flags.input));
  STORYSIFT_RETURN_IF_ERROR(FinishClusterJobOptions(flags, &options));
  const bool with_state = !flags.state_dir.empty();
  std::optional<OpenedInput> input;
  if (!with_state) {
    STORYSIFT_ASSIGN_OR_RETURN(input, OpenInput(flags.input));
  }
  ClusterOutputs outputs;
  STORYSIFT_ASSIGN_OR_RETURN(outputs.out, OutputFile::Open(flags.output));
  if (!flags.html_path.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(outputs.html, OutputFile::Open(flags.html_path));
  }
  if (with_state) {
    // On standard output or a pipe too, the day appears only once the state
    // holds it (files are held by their temporary files).
    STORYSIFT_RETURN_IF_ERROR(outputs.out->HoldUntilCommit());
    if (outputs.html) STORYSIFT_RETURN_IF_ERROR(outputs.html->HoldUntilCommit());
    return RunWithState(flags, options, &outputs);  // It commits them.
  }
  STORYSIFT_ASSIGN_OR_RETURN(ClusterResult result,
                             RunCluster(options, input->stream, MakeRunContext(flags.input)));
  STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, result.report));
  size_t largest = 0;
  for (const RankedStory& s : result.stories) largest = std::max(largest, s.articles.size());
  if (!flags.input.quiet) {
    std::fputs(SummaryLine(result.documents.num_docs(), result.groups.num_groups,
                           result.stories.size(), largest)
                   .c_str(),
               stderr);
  }
  if (flags.format != "text") {
    WriteStoryJsonLines(result.documents.ids, result.stories, result.story_ids,
                        flags.input.threads,
                        [&](std::string_view line) { outputs.out->WriteLine(line); });
  }
  WriteViews(flags, result, {}, {}, input->normalizer, &outputs);
  KeepUntilExit(std::move(result));
  return outputs.Commit();
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
  auto* min_size = cmd->add_option(
      "--min-size", flags->min_size,
      "Text view and report: stories smaller than this are summed up, not listed");
  min_size->capture_default_str()->check(NumberIn(1, std::numeric_limits<int>::max()));
  cmd->add_option("--story-threshold", flags->story.story_threshold,
                  "Articles join a story at TF-IDF cosine >= this")
      ->capture_default_str()
      ->check(NumberIn(0, 1, Bound::kOpen));
  cmd->add_option("--window-days", flags->story.window_days,
                  "Similarity decays for publication gaps beyond this many days (one second, "
                  "1/86400, to 400 years)")
      ->capture_default_str()
      ->check(NumberIn(kMinWindowDays, kMaxWindowDays));
  AddNameOption(cmd, "--linkage", &flags->story.linkage, LinkageNames(),
                "Batch linkage: average or single");
  AddNameOption(cmd, "--mode", &flags->story.mode, StoryModeNames(),
                "batch (agglomerative) or stream (first-story detection in time order)");
  cmd->add_option("--idf", flags->idf_path,
                  "IDF model from `storysift idf build`, built with this run's --stem and "
                  "--markup (default: the input's own)");
  cmd->add_option("--label-terms", flags->story.label_terms, "Terms in a story label")
      ->capture_default_str()
      ->check(NumberIn(0, kMaxLabelTerms));
  cmd->add_option("--new-terms", flags->story.new_terms, "\"What's new\" terms per article")
      ->capture_default_str()
      ->check(NumberIn(0, kMaxLabelTerms));
  // The weights are floats: beyond the largest one a weight is infinite.
  cmd->add_option("--title-weight", flags->story.title_weight, "Weight of title terms in TF-IDF")
      ->capture_default_str()
      ->check(NumberIn(0, kMaxTermWeight));
  cmd->add_option("--name-weight", flags->story.name_weight,
                  "Weight of names (capitalised words inside sentences, <TICKER>s) in TF-IDF")
      ->capture_default_str()
      ->check(NumberIn(0, kMaxTermWeight));
  cmd->add_option("--table-word-weight", flags->story.table_word_weight,
                  "Weight of words on table/layout lines (\"Shr 1.18 dlrs vs 1.04 dlrs\")")
      ->capture_default_str()
      ->check(NumberIn(0, kMaxTermWeight));
  cmd->add_option("--short-text-terms", flags->story.short_text_terms,
                  "Stories of documents with at most this many terms on average are grown "
                  "by centroid (0: off)")
      ->capture_default_str()
      ->check(NumberIn(0, kMaxShortTextTerms));
  cmd->add_option("--cohesion-split", flags->story.cohesion_split,
                  "Split a story of articles whose two halves' mean cosine between them is "
                  "below this times their mean cosine within (two events of one kind; 0: off)")
      ->capture_default_str()
      ->check(NumberIn(0, 1, Bound::kClosed, Bound::kOpen));
  cmd->add_option("--stray-join", flags->story.stray_join,
                  "An article left alone joins the story whose centroid it is clearly most "
                  "like, when that cosine is >= this (0: off)")
      ->capture_default_str()
      ->check(NumberIn(0, 1));
  auto* state = cmd->add_option("--state", flags->state_dir,
                                "Continue the stories saved in this directory and save them again");
  // These act only on a state: without one they are usage errors, not ignored.
  cmd->add_option("--retention-days", flags->retention_days,
                  "With --state: stories idle longer than this are archived")
      ->capture_default_str()
      ->check(RetentionDays())
      ->needs(state);
  AddWaitFlag(cmd, &flags->wait_seconds)->needs(state);
  cmd->add_flag("--accept-option-change", flags->accept_option_change,
                "With --state: go on when options that shape the stories differ from the "
                "ones the state recorded (it re-clusters the retained stories), and record "
                "the new ones")
      ->needs(state);
  cmd->callback([flags, exit_code, min_size] {
    flags->min_size_given = min_size->count() > 0;
    const absl::Status status = RunCluster(*flags);
    *exit_code = status.ok() ? kExitOk : ReportRunError(status);
  });
}

}  // namespace storysift::cli
