#include "input_flags.h"

#include <algorithm>
#include <cstdio>
#include <memory>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "progress.h"
#include "flag_checks.h"
#include "io/output_file.h"
#include "storysift/job_options.h"
#include "storysift/status_macros.h"

namespace storysift::cli {

void AddInputFlags(CLI::App* cmd, InputFlags* flags) {
  cmd->add_option("inputs", flags->inputs,
                  "Input files or directories (JSON lines or arrays, CSV, TSV, WARC, "
                  ".txt/.html/.md files; gzip/zstd/xz-compressed too); - for stdin")
      ->required();
  cmd->add_option("--input-format", flags->format,
                  "Input format: auto, jsonl (or json), csv, tsv, dir, text, warc")
      ->capture_default_str();
  cmd->add_option("--encoding", flags->encoding,
                  "Input encoding, any iconv name (e.g. windows-1252); default UTF-8, or what a "
                  "byte order mark says");
  cmd->add_option("--id-field", flags->id_field, "Field holding the document id");
  cmd->add_option("--title-field", flags->title_field, "Field holding the title");
  cmd->add_option("--text-field", flags->text_field, "Field holding the body text");
  cmd->add_option("--date-field", flags->date_field, "Field holding the publication date");
  cmd->add_option("--source-field", flags->source_field, "Field holding the source name");
  cmd->add_option("--url-field", flags->url_field, "Field holding the URL");
  cmd->add_option("--max-doc-bytes", flags->max_doc_bytes,
                  "Truncate longer bodies to this many bytes (reported); 0 = no limit")
      ->capture_default_str()
      ->check(NumberIn(0, kMaxExactInteger));
  cmd->add_option("--max-line-bytes", flags->max_line_bytes,
                  "Skip JSON lines and CSV records longer than this (reported); 0 = no limit")
      ->capture_default_str()
      ->check(NumberIn(0, kMaxExactInteger));
  cmd->add_option("--threads", flags->threads, "Worker threads (0 = all cores)")
      ->capture_default_str()
      ->check(NumberIn(0, 4096));
  cmd->add_flag("--strict", flags->strict,
                "Fail (exit 1, no output) if any record is skipped or has a warning");
  cmd->add_flag("--stem", flags->stem, "Snowball-stem terms for TF-IDF");
  AddEnumOption(cmd, "--markup", &flags->markup, MarkupModeNames(),
                "Markup handling: auto, html, plain");
  cmd->add_option("--report", flags->report_path,
                  "Write the run's accounting (read/processed/skipped by reason) as JSON; "
                  "written also when --strict fails, to say why")
      ->check(CLI::Validator(
          [](std::string& path) { return path.empty() ? std::string("a path is needed") : ""; },
          "PATH"));  // "" was silently no report.
  cmd->add_flag("-q,--quiet", flags->quiet, "No summary or progress on stderr");
  cmd->add_flag("--progress", flags->progress,
                "Show progress on stderr even when it is not a terminal");
  cmd->add_flag("--allow-empty", flags->allow_empty,
                "Inputs that give no document are a warning, not an error (exit 1 without it)");
}

absl::StatusOr<ReaderOptions> MakeReaderOptions(const InputFlags& flags, bool keep_raw) {
  ReaderOptions options;
  options.keep_raw = keep_raw;
  absl::StatusOr<InputFormat> format = ParseInputFormat(flags.format);
  if (!format.ok()) {
    return AsUsageError(absl::InvalidArgumentError(
        absl::StrCat("--input-format: ", format.status().message())));
  }
  options.format = *format;
  ApplyFieldSettings({flags.id_field, flags.title_field, flags.text_field, flags.date_field,
                      flags.source_field, flags.url_field},
                     &options.fields);
  if (!flags.encoding.empty()) {
    if (absl::Status s = CheckEncoding(flags.encoding); !s.ok()) {
      return AsUsageError(absl::InvalidArgumentError(absl::StrCat("--encoding: ", s.message())));
    }
    options.encoding = flags.encoding;
  }
  options.max_doc_bytes = flags.max_doc_bytes;
  options.max_line_bytes = flags.max_line_bytes;
  return options;
}

absl::StatusOr<NormalizeOptions> MakeNormalizeOptions(const InputFlags& flags) {
  NormalizeOptions options;
  options.stem = flags.stem;
  options.markup = flags.markup;
  return options;
}

namespace {
constexpr char kUsagePayload[] = "storysift/usage";
}  // namespace

absl::Status AsUsageError(absl::Status status) {
  if (!status.ok()) status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

absl::StatusOr<OpenedInput> OpenInput(const InputFlags& flags,
                                      std::vector<std::string> leading_inputs,
                                      bool keep_raw) {
  STORYSIFT_ASSIGN_OR_RETURN(ReaderOptions reader_options,
                             MakeReaderOptions(flags, keep_raw));
  STORYSIFT_ASSIGN_OR_RETURN(NormalizeOptions normalize_options,
                             MakeNormalizeOptions(flags));
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(normalize_options));
  const size_t own_inputs = leading_inputs.size();
  leading_inputs.insert(leading_inputs.end(), flags.inputs.begin(), flags.inputs.end());
  STORYSIFT_ASSIGN_OR_RETURN(
      InputStream stream, InputStream::Open(std::move(leading_inputs), reader_options, own_inputs));
  StartProgress(flags, stream.progress());
  return OpenedInput{normalize_options, std::move(normalizer), std::move(stream)};
}

RunContext MakeRunContext(const InputFlags& flags) {
  RunContext context;
  context.threads = flags.threads;
  context.on_stage = [](const char* stage) { SetProgressStage(stage); };
  return context;
}

absl::Status RefuseStem(bool stem_given, std::string_view reads) {
  // The library's rule, which the Python binding shares.
  return AsUsageError(storysift::RefuseStem(stem_given, reads, SettingStyle::kFlag));
}

int ReportError(const absl::Status& status, int exit_code) {
  StopProgress();
  std::fprintf(stderr, "storysift: %s\n", std::string(status.message()).c_str());
  return status.GetPayload(kUsagePayload).has_value() ? kExitUsage : exit_code;
}

namespace {

// The checks after reading: inputs that gave nothing, --strict.
absl::Status CheckReadAndStrict(const InputFlags& flags, const RunReport& report) {
  // A user's input that gave nothing is named (a warning beside inputs that
  // gave documents, or with --allow-empty); a run that read no document at
  // all fails, so a nightly job never publishes an empty result as a
  // success. (With cluster --state, a day without news still re-reads the
  // state's documents, which come first: they are not named.)
  if (!flags.quiet && (report.input_documents() > 0 || flags.allow_empty)) {
    for (const std::string& e : InputsWithoutDocuments(report, flags.inputs.size())) {
      std::fprintf(stderr, "storysift: warning: %s\n", e.c_str());
    }
  }
  STORYSIFT_RETURN_IF_ERROR(CheckInputsRead(report, flags.allow_empty, flags.inputs.size()));
  if (flags.strict) {
    if (absl::Status s = CheckStrict(report); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("--strict: ", s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status FinishReport(const InputFlags& flags, const RunReport& report,
                          std::unique_ptr<OutputFile>* staged, std::string* summary) {
  StopProgress();
  const std::string text = flags.quiet ? "" : report.Summary();
  if (summary == nullptr) std::fputs(text.c_str(), stderr);
  absl::Status checked = CheckReadAndStrict(flags, report);
  if (summary != nullptr) {
    if (checked.ok()) {
      *summary = text;
    } else {
      std::fputs(text.c_str(), stderr);  // It says why the run fails.
    }
  }
  std::unique_ptr<OutputFile> out;
  if (!flags.report_path.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(out, OutputFile::Open(flags.report_path));
    // Staged: on standard output too, nothing appears before the commit.
    if (staged != nullptr) STORYSIFT_RETURN_IF_ERROR(out->HoldUntilCommit());
    report.WriteJson([&out](std::string_view piece) { out->Write(piece); });
    out->Write("\n");
    if (staged == nullptr) STORYSIFT_RETURN_IF_ERROR(out->Commit());
  }
  if (out == nullptr || staged == nullptr) return checked;
  if (!checked.ok()) {
    STORYSIFT_RETURN_IF_ERROR(out->Commit());  // It says why the run fails.
    return checked;
  }
  STORYSIFT_RETURN_IF_ERROR(out->Sync());
  *staged = std::move(out);
  return absl::OkStatus();
}

}  // namespace storysift::cli
