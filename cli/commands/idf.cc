// storysift idf build INPUT... -o model.bin: document frequencies of a
// reference corpus, so a daily `cluster --idf model.bin` run weighs terms by
// a large corpus instead of the day's few articles. The model records the
// term options it was built with (--stem, --markup), and `cluster` refuses
// it under others. storysift idf info MODEL: what a model holds.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "commands.h"
#include "input_flags.h"
#include "io/json_writer.h"
#include "output_checks.h"
#include "pipeline/corpus.h"
#include "storysift/idf_model.h"
#include "storysift/job_options.h"
#include "storysift/status_macros.h"

namespace storysift::cli {
namespace {

struct IdfFlags {
  InputFlags input;
  std::string output;
};

absl::Status RunIdfBuild(const IdfFlags& flags) {
  STORYSIFT_RETURN_IF_ERROR(CheckOutputAndReport(flags.input, flags.output));
  STORYSIFT_ASSIGN_OR_RETURN(TfidfVectorizer vectorizer, TfidfVectorizer::Create({}));
  STORYSIFT_ASSIGN_OR_RETURN(OpenedInput input, OpenInput(flags.input));
  CorpusOptions corpus_options;
  // No near-duplicate step here: the cheapest sketch (8 bytes a document).
  corpus_options.sketch.kind = SketchKind::kSimHash;
  STORYSIFT_ASSIGN_OR_RETURN(
      Corpus corpus, LoadCorpus(input.stream, input.normalizer, corpus_options,
                                        MakeRunContext(flags.input), &vectorizer));
  STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, corpus.report));
  STORYSIFT_ASSIGN_OR_RETURN(TfidfMatrix matrix, vectorizer.Build());
  const IdfModel model = matrix.ToIdfModel(input.normalize_options);
  STORYSIFT_RETURN_IF_ERROR(model.Save(flags.output));
  if (!flags.input.quiet) {
    std::fprintf(stderr, "storysift: IDF model of %llu documents, %zu terms -> %s\n",
                 static_cast<unsigned long long>(model.num_docs()), model.num_terms(),
                 flags.output.c_str());
  }
  return absl::OkStatus();
}

// One JSON line: the counts, and each term option as recorded (null where a
// format-1 model does not record it; "stem_inferred" when its stem was read
// off its terms).
absl::Status RunIdfInfo(const std::string& path) {
  STORYSIFT_ASSIGN_OR_RETURN(const IdfModel model, IdfModel::Load(path));
  const IdfTermOptions& o = model.term_options();
  JsonObject j;
  j.Int("format_version", model.format_version())
      .Int("documents", static_cast<int64_t>(model.num_docs()))
      .Int("terms", static_cast<int64_t>(model.num_terms()));
  if (o.stem.has_value()) {
    j.Bool("stem", *o.stem);
  } else {
    j.Null("stem");
  }
  if (model.stem_inferred()) j.Bool("stem_inferred", true);
  if (o.markup.has_value()) {
    for (const auto& [name, mode] : MarkupModeNames()) {
      if (mode == *o.markup) j.Str("markup", name);
    }
  } else {
    j.Null("markup");
  }
  if (o.drop_boilerplate.has_value()) {
    j.Bool("drop_boilerplate", *o.drop_boilerplate);
  } else {
    j.Null("drop_boilerplate");
  }
  j.Str("token_hash_seed", absl::StrFormat("%#x", o.token_hash_seed))
      .Str("stop_words", absl::StrFormat("%016x", o.stop_words))
      .StrArray("unrecorded", model.UnrecordedTermOptions());
  std::printf("%s\n", j.Finish().c_str());
  return absl::OkStatus();
}

}  // namespace

void RegisterIdfCommand(CLI::App& app, int* exit_code) {
  CLI::App* idf = app.add_subcommand("idf", "Build and inspect IDF models for `cluster --idf`");
  idf->require_subcommand(1);
  auto flags = std::make_shared<IdfFlags>();
  CLI::App* build = idf->add_subcommand(
      "build",
      "Count document frequencies of a reference corpus into a model file (it records --stem "
      "and --markup: `cluster --idf` must use the same)");
  AddInputFlags(build, &flags->input);
  build->add_option("-o,--output", flags->output, "Model file to write")->required();
  build->callback([flags, exit_code] {
    const absl::Status status = RunIdfBuild(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });

  auto info_path = std::make_shared<std::string>();
  CLI::App* info = idf->add_subcommand(
      "info", "Format version, size and recorded term options of a model (one JSON line)");
  info->add_option("model", *info_path, "Model file")->required();
  info->callback([info_path, exit_code] {
    const absl::Status status = RunIdfInfo(*info_path);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
