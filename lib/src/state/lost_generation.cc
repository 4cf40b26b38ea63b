#include "state/lost_generation.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "simdjson.h"
#include "state/durable_io.h"
#include "state/state_format.h"
#include "state/state_segments.h"
#include "storysift/date.h"

namespace storysift::internal {
namespace {

// The number of a story id ("s0042": 42); 0 for any other text.
uint64_t StoryNumber(std::string_view id) {
  uint64_t n = 0;
  if (id.size() < 2 || id[0] != 's') return 0;
  const auto [end, ec] = std::from_chars(id.data() + 1, id.data() + id.size(), n);
  return ec == std::errc() && end == id.data() + id.size() ? n : 0;
}

// The highest story number named by the "story_id" of a line of `bytes`
// (a story list, an archive or a retired file), over the lines that still
// parse; *all_parsed says whether every line did.
uint64_t HighestStoryNumber(std::string_view bytes, bool* all_parsed) {
  simdjson::dom::parser parser;
  uint64_t highest = 0;
  *all_parsed = true;
  for (const std::string& line : SplitLines(bytes)) {
    simdjson::dom::element e;
    std::string_view id;
    if (parser.parse(line).get(e) || e["story_id"].get(id)) {
      *all_parsed = false;
      continue;
    }
    highest = std::max(highest, StoryNumber(id));
  }
  return highest;
}

// The story ids a generation that recovery leaves behind may have issued:
// the next number its meta.json records, or when that is unreadable, the
// highest story id its story list and the archive files only it holds show.
struct IssuedStoryIds {
  uint64_t next_story = 0;  // 0: nothing readable shows them.
  bool from_meta = false;
  bool complete = false;  // Whether no id it issued can be missing from next_story.
};

IssuedStoryIds StoryIdsIssuedBy(const std::string& gen_dir,
                                const absl::flat_hash_set<std::string>& kept_files) {
  IssuedStoryIds issued;
  StoryState meta;
  const std::string meta_path = gen_dir + "/" + kStateMeta;
  absl::StatusOr<std::string> meta_bytes = ReadFileBytes(meta_path);
  if (meta_bytes.ok() && ParseStateMeta(meta_path, *meta_bytes, &meta).ok()) {
    issued.next_story = meta.next_story;
    issued.from_meta = issued.complete = true;
  }
  // A new story is in the story list, or in the archive file of the run
  // that made it when it was archived at once.
  for (const std::string& name : ListDirectory(gen_dir)) {
    const bool stories = name == kStateStories;
    if (!stories && !(IsGrowingFile(name) && !kept_files.contains(name))) continue;
    absl::StatusOr<std::string> bytes = ReadFileBytes(gen_dir + "/" + name);
    bool all_parsed = false;
    const uint64_t highest = bytes.ok() ? HighestStoryNumber(*bytes, &all_parsed) : 0;
    issued.next_story = std::max(issued.next_story, highest + (highest > 0));
    if (stories) issued.complete |= bytes.ok() && all_parsed;
  }
  return issued;
}

}  // namespace

StoryState ReadWhatSurvives(const std::string& gen_dir, std::vector<std::string>* doc_ids) {
  absl::StatusOr<std::string> documents = ReadFileBytes(gen_dir + "/" + kStateDocuments);
  if (documents.ok()) {
    simdjson::dom::parser parser;
    for (const std::string& line : SplitLines(*documents)) {
      simdjson::dom::element e;
      std::string_view id;
      if (!parser.parse(line).get(e) && !e["id"].get(id)) doc_ids->emplace_back(id);
    }
  }
  StoryState state;
  state.next_story = 0;
  const std::string meta_path = gen_dir + "/" + kStateMeta;
  absl::StatusOr<std::string> meta = ReadFileBytes(meta_path);
  if (!meta.ok() || !ParseStateMeta(meta_path, *meta, &state).ok()) {
    state.next_story = 0;
  }
  const std::string stories_path = gen_dir + "/" + kStateStories;
  absl::StatusOr<std::string> stories = ReadFileBytes(stories_path);
  if (!stories.ok() || !ParseStateStories(stories_path, *stories, &state).ok()) {
    state.stories.clear();
  }
  return state;
}

std::string AccountForStoryIds(const std::string& gen_dir, uint64_t generation,
                               const absl::flat_hash_set<std::string>& kept_files, bool committed,
                               uint64_t* next_story) {
  const IssuedStoryIds issued = StoryIdsIssuedBy(gen_dir, kept_files);
  *next_story = std::max(*next_story, issued.next_story);
  if (!committed || issued.from_meta) return "";
  if (issued.complete) {
    return absl::StrFormat(
        "story ids: generation %d's meta.json is unreadable; the next story id, %s, follows the "
        "highest its story files show\n",
        generation, FormatStoryId(*next_story));
  }
  return absl::StrFormat(
      "story ids: generation %d's meta.json and story list are unreadable, so which story ids "
      "it issued is not known: ids from %s on may be issued again to other stories\n",
      generation, FormatStoryId(*next_story));
}

std::string LostDocumentsLine(const StoryState& back, const StoryState& lost,
                              const std::vector<std::string>& lost_doc_ids) {
  absl::flat_hash_set<std::string> kept_ids;
  for (const StoredStory& s : back.stories) {
    for (const StoryStateMember& m : s.members) kept_ids.insert(m.id);
  }
  std::vector<std::string> lost_docs;
  absl::flat_hash_set<std::string> lost_stories;
  for (const StoredStory& s : lost.stories) {
    for (const StoryStateMember& m : s.members) {
      if (!kept_ids.contains(m.id)) {
        lost_docs.push_back(m.id);
        lost_stories.insert(s.story_id);
      }
    }
  }
  if (lost.stories.empty()) {  // Unreadable story list: the documents say.
    for (const std::string& id : lost_doc_ids) {
      if (!kept_ids.contains(id)) lost_docs.push_back(id);
    }
  }
  if (lost.stories.empty() && lost_doc_ids.empty()) {
    return "lost: whatever the runs after that generation added (the damaged generation's "
           "story list is unreadable); re-run those days\n";
  }
  return absl::StrFormat(
      "lost: %d documents%s%s%s; re-run the days after %s to get them back\n", lost_docs.size(),
      lost.stories.empty() ? std::string(" (story list unreadable)")
                           : absl::StrFormat(" in %d stories", lost_stories.size()),
      lost_docs.empty() ? "" : ": ", ShownIds(lost_docs), FormatDate(back.saved_at));
}

std::string ShownIds(const std::vector<std::string>& ids) {
  const size_t shown = std::min<size_t>(ids.size(), 20);
  return absl::StrCat(absl::StrJoin(ids.begin(), ids.begin() + shown, ", "),
                      ids.size() > shown ? ", ..." : "");
}

}  // namespace storysift::internal
