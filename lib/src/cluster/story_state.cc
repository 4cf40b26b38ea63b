#include "storysift/story_state.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "simdjson.h"
#include "storysift/dedup_writer.h"
#include "storysift/json_writer.h"
#include "storysift/output_file.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

namespace fs = std::filesystem;

absl::Status Damaged(const std::string& file, size_t line, std::string_view what) {
  return absl::DataLossError(absl::StrFormat("%s:%d: %s", file, line, std::string(what)));
}

// Reads a file's lines; NotFound when absent.
absl::StatusOr<std::vector<std::string>> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

absl::Status ParseMeta(const std::string& path, StoryState* state) {
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<std::string> lines, ReadLines(path));
  if (lines.size() != 1) return Damaged(path, 1, "expected one JSON object");
  simdjson::dom::parser parser;
  simdjson::dom::element meta;
  std::string_view format;
  int64_t version = 0, next = 0, now = 0;
  if (parser.parse(lines[0]).get(meta) || meta["format"].get(format) ||
      format != "storysift-state" || meta["version"].get(version) ||
      meta["next_story"].get(next) || meta["now"].get(now) || next < 1) {
    return Damaged(path, 1, "not a storysift state header");
  }
  if (version > kStoryStateVersion) {
    return absl::UnimplementedError(absl::StrFormat(
        "%s: state version %d is newer than this storysift (%d)", path, version,
        kStoryStateVersion));
  }
  state->next_story = static_cast<uint64_t>(next);
  state->now = now;
  return absl::OkStatus();
}

absl::Status ParseStories(const std::string& path, StoryState* state) {
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<std::string> lines, ReadLines(path));
  simdjson::dom::parser parser;
  for (size_t i = 0; i < lines.size(); ++i) {
    simdjson::dom::element e;
    simdjson::dom::array members;
    std::string_view story_id;
    StoredStory story;
    if (parser.parse(lines[i]).get(e) || e["story_id"].get(story_id) ||
        e["last_active"].get(story.last_active) || e["members"].get(members)) {
      return Damaged(path, i + 1, "not a stored story");
    }
    story.story_id = std::string(story_id);
    for (simdjson::dom::element m : members) {
      std::string_view id;
      int64_t seen = 0;
      if (m["id"].get(id) || m["seen"].get(seen)) {
        return Damaged(path, i + 1, "story member without id or seen time");
      }
      story.members.push_back({std::string(id), seen});
    }
    state->stories.push_back(std::move(story));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoryState> LoadStoryState(const std::string& dir) {
  StoryState state;
  std::string from = dir;
  if (!fs::exists(from)) {
    from = dir + ".old";  // A save died between its two renames.
    if (!fs::exists(from)) return state;
  }
  STORYSIFT_RETURN_IF_ERROR(ParseMeta(from + "/meta.json", &state));
  STORYSIFT_RETURN_IF_ERROR(ParseStories(from + "/stories.jsonl", &state));
  if (fs::exists(from + "/archive.jsonl")) {
    STORYSIFT_ASSIGN_OR_RETURN(state.archived_lines, ReadLines(from + "/archive.jsonl"));
  }
  return state;
}

std::string StateDocumentsPath(const std::string& dir) {
  for (const std::string& d : {dir, dir + ".old"}) {
    if (fs::exists(d + "/documents.jsonl")) return d + "/documents.jsonl";
    if (fs::exists(d)) break;
  }
  return "";
}

std::string_view StoryStatusName(StoryStatus status) {
  switch (status) {
    case StoryStatus::kNew: return "new";
    case StoryStatus::kUpdated: return "updated";
    case StoryStatus::kUnchanged: return "unchanged";
  }
  return "new";
}

std::string FormatStoryId(uint64_t number) { return absl::StrFormat("s%04d", number); }

std::vector<StoryIdentity> AssignStoryIds(const Corpus& corpus,
                                          const std::vector<RankedStory>& stories,
                                          int64_t retention_seconds, StoryState* state) {
  absl::flat_hash_map<std::string, std::pair<uint32_t, int64_t>> previous;  // id -> story, seen
  for (uint32_t s = 0; s < state->stories.size(); ++s) {
    for (const StoryStateMember& m : state->stories[s].members) previous[m.id] = {s, m.seen};
  }
  for (const DocMeta& meta : corpus.meta) {
    if (meta.published && *meta.published > state->now) state->now = *meta.published;
  }
  // Candidate (overlap, story, previous story) matches, best first.
  struct Match {
    size_t overlap;
    uint32_t story;
    uint32_t prev;
  };
  std::vector<Match> matches;
  for (uint32_t i = 0; i < stories.size(); ++i) {
    absl::flat_hash_map<uint32_t, size_t> overlap;
    for (const RankedArticle& a : stories[i].articles) {
      auto it = previous.find(corpus.ids[a.ordinal]);
      if (it != previous.end()) ++overlap[it->second.first];
    }
    for (const auto& [prev, count] : overlap) matches.push_back({count, i, prev});
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    if (a.overlap != b.overlap) return a.overlap > b.overlap;
    if (a.story != b.story) return a.story < b.story;
    return a.prev < b.prev;
  });
  std::vector<int64_t> prev_of(stories.size(), -1);
  std::vector<bool> prev_used(state->stories.size(), false);
  for (const Match& m : matches) {
    if (prev_of[m.story] >= 0 || prev_used[m.prev]) continue;
    prev_of[m.story] = m.prev;
    prev_used[m.prev] = true;
  }
  std::vector<StoryIdentity> out(stories.size());
  for (uint32_t i = 0; i < stories.size(); ++i) {
    StoryIdentity& identity = out[i];
    std::vector<std::string> members;
    for (const RankedArticle& a : stories[i].articles) {
      const std::string& id = corpus.ids[a.ordinal];
      members.push_back(id);
      auto it = previous.find(id);
      const std::optional<int64_t>& published = corpus.meta[a.ordinal].published;
      const int64_t seen = it != previous.end() ? it->second.second
                                                : published.value_or(state->now);
      identity.last_active = std::max(identity.last_active, seen);
    }
    if (prev_of[i] < 0) {
      identity.story_id = FormatStoryId(state->next_story++);
      identity.status = StoryStatus::kNew;
    } else {
      const StoredStory& prev = state->stories[prev_of[i]];
      identity.story_id = prev.story_id;
      std::vector<std::string> before;
      for (const StoryStateMember& m : prev.members) before.push_back(m.id);
      std::sort(members.begin(), members.end());
      std::sort(before.begin(), before.end());
      identity.status = members == before ? StoryStatus::kUnchanged : StoryStatus::kUpdated;
    }
    identity.archived = identity.last_active < SecondsBefore(state->now, retention_seconds);
  }
  return out;
}

