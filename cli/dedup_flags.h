// Near-duplicate flags shared by `dedup`, `cluster` and `tune`.
#ifndef STORYSIFT_CLI_DEDUP_FLAGS_H_
#define STORYSIFT_CLI_DEDUP_FLAGS_H_

#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "storysift/copy_grouper.h"
#include "pipeline/corpus.h"
#include "storysift/job_options.h"
#include "storysift/jobs.h"
#include "storysift/verifier.h"

namespace storysift::cli {

// The flags are the library's named settings (--num-perm is num_perm).
using DedupFlags = DedupSettings;

// `with_threshold` = false leaves --threshold out (commands that sweep it).
void AddDedupFlags(CLI::App* cmd, DedupFlags* flags, bool with_threshold = true);

// Translates the flags into sketch and grouping options (ApplyDedupSettings);
// a usage error (exit 2) naming the flag for a bad value.
absl::Status FillDedupOptions(const DedupFlags& flags, SketchOptions* sketch,
                              CopyGrouperOptions* grouper);

// Fills the sketch part of *corpus_options from the flags and returns the
// Verifier for them made once; the corpus keeps
// b-bit rows and band keys for it (corpus_options->verifier). A usage error
// (exit 2) naming the flag or setting for a bad value.
absl::StatusOr<Verifier> MakeDedupOptions(const DedupFlags& flags,
                                          CorpusOptions* corpus_options);

// Fills the job's sketch and grouping options (and exact_verify) from the
// flags; a usage error naming the flag or setting for a bad value.
absl::Status MakeDedupOptions(const DedupFlags& flags, DedupJobOptions* options);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_DEDUP_FLAGS_H_
