// How `storysift index build|add` commits a run: the flags they share, what
// a run holds before its commit, and the commit itself, with the pending
// outputs (stream/pending_outputs.h) that let the same command again write
// the outputs of a run that ended after its index was in place.
#ifndef STORYSIFT_CLI_COMMANDS_INDEX_RUN_H_
#define STORYSIFT_CLI_COMMANDS_INDEX_RUN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "dedup_flags.h"
#include "input_flags.h"
#include "io/output_file.h"
#include "storysift/deduplicator.h"
#include "storysift/file_lock.h"
#include "stream/pending_outputs.h"

namespace storysift::cli {

struct IndexFlags {
  InputFlags input;
  DedupFlags dedup;
  std::string index;
  std::string output;  // Verdict lines; "" = none (build, add), "-" (query).
  int64_t retention_days = 0;
  double wait_seconds = 0;
  // Given on the command line (their values alone cannot tell a default).
  bool markup_given = false;
  bool stem_given = false;
};

// What `index build|add` makes of its input before anything is committed:
// held until the index holds the run.
struct StagedRun {
  // `kind`: "add", or "build" and its options (RunFingerprint).
  explicit StagedRun(std::string_view kind) : fingerprint(kind) {}
  internal::RunFingerprint fingerprint;  // What tells the same run again.
  std::string verdicts;                  // -v's lines; none without -v.
  std::unique_ptr<OutputFile> report;    // --report, synced, not in place.
  std::string report_bytes;              // What `report` holds.
  std::string messages;                  // For stderr once the index is committed.
};

// The pending outputs of the run that committed the index in place (at the
// symlink-resolved `target`), if it left any. One left by a run that ended
// before its index was renamed into place claims nothing and is removed,
// with a crashed writer's temporary. DataLoss for a damaged pending file.
// REQUIRES: the index's lock is held.
absl::StatusOr<std::optional<internal::PendingIndexOutputs>> PendingOfCommittedRun(
    const std::string& target, const std::string& pending_path);

// Whether `run` is the run `pending` was left by, done again: the same
// kind, options and records read, asking for outputs (some or all of
// those the run was asked for, and at least one).
bool IsTheRunAgain(const internal::PendingIndexOutputs& pending, const StagedRun& run,
                   const IndexFlags& flags);

// Writes the pending run's own bytes to the outputs `flags` names
// (`verdicts`: -v's, opened), then removes the pending file; commits
// nothing. REQUIRES: IsTheRunAgain.
absl::Status WriteOutputsAgain(const IndexFlags& flags,
                               const internal::PendingIndexOutputs& pending,
                               const std::string& pending_path, OutputFile* verdicts);

// The warning a run of other input gives when the run before it committed
// the index but not all its outputs.
std::string UnwrittenOutputsWarning(const IndexFlags& flags);

// Commits `run`: the verdicts (into `verdicts`, -v's, opened) synced, then
// (when the run has outputs) the pending file, then `dedup` as the index
// file, then the messages on stderr, then the outputs in place, then the
// pending file removed. A crash at any point leaves the old index and no
// output, or the new index and its outputs in place or pending; an error
// after the index is in place says to run the same command again.
absl::Status CommitRun(const IndexFlags& flags, const Deduplicator& dedup, const FileLock& lock,
                       StagedRun& run, OutputFile* verdicts, const std::string& pending_path);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_COMMANDS_INDEX_RUN_H_
