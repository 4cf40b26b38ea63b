#include "state/state_segments.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "state/durable_io.h"
#include "state/state_format.h"
#include "storysift/status_macros.h"
#include "xxhash.h"

namespace storysift::internal {
namespace {

constexpr std::string_view kJsonlSuffix = ".jsonl";
constexpr std::string_view kIdListSuffix = ".ids";
constexpr std::string_view kIdListMagic = "SSRIDS01";
constexpr size_t kIdListHeaderBytes = 32;
constexpr uint64_t kRetiredIdSeed = 0x5245544952454449ull;  // "RETIREDI"

// The generation that wrote a growing file of `kind` (or, with the suffix
// ".ids", the id list of one): 0 for the single file of versions 1-3 (older
// than every numbered one); false for other names.
bool GrowingFileGeneration(std::string_view name, std::string_view kind, uint64_t* generation,
                           std::string_view suffix = kJsonlSuffix) {
  if (name.size() < kind.size() + suffix.size() || name.substr(0, kind.size()) != kind ||
      name.substr(name.size() - suffix.size()) != suffix) {
    return false;
  }
  if (name.size() == kind.size() + suffix.size()) {  // "archive.jsonl"
    *generation = 0;
    return true;
  }
  std::string_view digits = name.substr(kind.size(), name.size() - kind.size() - suffix.size());
  if (digits.size() < 2 || digits[0] != '-') return false;
  digits.remove_prefix(1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *generation);
  return ec == std::errc() && end == digits.data() + digits.size();
}

bool IsGrowingFileOf(std::string_view name, std::string_view kind) {
  uint64_t generation = 0;
  return GrowingFileGeneration(name, kind, &generation);
}

// Oldest first: by the generation that wrote each file.
void AddByAge(std::vector<std::pair<uint64_t, StateSegment>>& found,
              std::vector<StateSegment>* out) {
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [generation, segment] : found) out->push_back(std::move(segment));
}

void AppendLittleEndian(uint64_t value, std::string* out) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t LittleEndianAt(std::string_view bytes, size_t offset) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[offset + static_cast<size_t>(i)]);
  }
  return value;
}

absl::Status NotAnIdList(const std::string& path, std::string_view why) {
  return absl::DataLossError(absl::StrCat(path, ": not an id list (", std::string(why), ")"));
}

// Checks the list's header against its retired file and returns how many
// hashes it holds.
absl::StatusOr<size_t> CheckIdListHeader(const std::string& path, std::string_view list,
                                         const ManifestEntry& retired) {
  if (list.size() < kIdListHeaderBytes || list.substr(0, kIdListMagic.size()) != kIdListMagic) {
    return NotAnIdList(path, "no SSRIDS01 header");
  }
  const uint64_t count = LittleEndianAt(list, 24);
  if (count != (list.size() - kIdListHeaderBytes) / 8 ||
      (list.size() - kIdListHeaderBytes) % 8 != 0) {
    return NotAnIdList(path, absl::StrFormat("%d bytes for %d hashes", list.size(), count));
  }
  if (LittleEndianAt(list, 8) != retired.size || LittleEndianAt(list, 16) != retired.checksum) {
    return absl::DataLossError(absl::StrCat(
        path, ": the id list of another file than ", retired.name,
        " (its size and XXH3 differ from the manifest's): run `storysift state recover`"));
  }
  return static_cast<size_t>(count);
}

}  // namespace

absl::StatusOr<std::string> ReadSegment(const StateSegment& segment) {
  if (!segment.checksum) return ReadFileBytes(segment.path);  // Version 1: none.
  return ReadCheckedFile(segment.path, EntryOf(segment));
}

bool IsArchiveFile(std::string_view name) { return IsGrowingFileOf(name, "archive"); }
bool IsRetiredFile(std::string_view name) { return IsGrowingFileOf(name, "retired"); }
bool IsGrowingFile(std::string_view name) { return IsArchiveFile(name) || IsRetiredFile(name); }
bool IsRetiredIdList(std::string_view name) {
  uint64_t generation = 0;
  return GrowingFileGeneration(name, "retired", &generation, kIdListSuffix);
}
bool IsCarriedFile(std::string_view name) { return IsGrowingFile(name) || IsRetiredIdList(name); }

