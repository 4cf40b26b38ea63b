#include "state/state_segments.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "state/durable_io.h"
#include "state/state_format.h"
#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

// The generation that wrote a growing file of `kind`: 0 for the single file
// of versions 1-3 (older than every numbered one); false for other names.
bool GrowingFileGeneration(std::string_view name, std::string_view kind, uint64_t* generation) {
  constexpr std::string_view kSuffix = ".jsonl";
  if (name.size() < kind.size() + kSuffix.size() || name.substr(0, kind.size()) != kind ||
      name.substr(name.size() - kSuffix.size()) != kSuffix) {
    return false;
  }
  if (name.size() == kind.size() + kSuffix.size()) {  // "archive.jsonl"
    *generation = 0;
    return true;
  }
  std::string_view digits = name.substr(kind.size(), name.size() - kind.size() - kSuffix.size());
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

absl::StatusOr<std::string> ReadSegment(const StateSegment& segment) {
  if (!segment.checksum) return ReadFileBytes(segment.path);  // Version 1: none.
  return ReadCheckedFile(segment.path, EntryOf(segment));
}

}  // namespace

bool IsArchiveFile(std::string_view name) { return IsGrowingFileOf(name, "archive"); }
bool IsRetiredFile(std::string_view name) { return IsGrowingFileOf(name, "retired"); }
bool IsGrowingFile(std::string_view name) { return IsArchiveFile(name) || IsRetiredFile(name); }

std::string GrowingFileName(std::string_view kind, uint64_t generation) {
  return absl::StrFormat("%s-%06d.jsonl", std::string(kind), generation);
}

void CollectSegments(const std::string& gen_dir, const Manifest& manifest, StoryState* state) {
  std::vector<std::pair<uint64_t, StateSegment>> archive, retired;
  for (const ManifestEntry& e : manifest.files) {
    uint64_t generation = 0;
    StateSegment segment{absl::StrCat(gen_dir, "/", e.name), e.name, e.size, e.checksum};
    if (GrowingFileGeneration(e.name, "archive", &generation)) {
      archive.emplace_back(generation, std::move(segment));
    } else if (GrowingFileGeneration(e.name, "retired", &generation)) {
      retired.emplace_back(generation, std::move(segment));
    }
  }
  AddByAge(archive, &state->archive);
  AddByAge(retired, &state->retired);
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

}  // namespace storysift
