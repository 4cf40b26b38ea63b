#include "stream/pending_outputs.h"

#include <unistd.h>

#include <cerrno>
#include <vector>

#include "absl/strings/str_cat.h"
#include "state/durable_io.h"
#include "state/fault_point.h"
#include "storysift/status_macros.h"
#include "stream/bytes.h"
#include "stream/section_file.h"
#include "xxhash.h"

namespace storysift::internal {
namespace {

// Sections: 1 header (u64 run, u64 index checksum, u8 has verdicts, u8 has
// report), 2 verdicts, 3 report, 4 messages.
constexpr SectionFileKind kPendingFile = {"SSIXPND1", 1, "pending index outputs"};
constexpr uint32_t kSections = 4;
constexpr uint64_t kIndexChecksumSeed = 0x494E4458464C4531ull;  // "INDXFLE1"
constexpr uint64_t kRunSeed = 0x494E445852554E31ull;            // "INDXRUN1"

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

std::string TempPathOf(const std::string& path) { return path + ".tmp"; }

absl::Status Damaged(const std::string& path, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(
      path, ": ", what,
      " (it holds the outputs of an index run that ended before writing them; remove it to "
      "go on without them)"));
}

}  // namespace

uint64_t IndexFileChecksum(std::string_view bytes) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), kIndexChecksumSeed);
}

std::string PendingOutputsPath(const std::string& index_target) {
  const size_t slash = index_target.rfind('/');
  const size_t start = slash == std::string::npos ? 0 : slash + 1;
  // Room for TempPathOf's ".tmp".
  return absl::StrCat(
      index_target.substr(0, start),
      FitFileName(index_target.substr(start), ".pending", 4, NameMaxIn(DirectoryOf(index_target))));
}

absl::Status WritePendingOutputs(const std::string& path, const PendingIndexOutputs& pending) {
  std::string header;
  ByteWriter w(&header);
  w.U64(pending.run);
  w.U64(pending.index_checksum);
  w.U8(pending.verdicts.has_value());
  w.U8(pending.report.has_value());
  const std::string bytes = EncodeSectionFile(
      kPendingFile,
      {header, pending.verdicts.value_or(""), pending.report.value_or(""), pending.messages});
  const std::string temp = TempPathOf(path);
  ::unlink(temp.c_str());  // A crashed writer's; the lock keeps out live ones.
  STORYSIFT_RETURN_IF_ERROR(WriteNewFileDurably(temp, bytes, "index.pending"));
  if (absl::Status renamed = RenameDurably(temp, path); !renamed.ok()) {
    ::unlink(temp.c_str());
    return renamed;
  }
  FaultPoint("index.pending.renamed");
  return absl::OkStatus();
}

absl::StatusOr<std::optional<PendingIndexOutputs>> ReadPendingOutputs(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(path);
  if (absl::IsNotFound(bytes.status())) return std::nullopt;
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<std::vector<std::string_view>> sections =
      DecodeSectionFile(kPendingFile, *bytes, kSections);
  if (absl::IsUnimplemented(sections.status())) {
    return absl::Status(sections.status().code(),
                        absl::StrCat(path, ": ", sections.status().message()));
  }
  if (!sections.ok()) return Damaged(path, sections.status().message());
  PendingIndexOutputs pending;
  ByteReader r((*sections)[0]);
  uint8_t has_verdicts = 0, has_report = 0;
  if (!r.U64(&pending.run) || !r.U64(&pending.index_checksum) || !r.U8(&has_verdicts) ||
      !r.U8(&has_report) || r.remaining() != 0 || has_verdicts > 1 || has_report > 1) {
    return Damaged(path, "bad header section");
  }
  if (has_verdicts) pending.verdicts = std::string((*sections)[1]);
  if (has_report) pending.report = std::string((*sections)[2]);
  pending.messages = std::string((*sections)[3]);
  return pending;
}

absl::Status RemovePendingOutputs(const std::string& path) {
  bool removed = false;
  for (const std::string& p : {TempPathOf(path), path}) {
    if (::unlink(p.c_str()) == 0) {
      removed = true;
    } else if (errno != ENOENT) {
      return ErrnoError(errno, "cannot remove", p);
    }
  }
  return removed ? SyncDirectory(DirectoryOf(path)) : absl::OkStatus();
}

RunFingerprint::RunFingerprint(std::string_view kind)
    : digest_(XXH3_64bits_withSeed(kind.data(), kind.size(), kRunSeed)) {}

void RunFingerprint::AddRecord(const ReadRecord& r, uint64_t content_hash) {
  std::string key = r.origin.ToString();
  if (r.skipped()) {
    absl::StrAppend(&key, "\x1f-", r.skip_reason, "\x1f", r.message);
  } else {
    absl::StrAppend(&key, "\x1f+", r.doc.id.size(), ":", r.doc.id, "\x1f",
                    ChecksumHex(content_hash));
  }
  digest_ = XXH3_64bits_withSeed(key.data(), key.size(), digest_);
}

}  // namespace storysift::internal