absl::Status SaveStoryState(const std::string& dir, const Corpus& corpus,
                            const std::vector<RankedStory>& stories,
                            const std::vector<StoryIdentity>& identities,
                            const std::vector<std::string>& story_lines,
                            const StoryState& state) {
  absl::flat_hash_map<std::string, int64_t> seen_before;
  for (const StoredStory& s : state.stories) {
    for (const StoryStateMember& m : s.members) seen_before[m.id] = m.seen;
  }
  const std::string temp = absl::StrCat(dir, ".tmp.", static_cast<int64_t>(::getpid()));
  std::error_code ec;
  fs::remove_all(temp, ec);
  if (!fs::create_directories(temp, ec)) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create state directory ", temp, ": ", ec.message()));
  }
  std::vector<DocOrdinal> kept;
  std::string stories_out, archive_out;
  for (const std::string& line : state.archived_lines) absl::StrAppend(&archive_out, line, "\n");
  for (size_t i = 0; i < stories.size(); ++i) {
    if (identities[i].archived) {
      absl::StrAppend(&archive_out, story_lines[i], "\n");
      continue;
    }
    std::string members = "[";
    for (const RankedArticle& a : stories[i].articles) {
      kept.push_back(a.ordinal);
      const std::string& id = corpus.ids[a.ordinal];
      auto it = seen_before.find(id);
      const int64_t seen = it != seen_before.end()
                               ? it->second
                               : corpus.meta[a.ordinal].published.value_or(state.now);
      if (members.size() > 1) members += ",";
      members += JsonObject().Str("id", id).Int("seen", seen).Finish();
    }
    members += "]";
    absl::StrAppend(&stories_out,
                    JsonObject()
                        .Str("story_id", identities[i].story_id)
                        .Int("last_active", identities[i].last_active)
                        .Raw("members", members)
                        .Finish(),
                    "\n");
  }
  std::sort(kept.begin(), kept.end());
  std::string documents_out;
  for (DocOrdinal d : kept) absl::StrAppend(&documents_out, DocumentJsonLine(corpus.documents[d]), "\n");
  const std::string meta = JsonObject()
                               .Str("format", "storysift-state")
                               .Int("version", kStoryStateVersion)
                               .Int("next_story", static_cast<int64_t>(state.next_story))
                               .Int("now", state.now)
                               .Finish() + "\n";
  STORYSIFT_RETURN_IF_ERROR(WriteFileAtomically(temp + "/documents.jsonl", documents_out));
  STORYSIFT_RETURN_IF_ERROR(WriteFileAtomically(temp + "/stories.jsonl", stories_out));
  STORYSIFT_RETURN_IF_ERROR(WriteFileAtomically(temp + "/archive.jsonl", archive_out));
  STORYSIFT_RETURN_IF_ERROR(WriteFileAtomically(temp + "/meta.json", meta));
  // Swap directories: a crash after the first rename leaves DIR.old, which
  // LoadStoryState reads.
  const std::string old = dir + ".old";
  fs::remove_all(old, ec);
  if (fs::exists(dir)) {
    fs::rename(dir, old, ec);
    if (ec) return absl::PermissionDeniedError(absl::StrCat("cannot move ", dir, ": ", ec.message()));
  }
  fs::rename(temp, dir, ec);
  if (ec) return absl::PermissionDeniedError(absl::StrCat("cannot move ", temp, ": ", ec.message()));
  fs::remove_all(old, ec);
  return absl::OkStatus();
}

}  // namespace storysift
