#include "commands/index_run.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "state/durable_io.h"
#include "storysift/status_macros.h"

namespace storysift::cli {
namespace {

// Puts the outputs in place once the index holds their run, then removes
// its pending file. On an error the pending file stays, so the same
// command again writes them.
absl::Status PublishOutputs(const IndexFlags& flags, OutputFile* report, OutputFile* verdicts,
                            const std::string& pending_path) {
  absl::Status status = report != nullptr ? report->Commit() : absl::OkStatus();
  if (status.ok() && verdicts != nullptr) status = verdicts->Commit();
  if (status.ok()) status = internal::RemovePendingOutputs(pending_path);
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(status.message(), " (the index ", flags.index,
                                   " holds the run: run the same command again to write its "
                                   "outputs)"));
}

}  // namespace

absl::StatusOr<std::optional<internal::PendingIndexOutputs>> PendingOfCommittedRun(
    const std::string& target, const std::string& pending_path) {
  STORYSIFT_ASSIGN_OR_RETURN(std::optional<internal::PendingIndexOutputs> pending,
                             internal::ReadPendingOutputs(pending_path));
  if (pending.has_value()) {
    absl::StatusOr<std::string> index = internal::ReadFileBytes(target);
    if (!index.ok() && !absl::IsNotFound(index.status())) return index.status();
    if (index.ok() && internal::IndexFileChecksum(*index) == pending->index_checksum) {
      return pending;
    }
  }
  STORYSIFT_RETURN_IF_ERROR(internal::RemovePendingOutputs(pending_path));
  return std::nullopt;
}

bool IsTheRunAgain(const internal::PendingIndexOutputs& pending, const StagedRun& run,
                   const IndexFlags& flags) {
  const bool asks_verdicts = !flags.output.empty();
  const bool asks_report = !flags.input.report_path.empty();
  return pending.run == run.fingerprint.Digest() && (asks_verdicts || asks_report) &&
         (!asks_verdicts || pending.verdicts.has_value()) &&
         (!asks_report || pending.report.has_value());
}

absl::Status WriteOutputsAgain(const IndexFlags& flags,
                               const internal::PendingIndexOutputs& pending,
                               const std::string& pending_path, OutputFile* verdicts) {
  std::unique_ptr<OutputFile> report;
  if (!flags.input.report_path.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(report, OutputFile::Open(flags.input.report_path));
    report->Write(*pending.report);
  }
  if (verdicts != nullptr) verdicts->Write(*pending.verdicts);
  std::fputs(pending.messages.c_str(), stderr);
  if (!flags.input.quiet) {
    std::fprintf(stderr,
                 "storysift: the index %s holds this input already (the run that added it ended "
                 "before its outputs were all written): they are written now\n",
                 flags.index.c_str());
  }
  return PublishOutputs(flags, report.get(), verdicts, pending_path);
}

std::string UnwrittenOutputsWarning(const IndexFlags& flags) {
  return absl::StrCat(
      "storysift: warning: the run that last changed the index ", flags.index,
      " ended before its outputs were all written; this run is of other input, options or "
      "outputs, so they cannot be written now\n");
}

absl::Status CommitRun(const IndexFlags& flags, const Deduplicator& dedup, const FileLock& lock,
                       StagedRun& run, OutputFile* verdicts, const std::string& pending_path) {
  // A full disk on the verdicts shows before the index is replaced.
  if (verdicts != nullptr) {
    verdicts->Write(run.verdicts);
    STORYSIFT_RETURN_IF_ERROR(verdicts->Sync());
  }
  STORYSIFT_RETURN_IF_ERROR(lock.CheckStillHeld());
  const std::string index = dedup.SaveToString();
  if (verdicts != nullptr || run.report != nullptr) {
    internal::PendingIndexOutputs pending;
    pending.run = run.fingerprint.Digest();
    pending.index_checksum = internal::IndexFileChecksum(index);
    if (verdicts != nullptr) pending.verdicts = std::move(run.verdicts);
    if (run.report != nullptr) pending.report = std::move(run.report_bytes);
    pending.messages = run.messages;
    STORYSIFT_RETURN_IF_ERROR(internal::WritePendingOutputs(pending_path, pending));
  }
  STORYSIFT_RETURN_IF_ERROR(WriteFileAtomically(flags.index, index));
  // The summary, like the outputs, says what the index now holds.
  std::fputs(run.messages.c_str(), stderr);
  return PublishOutputs(flags, run.report.get(), verdicts, pending_path);
}

}  // namespace storysift::cli
