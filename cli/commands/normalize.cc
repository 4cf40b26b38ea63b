// storysift normalize INPUT...: prints what the detectors see of each
// document: the cleaned text and its folded tokens.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "input_flags.h"
#include "output_checks.h"
#include "pipeline/document_pipeline.h"
#include "io/json_writer.h"
#include "io/output_file.h"
#include "storysift/status_macros.h"

namespace storysift::cli {
namespace {

struct NormalizeFlags {
  InputFlags input;
  bool json = false;
  std::string output = "-";
};

std::string FormatText(const Document& doc, const NormalizedText& body) {
  std::string out = "== " + doc.id + " (" + doc.origin.ToString() + ")\n";
  out += body.clean;
  if (!body.clean.empty() && body.clean.back() != '\n') out += "\n";
  out += "-- tokens (" + std::to_string(body.tokens.size()) + "; " +
         std::to_string(body.boilerplate_lines_dropped) + " boilerplate lines dropped)\n";
  out += body.folded;
  out += "\n";
  return out;
}

std::string FormatJson(const Document& doc, const NormalizedText& body) {
  std::string tokens = "[";
  for (size_t i = 0; i < body.tokens.size(); ++i) {
    if (i > 0) tokens += ",";
    AppendJsonString(&tokens, body.folded_token(i));
  }
  tokens += "]";
  return JsonObject()
      .Str("id", doc.id)
      .Str("origin", doc.origin.ToString())
      .Str("clean", body.clean)
      .Raw("tokens", tokens)
      .Int("boilerplate_lines_dropped", body.boilerplate_lines_dropped)
      .Finish() + "\n";
}

absl::Status RunNormalize(const NormalizeFlags& flags) {
  // Its tokens are the folded words; a stem would change only a term's hash,
  // which it does not show.
  STORYSIFT_RETURN_IF_ERROR(RefuseStem(flags.input.stem, "normalize shows words as written"));
  STORYSIFT_RETURN_IF_ERROR(CheckOutputAndReport(flags.input, flags.output));
  STORYSIFT_ASSIGN_OR_RETURN(OpenedInput input, OpenInput(flags.input));
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(flags.output));
  RunReport report;
  PipelineOptions pipeline;
  // --strict promises no output from a failed run: standard output cannot
  // be taken back, so it is held until the run is known to be clean.
  const bool hold = flags.input.strict && flags.output == "-";
  std::string held;
  STORYSIFT_RETURN_IF_ERROR(RunDocumentPipeline(
      input.stream, input.normalizer, pipeline, MakeRunContext(flags.input), &report, nullptr, [&](size_t, StagedRecord& rec) {
        if (!rec.record.skipped()) {
          std::string text = flags.json ? FormatJson(rec.record.doc, rec.body)
                                        : FormatText(rec.record.doc, rec.body);
          if (hold) {
            held += text;
          } else {
            out->Write(text);
          }
        }
        return absl::OkStatus();
      }));
  STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, report));
  out->Write(held);
  return out->Commit();
}

}  // namespace

void RegisterNormalizeCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<NormalizeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "normalize", "Print each document's cleaned text and tokens, as the detectors see it");
  AddInputFlags(cmd, &flags->input);
  cmd->add_flag("--json", flags->json, "One JSON object per document");
  cmd->add_option("-o,--output", flags->output, "Output file (- for stdout)")
      ->capture_default_str();
  cmd->callback([flags, exit_code] {
    const absl::Status status = RunNormalize(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
