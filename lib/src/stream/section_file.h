// The container shared by the streaming stages' files (Deduplicator index,
// StoryAssigner state). All integers little-endian:
//
//   8-byte magic | u32 format_version | u32 num_sections
//   section*: u32 tag | u32 reserved (0) | u64 payload_len
//             | u64 XXH3_64bits_withSeed(payload, kSectionChecksumSeed) | payload
//
// Section tags are 1, 2, ... in order. Each file kind has its own magic and
// version; what the payloads hold is up to the file kind.
#ifndef STORYSIFT_STREAM_SECTION_FILE_H_
#define STORYSIFT_STREAM_SECTION_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "storysift/normalize.h"

namespace storysift::internal {

inline constexpr uint64_t kSectionChecksumSeed = 0x5345435449444E31ull;  // "SECTIDN1"

struct SectionFileKind {
  std::string_view magic;  // 8 bytes.
  uint32_t version;        // Written; the newest one read.
  std::string_view noun;   // For messages: "index", "story assigner state".
};

// Header and sections; section i gets tag i + 1.
std::string EncodeSectionFile(const SectionFileKind& kind,
                              const std::vector<std::string>& sections);

// Checks the header and every section checksum; returns the payloads
// (views into `bytes`). DataLoss for a bad magic, a truncated file, a wrong
// section count or tag, a checksum mismatch or trailing bytes;
// Unimplemented for a version newer than kind.version.
absl::StatusOr<std::vector<std::string_view>> DecodeSectionFile(const SectionFileKind& kind,
                                                               std::string_view bytes,
                                                               uint32_t num_sections);

// The format version in the header of a file DecodeSectionFile accepted.
uint32_t SectionFileVersion(std::string_view bytes);

// DataLoss "<noun> file is truncated or corrupt: <what>".
absl::Status CorruptFileError(const SectionFileKind& kind, std::string_view what);

// Reads a whole file, decompressed when it is gzip, zstd or xz (as an
// output named `x.gz` is written). NotFound / PermissionDenied /
// Unavailable; DataLoss for damaged compressed data.
absl::StatusOr<std::string> ReadWholeFile(const SectionFileKind& kind, std::string_view path);

// How loaders name an option that differs from the expected one:
// "NAME <in_file> in the file, <expected> expected".
template <typename T, typename U>
std::string OptionMismatch(std::string_view name, T in_file, U expected) {
  return absl::StrCat(std::string(name), " ", in_file, " in the file, ", expected, " expected");
}

// The first text-normalization option that changes tokens (markup mode,
// boilerplate dropping) where a and b differ, named; "" when none.
std::string NormalizeDifference(const NormalizeOptions& a, const NormalizeOptions& b);

// For fuzzers: `bytes` with every section checksum that lies within the
// input recomputed, so mutations reach the parser behind it.
std::string FixSectionChecksums(std::string_view bytes);

}  // namespace storysift::internal

#endif  // STORYSIFT_STREAM_SECTION_FILE_H_
