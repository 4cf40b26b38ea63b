// Flags every subcommand that reads documents shares, and how the CLI turns
// library errors into messages and exit codes.
#ifndef STORYSIFT_CLI_INPUT_FLAGS_H_
#define STORYSIFT_CLI_INPUT_FLAGS_H_

#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "io/output_file.h"
#include "storysift/input_stream.h"
#include "storysift/normalize.h"
#include "storysift/reader.h"
#include "storysift/report.h"
#include "storysift/run_context.h"

namespace storysift::cli {

// Exit codes: 0 ok, 1 bad input (or a failed run), 2 usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 1;
inline constexpr int kExitUsage = 2;

struct InputFlags {
  std::vector<std::string> inputs;
  std::string format = "auto";
  std::string id_field, title_field, text_field, date_field, source_field, url_field;
  size_t max_doc_bytes = 64u << 20;
  size_t max_line_bytes = 256u << 20;
  int threads = 0;
  bool strict = false;
  bool stem = false;
  MarkupMode markup = MarkupMode::kAuto;
  std::string report_path;
  bool quiet = false;
  bool progress = false;
  bool allow_empty = false;  // A run that reads no document is not an error.
  std::string encoding;
};

// Adds INPUT... and the reading flags (--format, --*-field, --encoding,
// --max-doc-bytes, --max-line-bytes, --threads, --strict, --stem, --markup,
// --report, --quiet, --progress) to `cmd`.
void AddInputFlags(CLI::App* cmd, InputFlags* flags);

// `keep_raw`: fill Document::raw (dedup --keep-first).
absl::StatusOr<ReaderOptions> MakeReaderOptions(const InputFlags& flags, bool keep_raw = false);
absl::StatusOr<NormalizeOptions> MakeNormalizeOptions(const InputFlags& flags);

// What every corpus command opens first, from the input flags.
struct OpenedInput {
  NormalizeOptions normalize_options;  // What `normalizer` was made from.
  Normalizer normalizer;
  InputStream stream;
};

// Opens flags.inputs (after `leading_inputs`, e.g. a state's documents) with
// the reader and normalizer the flags ask for, and starts the progress
// meter. InvalidArgument for a bad flag value, NotFound for a missing input.
absl::StatusOr<OpenedInput> OpenInput(const InputFlags& flags,
                                      std::vector<std::string> leading_inputs = {},
                                      bool keep_raw = false);

// The run context of the flags: --threads, and the progress meter's stage.
RunContext MakeRunContext(const InputFlags& flags);

// --stem shapes only the TF-IDF terms of `cluster` and `idf build`: a
// command that makes none refuses it (`stem_given`) as a usage error naming
// the flag and what the command reads words as (`reads`, e.g. "dedup
// compares word shingles as written"), instead of ignoring it.
absl::Status RefuseStem(bool stem_given, std::string_view reads);

// Marks `status` as a usage error (a bad flag value): ReportError then
// returns kExitUsage. OK stays OK.
absl::Status AsUsageError(absl::Status status);

// Prints "storysift: <message>" to stderr and returns `exit_code`, or
// kExitUsage for a status marked by AsUsageError.
int ReportError(const absl::Status& status, int exit_code = kExitBadInput);

// Shared end of a run: stops the progress meter, prints the summary (unless
// --quiet), writes --report (streamed), names every input of flags.inputs
// that gave no document and fails when none of them gave one, and with
// --strict fails when anything was skipped or warned about. Returns OK or
// the error to report; call before committing any output. With `staged`,
// a report for a run that goes on is written and synced into *staged, for
// the caller to commit once the run's state or index is committed (a
// report of a run that then failed claimed its documents were processed);
// one that says why the run fails is committed here. With `summary`, the
// summary of a run that goes on is returned there instead of printed, for
// the caller to print once the run's work is committed (a log line saying
// documents were processed must not stand beside a failed commit); the
// summary of a run that fails here is printed, as it says why.
absl::Status FinishReport(const InputFlags& flags, const RunReport& report,
                          std::unique_ptr<OutputFile>* staged = nullptr,
                          std::string* summary = nullptr);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_INPUT_FLAGS_H_
