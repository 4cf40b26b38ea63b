// What `storysift index build|add` keeps beside the index while its outputs
// (-v, --report) are not all in place: "<index>.pending", written and synced
// before the new index is renamed into place, removed once the outputs are.
//
// Why the outputs themselves, not what would make them again: the verdicts
// depend on the index before the run (which the rename replaces), and a
// second copy of a possibly large index to redo the run from (as a state's
// previous generation is kept) costs more than a day's verdict lines. The
// bytes are exact by construction: a retry of the same run writes them
// whatever the clock says by then.
//
// The file names the index it belongs to by that index file's checksum: one
// that does not match the index in place was left by a run that never
// committed (it ended before its rename) and claims nothing.
#ifndef STORYSIFT_STREAM_PENDING_OUTPUTS_H_
#define STORYSIFT_STREAM_PENDING_OUTPUTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storysift/reader.h"

namespace storysift::internal {

struct PendingIndexOutputs {
  uint64_t run = 0;             // RunFingerprint::Digest() of the run.
  uint64_t index_checksum = 0;  // IndexFileChecksum of the index it committed.
  // The bytes of each output the run was asked for (none: not asked for).
  std::optional<std::string> verdicts;
  std::optional<std::string> report;
  // What the run said on stderr once its index was committed.
  std::string messages;
};

// XXH3-64 of an index file's bytes.
uint64_t IndexFileChecksum(std::string_view bytes);

// "<index_target>.pending" (shortened like IndexLockPath's name near
// NAME_MAX), beside the symlink-resolved index.
std::string PendingOutputsPath(const std::string& index_target);

// Replaces `path` durably: a temporary "<path>.tmp" (fault steps
// "index.pending.half" and "index.pending.synced"), renamed over `path`,
// directory synced (then "index.pending.renamed"). An error (disk full)
// leaves what was there. REQUIRES: the index's lock is held.
absl::Status WritePendingOutputs(const std::string& path, const PendingIndexOutputs& pending);

// nullopt when `path` is absent. DataLoss naming the file when it is
// damaged (it cannot tell which run's outputs it held); Unimplemented for
// a newer format.
absl::StatusOr<std::optional<PendingIndexOutputs>> ReadPendingOutputs(const std::string& path);

// Removes `path` (absent is fine) and a crashed writer's "<path>.tmp", and
// syncs the directory.
absl::Status RemovePendingOutputs(const std::string& path);

// What tells a run of the same input again, with the same options: a kind
// ("build" and its options, or "add"), then each record read in order (its
// place, and its id and content, or its skip).
class RunFingerprint {
 public:
  explicit RunFingerprint(std::string_view kind);

  // `content_hash`: DocumentContentHash(r.doc) (ignored for a skip).
  void AddRecord(const ReadRecord& r, uint64_t content_hash);
  uint64_t Digest() const { return digest_; }

 private:
  uint64_t digest_;  // Each key hashed with the digest so far as its seed.
};

}  // namespace storysift::internal

#endif  // STORYSIFT_STREAM_PENDING_OUTPUTS_H_