std::string RetiredIdListName(std::string_view retired_name) {
  retired_name.remove_suffix(kJsonlSuffix.size());
  return absl::StrCat(std::string(retired_name), std::string(kIdListSuffix));
}

uint64_t RetiredIdHash(std::string_view id) {
  return XXH3_64bits_withSeed(id.data(), id.size(), kRetiredIdSeed);
}

std::string EncodeRetiredIdList(std::vector<uint64_t> hashes, const ManifestEntry& retired) {
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  std::string out(kIdListMagic);
  out.reserve(kIdListHeaderBytes + 8 * hashes.size());
  AppendLittleEndian(retired.size, &out);
  AppendLittleEndian(retired.checksum, &out);
  AppendLittleEndian(hashes.size(), &out);
  for (uint64_t h : hashes) AppendLittleEndian(h, &out);
  return out;
}

absl::StatusOr<std::string> BuildRetiredIdList(const std::string& path, std::string_view bytes,
                                               const ManifestEntry& retired) {
  std::vector<uint64_t> hashes;
  std::vector<RetiredDocument> none;
  STORYSIFT_RETURN_IF_ERROR(ParseStateRetired(path, bytes,
                                              [&](std::string_view id) {
                                                hashes.push_back(RetiredIdHash(id));
                                                return false;
                                              },
                                              &none));
  return EncodeRetiredIdList(std::move(hashes), retired);
}

absl::StatusOr<bool> IdListHoldsAny(const std::string& path, std::string_view list,
                                    const ManifestEntry& retired,
                                    const std::vector<uint64_t>& sorted_hashes) {
  STORYSIFT_ASSIGN_OR_RETURN(const size_t count, CheckIdListHeader(path, list, retired));
  // Both sides sorted: each wanted hash is searched for from where the
  // previous one was found (at most the day's ids x log2 of the list).
  size_t low = 0;
  uint64_t previous = 0;
  for (size_t i = 0; i < count; ++i) {  // Ascending, as written: else damage.
    const uint64_t h = LittleEndianAt(list, kIdListHeaderBytes + 8 * i);
    if (i > 0 && h <= previous) return NotAnIdList(path, "hashes out of order");
    previous = h;
  }
  for (uint64_t wanted : sorted_hashes) {
    size_t high = count;
    while (low < high) {
      const size_t mid = low + (high - low) / 2;
      if (LittleEndianAt(list, kIdListHeaderBytes + 8 * mid) < wanted) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    if (low == count) return false;
    if (LittleEndianAt(list, kIdListHeaderBytes + 8 * low) == wanted) return true;
  }
  return false;
}

std::string GrowingFileName(std::string_view kind, uint64_t generation) {
  return absl::StrFormat("%s-%06d.jsonl", std::string(kind), generation);
}

void CollectSegments(const std::string& gen_dir, const Manifest& manifest, StoryState* state) {
  std::vector<std::pair<uint64_t, StateSegment>> archive, retired, lists;
  for (const ManifestEntry& e : manifest.files) {
    uint64_t generation = 0;
    StateSegment segment{absl::StrCat(gen_dir, "/", e.name), e.name, e.size, e.checksum};
    if (GrowingFileGeneration(e.name, "archive", &generation)) {
      archive.emplace_back(generation, std::move(segment));
    } else if (GrowingFileGeneration(e.name, "retired", &generation)) {
      retired.emplace_back(generation, std::move(segment));
    } else if (GrowingFileGeneration(e.name, "retired", &generation, kIdListSuffix)) {
      lists.emplace_back(generation, std::move(segment));
    }
  }
  AddByAge(archive, &state->archive);
  AddByAge(retired, &state->retired);
  AddByAge(lists, &state->retired_id_lists);
}

void KeepArchiveListed(const std::vector<ManifestEntry>& carried,
                       std::vector<std::pair<std::string, std::string>>* files) {
  for (const ManifestEntry& e : carried) {
    if (e.name == kStateArchive) return;
  }
  for (const auto& [name, contents] : *files) {
    if (name == kStateArchive) return;
  }
  files->emplace_back(kStateArchive, std::string());
}

ManifestEntry EntryOf(const StateSegment& segment) {
  return {segment.name, segment.size, segment.checksum.value_or(0)};
}

const StateSegment* IdListOf(const StoryState& state, const StateSegment& retired) {
  const std::string name = RetiredIdListName(retired.name);
  for (const StateSegment& list : state.retired_id_lists) {
    if (list.name == name) return &list;
  }
  return nullptr;
}

absl::Status CheckArchiveFiles(const StoryState& state) {
  for (const StateSegment& segment : state.archive) {
    STORYSIFT_RETURN_IF_ERROR(ReadSegment(segment).status());
  }
  for (const StateSegment& retired : state.retired) {
    STORYSIFT_ASSIGN_OR_RETURN(const std::string bytes, ReadSegment(retired));
    const StateSegment* list = IdListOf(state, retired);
    if (list == nullptr) continue;  // An earlier session's: the next run makes it.
    STORYSIFT_ASSIGN_OR_RETURN(const std::string listed, ReadSegment(*list));
    STORYSIFT_RETURN_IF_ERROR(CheckIdListHeader(list->path, listed, EntryOf(retired)).status());
    STORYSIFT_ASSIGN_OR_RETURN(const std::string expected,
                               BuildRetiredIdList(retired.path, bytes, EntryOf(retired)));
    if (listed != expected) {
      return absl::DataLossError(absl::StrCat(
          list->path, ": does not list the ids of ", retired.name,
          " (a run would miss some of its documents): run `storysift state recover`"));
    }
  }
  for (const StateSegment& list : state.retired_id_lists) {
    bool has_file = false;
    for (const StateSegment& retired : state.retired) {
      has_file |= RetiredIdListName(retired.name) == list.name;
    }
    if (!has_file) {
      return absl::DataLossError(absl::StrCat(list.path,
                                              ": an id list without its retired file: run "
                                              "`storysift state recover`"));
    }
  }
  return absl::OkStatus();
}

}  // namespace storysift::internal

