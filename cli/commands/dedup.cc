// storysift dedup INPUT...: near-duplicate groups, one JSON line per input
// record (or the verified pairs, or the deduplicated corpus).
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "commands.h"
#include "dedup_flags.h"
#include "keep_until_exit.h"
#include "input_flags.h"
#include "output_checks.h"
#include "progress.h"
#include "io/dedup_writer.h"
#include "storysift/jobs.h"
#include "storysift/status_macros.h"
#include "storysift/story_report.h"

namespace storysift::cli {
namespace {

struct DedupCommandFlags {
  InputFlags input;
  DedupFlags dedup;
  std::string output = "-";
  bool pairs = false;
  bool explain = false;
  bool keep_first = false;
  std::string html_path;
};

absl::Status RunDedup(const DedupCommandFlags& flags) {
  STORYSIFT_RETURN_IF_ERROR(RefuseStem(flags.input.stem, "dedup compares words as written"));
  STORYSIFT_RETURN_IF_ERROR(
      CheckOutputAndReport(flags.input, flags.output, {{"--html", flags.html_path}}));
  DedupJobOptions options;
  DedupFlags dedup_flags = flags.dedup;
  // --keep-first keeps the first record of each group unless --keep says.
  if (flags.keep_first && !dedup_flags.keep.has_value()) dedup_flags.keep = "first";
  STORYSIFT_RETURN_IF_ERROR(MakeDedupOptions(dedup_flags, &options));
  const bool html_report = !flags.html_path.empty();
  // The report shows each copy beside its representative with titles; their
  // texts are normalized again from the raw documents.
  options.keep_texts = flags.explain;
  options.keep_documents = html_report;
  // --keep-first writes kept records as they were read: their bytes wait in
  // a temporary file, not in memory.
  std::unique_ptr<RawRecordSpool> spool;
  if (flags.keep_first) {
    STORYSIFT_ASSIGN_OR_RETURN(spool, RawRecordSpool::Create());
    options.on_document = [&spool](const Document& doc) { return spool->Add(doc); };
  }
  STORYSIFT_ASSIGN_OR_RETURN(OpenedInput input, OpenInput(flags.input, {}, flags.keep_first));
  options.normalize = input.normalize_options;
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(flags.output));
  std::unique_ptr<OutputFile> html;
  if (html_report) {
    STORYSIFT_ASSIGN_OR_RETURN(html, OutputFile::Open(flags.html_path));
  }
  STORYSIFT_ASSIGN_OR_RETURN(DedupResult result,
                             RunDedup(options, input.stream, MakeRunContext(flags.input)));
  const CopyGroups& groups = result.groups;
  STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, result.report));
  if (!flags.input.quiet) {
    std::fprintf(stderr, "storysift: %zu documents in %zu groups, %zu verified pairs, largest group %zu\n",
                 result.documents.num_docs(), groups.num_groups, groups.pairs.size(),
                 groups.largest_group);
  }
  if (flags.pairs) {
    WritePairsTsv(result.documents.ids, groups, out.get());
  } else if (flags.keep_first) {
    STORYSIFT_RETURN_IF_ERROR(spool->WriteKept(
        [&groups](DocOrdinal d) { return groups.docs[d].role != CopyRole::kCopy; }, out.get()));
  } else {
    DedupWriterOptions writer_options;
    writer_options.explain = flags.explain;
    writer_options.threads = flags.input.threads;
    WriteDedupLines(result.documents, result.report, groups, writer_options, out.get());
  }
  if (html) {
    html->Write(RenderDedupReportHtml(
        BuildDedupReport(result.documents, groups, &input.normalizer, flags.input.threads)));
    STORYSIFT_RETURN_IF_ERROR(html->Commit());
  }
  KeepUntilExit(std::move(result));
  return out->Commit();
}

}  // namespace

void RegisterDedupCommand(CLI::App& app, int* exit_code) {
  auto flags = std::make_shared<DedupCommandFlags>();
  CLI::App* cmd = app.add_subcommand(
      "dedup", "Find near-duplicates: one JSON line per input document with its copy group");
  AddInputFlags(cmd, &flags->input);
  AddDedupFlags(cmd, &flags->dedup);
  cmd->add_option("-o,--output", flags->output, "Output file (- for stdout)")
      ->capture_default_str();
  auto* pairs = cmd->add_flag("--pairs", flags->pairs,
                              "Write verified pairs as TSV (id_a, id_b, similarity) instead");
  auto* keep = cmd->add_flag("--keep-first", flags->keep_first,
                             "Write the deduplicated corpus instead: every unique record and the "
                             "representative of each copy group (--keep; first by default here), "
                             "each byte for byte as read (a CSV/TSV under its header line), in "
                             "input order; -o NAME.gz/.zst/.xz is compressed so");
  pairs->excludes(keep);
  // The verdict lines alone carry the passages: not the pairs' TSV, not the
  // records as read.
  cmd->add_flag("--explain", flags->explain,
                "Add each copy's longest passages shared with its representative")
      ->excludes(pairs)
      ->excludes(keep);
  cmd->add_option("--html", flags->html_path,
                  "Also write the copy groups as a self-contained HTML report to this file");
  cmd->callback([flags, exit_code] {
    const absl::Status status = RunDedup(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
