#include "stream/section_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ingest/byte_stream.h"
#include "stream/bytes.h"
#include "xxhash.h"

namespace storysift::internal {
namespace {

constexpr size_t kHeaderBytes = 16;         // magic + version + section count.
constexpr size_t kSectionHeaderBytes = 24;  // tag + reserved + length + checksum.

uint64_t Checksum(std::string_view payload) {
  return XXH3_64bits_withSeed(payload.data(), payload.size(), kSectionChecksumSeed);
}

}  // namespace

std::string EncodeSectionFile(const SectionFileKind& kind,
                              const std::vector<std::string>& sections) {
  std::string out;
  ByteWriter w(&out);
  w.Bytes(kind.magic);
  w.U32(kind.version);
  w.U32(static_cast<uint32_t>(sections.size()));
  for (size_t i = 0; i < sections.size(); ++i) {
    w.U32(static_cast<uint32_t>(i + 1));
    w.U32(0);
    w.U64(sections[i].size());
    w.U64(Checksum(sections[i]));
    w.Bytes(sections[i]);
  }
  return out;
}

absl::Status CorruptFileError(const SectionFileKind& kind, std::string_view what) {
  return absl::DataLossError(absl::StrCat(std::string(kind.noun),
                                          " file is truncated or corrupt: ", std::string(what)));
}

absl::StatusOr<std::vector<std::string_view>> DecodeSectionFile(const SectionFileKind& kind,
                                                               std::string_view bytes,
                                                               uint32_t num_sections) {
  ByteReader r(bytes);
  std::string_view magic;
  uint32_t version = 0, count = 0;
  if (!r.Bytes(kind.magic.size(), &magic) || magic != kind.magic) {
    return absl::DataLossError(absl::StrCat("not a storysift ", std::string(kind.noun),
                                            " (bad magic)"));
  }
  if (!r.U32(&version) || !r.U32(&count)) return CorruptFileError(kind, "header");
  // The header has no checksum of its own: a version far ahead is damage.
  constexpr uint32_t kPlausibleVersionsAhead = 64;
  if (version > kind.version + kPlausibleVersionsAhead) {
    return CorruptFileError(kind, absl::StrFormat("header (format version %d)", version));
  }
  if (version > kind.version) {
    return absl::UnimplementedError(
        absl::StrFormat("%s format version %d is newer than this build reads (%d)",
                        std::string(kind.noun), version, kind.version));
  }
  if (version == 0) {
    return absl::DataLossError(
        absl::StrCat(std::string(kind.noun), " format version 0 is invalid"));
  }
  if (count != num_sections) {
    return CorruptFileError(kind, absl::StrFormat("expected %d sections", num_sections));
  }
  std::vector<std::string_view> payloads(num_sections);
  for (uint32_t i = 0; i < num_sections; ++i) {
    uint32_t tag = 0, reserved = 0;
    uint64_t length = 0, checksum = 0;
    if (!r.U32(&tag) || !r.U32(&reserved) || !r.U64(&length) || !r.U64(&checksum)) {
      return CorruptFileError(kind, "section header");
    }
    if (tag != i + 1 || reserved != 0) return CorruptFileError(kind, "unexpected section tag");
    if (length > r.remaining() || !r.Bytes(length, &payloads[i])) {
      return CorruptFileError(
          kind, absl::StrFormat("section %d claims %d bytes, %d left", tag, length, r.remaining()));
    }
    if (Checksum(payloads[i]) != checksum) {
      return absl::DataLossError(absl::StrFormat("%s section %d fails its XXH3 checksum",
                                                 std::string(kind.noun), tag));
    }
  }
  if (r.remaining() != 0) return CorruptFileError(kind, "trailing bytes after the last section");
  return payloads;
}

uint32_t SectionFileVersion(std::string_view bytes) {
  // The u32 version follows the 8-byte magic.
  ByteReader r(bytes.substr(8));
  uint32_t version = 0;
  r.U32(&version);
  return version;
}

absl::StatusOr<std::string> ReadWholeFile(const SectionFileKind& kind, std::string_view path) {
  const std::string p(path);
  std::FILE* f = std::fopen(p.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    std::string message =
        absl::StrCat("cannot open ", std::string(kind.noun), " ", p, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(message);
    if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
    return absl::UnavailableError(message);
  }
  std::string bytes;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) bytes.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    return absl::UnavailableError(absl::StrCat("cannot read ", std::string(kind.noun), " ", p));
  }
  // Saved under a name such as `feed.idx.gz`, it was compressed so.
  return DecompressWholeFile(std::move(bytes), p);
}

std::string FixSectionChecksums(std::string_view bytes) {
  std::string out(bytes);
  size_t pos = kHeaderBytes;
  while (pos + kSectionHeaderBytes <= out.size()) {
    ByteReader r(std::string_view(out).substr(pos + 8, 8));
    uint64_t length;
    if (!r.U64(&length)) break;
    const size_t start = pos + kSectionHeaderBytes;
    if (length > out.size() - start) break;
    std::string checksum;
    ByteWriter(&checksum).U64(Checksum(std::string_view(out).substr(start, length)));
    out.replace(pos + 16, 8, checksum);
    pos = start + length;
  }
  return out;
}

std::string NormalizeDifference(const NormalizeOptions& a, const NormalizeOptions& b) {
  if (a.markup != b.markup) return "markup mode differs";
  if (a.drop_boilerplate != b.drop_boilerplate) return "boilerplate dropping differs";
  return "";
}

}  // namespace storysift::internal