namespace storysift {

absl::StatusOr<std::vector<std::string>> ReadArchivedStoryLines(const StoryState& state) {
  std::vector<std::string> lines;
  for (const StateSegment& segment : state.archive) {
    STORYSIFT_ASSIGN_OR_RETURN(std::string bytes, internal::ReadSegment(segment));
    for (std::string& line : internal::SplitLines(bytes)) lines.push_back(std::move(line));
  }
  return lines;
}

absl::StatusOr<std::vector<RetiredDocument>> ReadRetiredDocuments(
    const StoryState& state, const std::function<bool(std::string_view id)>& wanted) {
  std::vector<RetiredDocument> docs;
  for (const StateSegment& segment : state.retired) {
    STORYSIFT_ASSIGN_OR_RETURN(std::string bytes, internal::ReadSegment(segment));
    STORYSIFT_RETURN_IF_ERROR(internal::ParseStateRetired(segment.path, bytes, wanted, &docs));
  }
  return docs;
}

absl::StatusOr<std::vector<RetiredDocument>> FindRetiredDocuments(
    const StoryState& state, const absl::flat_hash_set<std::string>& ids) {
  std::vector<uint64_t> hashes;
  hashes.reserve(ids.size());
  for (const std::string& id : ids) hashes.push_back(internal::RetiredIdHash(id));
  std::sort(hashes.begin(), hashes.end());
  // A hash in a list only says the file may hold the id: the file's own
  // lines decide, so that a collision never makes a new article a repeat.
  const auto wanted = [&](std::string_view id) {
    return ids.contains(absl::string_view(id.data(), id.size()));
  };
  std::vector<RetiredDocument> docs;
  for (const StateSegment& segment : state.retired) {
    if (const StateSegment* list = internal::IdListOf(state, segment); list != nullptr) {
      STORYSIFT_ASSIGN_OR_RETURN(const std::string listed, internal::ReadSegment(*list));
      STORYSIFT_ASSIGN_OR_RETURN(
          const bool may_hold,
          internal::IdListHoldsAny(list->path, listed, internal::EntryOf(segment), hashes));
      if (!may_hold) continue;
    }
    STORYSIFT_ASSIGN_OR_RETURN(std::string bytes, internal::ReadSegment(segment));
    STORYSIFT_RETURN_IF_ERROR(internal::ParseStateRetired(segment.path, bytes, wanted, &docs));
  }
  return docs;
}

}  // namespace storysift
