// storysift idf build INPUT... -o model.bin: document frequencies of a
// reference corpus, so a daily `cluster --idf model.bin` run weighs terms by
// a large corpus instead of the day's few articles.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "input_flags.h"
#include "output_checks.h"
#include "pipeline/corpus.h"
#include "storysift/idf_model.h"
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
  const IdfModel model = matrix.ToIdfModel();
  STORYSIFT_RETURN_IF_ERROR(model.Save(flags.output));
  if (!flags.input.quiet) {
    std::fprintf(stderr, "storysift: IDF model of %llu documents, %zu terms -> %s\n",
                 static_cast<unsigned long long>(model.num_docs()), model.num_terms(),
                 flags.output.c_str());
  }
  return absl::OkStatus();
}

}  // namespace

void RegisterIdfCommand(CLI::App& app, int* exit_code) {
  CLI::App* idf = app.add_subcommand("idf", "Build IDF models for `cluster --idf`");
  idf->require_subcommand(1);
  auto flags = std::make_shared<IdfFlags>();
  CLI::App* build = idf->add_subcommand(
      "build", "Count document frequencies of a reference corpus into a model file");
  AddInputFlags(build, &flags->input);
  build->add_option("-o,--output", flags->output, "Model file to write")->required();
  build->callback([flags, exit_code] {
    const absl::Status status = RunIdfBuild(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
