// storysift dedup INPUT...: near-duplicate groups, one JSON line per input
// record (or the verified pairs, or the deduplicated corpus).
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "commands.h"
#include "dedup_flags.h"
#include "input_flags.h"
#include "storysift/dedup_writer.h"
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

// The deduplicated corpus is written in the input's format where that is a
// record format (CSV stays CSV), else as JSON lines.
bool WritesCsv(const InputFlags& flags) {
  if (flags.format == "csv") return true;  // --input-format
  if (flags.format != "auto") return false;
  for (const std::string& path : flags.inputs) {
    if (!absl::EndsWithIgnoreCase(path, ".csv")) return false;
  }
  return true;
}

absl::Status RunDedup(const DedupCommandFlags& flags) {
  CorpusOptions corpus_options;
  CopyGrouperOptions grouper;
  STORYSIFT_RETURN_IF_ERROR(MakeDedupOptions(flags.dedup, &corpus_options, &grouper));
  const bool html_report = !flags.html_path.empty();
  // The report shows each copy beside its representative with titles; their
  // texts are normalized again from the raw documents.
  corpus_options.keep_text = flags.explain;
  corpus_options.keep_documents = flags.keep_first || html_report;
  corpus_options.pipeline.threads = flags.input.threads;
  grouper.threads = flags.input.threads;
  STORYSIFT_ASSIGN_OR_RETURN(OpenedInput input, OpenInput(flags.input));
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(flags.output));
  std::unique_ptr<OutputFile> html;
  if (html_report) {
    STORYSIFT_ASSIGN_OR_RETURN(html, OutputFile::Open(flags.html_path));
  }
  STORYSIFT_ASSIGN_OR_RETURN(Corpus corpus,
                             LoadCorpus(input.stream, input.normalizer, corpus_options));
  STORYSIFT_ASSIGN_OR_RETURN(CopyGroups groups,
                             GroupCopies(corpus.sketch_table(), corpus.meta, grouper));
  STORYSIFT_RETURN_IF_ERROR(FinishReport(flags.input, corpus.report));
  if (!flags.input.quiet) {
    std::fprintf(stderr, "storysift: %zu documents in %zu groups, %zu verified pairs, largest group %zu\n",
                 corpus.num_docs(), groups.num_groups, groups.pairs.size(), groups.largest_group);
  }
  if (flags.pairs) {
    WritePairsTsv(corpus, groups, out.get());
  } else if (flags.keep_first) {
    const bool csv = WritesCsv(flags.input);
    if (csv) out->WriteLine(kDocumentCsvHeader);
    for (DocOrdinal d = 0; d < corpus.num_docs(); ++d) {
      if (groups.docs[d].role == CopyRole::kCopy) continue;
      out->WriteLine(csv ? DocumentCsvRow(corpus.documents[d])
                         : DocumentJsonLine(corpus.documents[d]));
    }
  } else {
    DedupWriterOptions writer_options;
    writer_options.explain = flags.explain;
    WriteDedupLines(corpus, groups, writer_options, out.get());
  }
  if (html) {
    html->Write(RenderDedupReportHtml(
        BuildDedupReport(corpus, groups, &input.normalizer, flags.input.threads)));
    STORYSIFT_RETURN_IF_ERROR(html->Commit());
  }
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
                             "Write the deduplicated corpus (originals and uniques) instead");
  pairs->excludes(keep);
  cmd->add_flag("--explain", flags->explain,
                "Add each copy's longest passages shared with its representative");
  cmd->add_option("--html", flags->html_path,
                  "Also write the copy groups as a self-contained HTML report to this file");
  cmd->callback([flags, exit_code] {
    const absl::Status status = RunDedup(*flags);
    *exit_code = status.ok() ? kExitOk : ReportError(status);
  });
}

}  // namespace storysift::cli
