// storysift stats INPUT...: what the inputs hold (documents, bytes, tokens,
// skipped records with reasons, dates) without running the detectors.
#include <cstdio>
#include <memory>

#include "commands.h"
#include "input_flags.h"
#include "output_checks.h"
#include "pipeline/document_pipeline.h"
#include "storysift/status_macros.h"

namespace storysift::cli {
namespace {

absl::Status RunStats(const InputFlags& flags, bool json) {
  STORYSIFT_RETURN_IF_ERROR(RefuseStem(flags.stem, "stats counts words as written"));
  STORYSIFT_RETURN_IF_ERROR(CheckOutputAndReport(flags, /*output=*/""));
  STORYSIFT_ASSIGN_OR_RETURN(OpenedInput input, OpenInput(flags));
  RunReport report;
  PipelineOptions pipeline;
  pipeline.keep_bodies = false;  // Only their counts are reported.
  STORYSIFT_RETURN_IF_ERROR(RunDocumentPipeline(
      input.stream, input.normalizer, pipeline, MakeRunContext(flags), &report, nullptr,
      [](size_t, StagedRecord&) { return absl::OkStatus(); }));
  if (json) {
    std::printf("%s\n", report.ToJson().c_str());
  } else {
    std::fputs(report.Summary(/*max_skips=*/1000).c_str(), stdout);
    std::printf("storysift: %lld bytes, %lld tokens\n", static_cast<long long>(report.bytes()),
                static_cast<long long>(report.tokens()));
  }
  InputFlags quiet = flags;
  quiet.quiet = true;  // The summary already went to stdout.
  return FinishReport(quiet, report);
}

}  // namespace

void RegisterStatsCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<InputFlags>();
  auto json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "stats", "Count documents, bytes, tokens, skipped records (with reasons) and dates");
  AddInputFlags(cmd, flags.get());
  cmd->add_flag("--json", *json, "Print the report as one JSON object");
  cmd->callback([flags, json, exit_code] {
    const absl::Status status = RunStats(*flags, *json);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
