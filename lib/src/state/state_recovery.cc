// `storysift state verify|recover`: report on a state directory, and fall
// back on purpose to the newest complete generation when the committed one
// is damaged.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "simdjson.h"
#include "state/durable_io.h"
#include "state/generation_store.h"
#include "state/state_format.h"
#include "state/state_segments.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"
#include "storysift/story_state.h"

namespace storysift {
namespace {

size_t NumDocuments(const StoryState& state) {
  size_t n = 0;
  for (const StoredStory& s : state.stories) n += s.members.size();
  return n;
}

// Reads the archive to count it: only for `state verify` and `recover`.
std::string Describe(const StoryState& state) {
  absl::StatusOr<std::vector<std::string>> archived = ReadArchivedStoryLines(state);
  return absl::StrFormat("%d stories, %d documents, %s archived stories, next story id %s",
                         state.stories.size(), NumDocuments(state),
                         archived.ok() ? absl::StrCat(archived->size()) : "unreadable",
                         FormatStoryId(state.next_story));
}

// What can still be read of a damaged generation: its meta and stories,
// when those files themselves parse (their checksums are not required), and
// the ids of the document lines that still parse.
StoryState ReadWhatSurvives(const std::string& gen_dir, std::vector<std::string>* doc_ids) {
  absl::StatusOr<std::string> documents =
      internal::ReadFileBytes(gen_dir + "/" + internal::kStateDocuments);
  if (documents.ok()) {
    simdjson::dom::parser parser;
    for (const std::string& line : internal::SplitLines(*documents)) {
      simdjson::dom::element e;
      std::string_view id;
      if (!parser.parse(line).get(e) && !e["id"].get(id)) doc_ids->emplace_back(id);
    }
  }
  StoryState state;
  state.next_story = 0;
  const std::string meta_path = gen_dir + "/" + internal::kStateMeta;
  absl::StatusOr<std::string> meta = internal::ReadFileBytes(meta_path);
  if (!meta.ok() || !internal::ParseStateMeta(meta_path, *meta, &state).ok()) {
    state.next_story = 0;
  }
  const std::string stories_path = gen_dir + "/" + internal::kStateStories;
  absl::StatusOr<std::string> stories = internal::ReadFileBytes(stories_path);
  if (!stories.ok() || !internal::ParseStateStories(stories_path, *stories, &state).ok()) {
    state.stories.clear();
  }
  return state;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

namespace {

// The options the stories were made with, as `cluster --state` compares them.
std::string RecordedOptionsLine(const StoryState& state) {
  if (!state.options) {
    return "options: none recorded (a state of an earlier version; the next run records its "
           "options)\n";
  }
  std::vector<std::string> each;
  for (const RecordedOption& o : *state.options) each.push_back(absl::StrCat(o.name, "=", o.value));
  return absl::StrCat("options: ", absl::StrJoin(each, ", "), "\n");
}

}  // namespace

absl::StatusOr<std::string> VerifyStoryState(const std::string& dir) {
  STORYSIFT_RETURN_IF_ERROR(CheckStoryStateDirectory(dir));
  STORYSIFT_ASSIGN_OR_RETURN(const uint64_t current, internal::ReadCurrent(dir));
  STORYSIFT_ASSIGN_OR_RETURN(StoryState state,
                             current == 0 ? LoadStoryState(dir)
                                          : internal::LoadGeneration(dir, current,
                                                                     /*check_archive=*/true));
  if (current == 0) {
    if (state.documents_path.empty() && state.stories.empty()) {
      return absl::StrCat(dir, ": empty state (nothing committed yet)\n");
    }
    return absl::StrCat(dir,
                        ": version-1 state (no checksums; it becomes a checksummed "
                        "generation on the next run): ",
                        Describe(state), "\n");
  }
  STORYSIFT_ASSIGN_OR_RETURN(internal::Manifest manifest, internal::ReadManifest(dir, current));
  std::string out = absl::StrFormat(
      "%s: generation %d, saved %s: %s; all %d files match "
      "their manifest (size, XXH3-64)\n",
      dir, current, FormatDate(state.saved_at), Describe(state), manifest.files.size());
  absl::StrAppend(&out, RecordedOptionsLine(state));
  if (const size_t unlisted = state.retired.size() - state.retired_id_lists.size(); unlisted > 0) {
    absl::StrAppend(&out, unlisted, unlisted == 1 ? " retired file" : " retired files",
                    " without an id list (made before session 24): the next run makes the "
                    "lists; until then a run reads those files in full\n");
  }
  if (manifest.previous == 0) {
    absl::StrAppend(&out, "previous generation: none kept\n");
  } else {
    absl::StatusOr<StoryState> previous =
        internal::LoadGeneration(dir, manifest.previous, /*check_archive=*/true);
    absl::StrAppend(&out,
                    absl::StrFormat("previous generation %d: %s\n", manifest.previous,
                                    previous.ok() ? "complete (what `state recover` "
                                                    "would fall back to)"
                                                  : std::string(previous.status().message())));
  }
  return out;
}

namespace {

// `state recover` when only files of the archive fail their checksums (or
// an id list is not its file's): a new generation without them (each kept
// aside as DIR/damaged-NAME), the stories and documents as they are, and
// the id list of each retired file left made again where it is damaged or
// missing (from the file itself: nothing is lost).
absl::StatusOr<std::string> DropDamagedArchiveFiles(const std::string& dir, uint64_t current,
                                                    const absl::Status& why) {
  STORYSIFT_ASSIGN_OR_RETURN(const internal::Manifest manifest, internal::ReadManifest(dir, current));
  const std::string gen_dir = internal::GenerationDir(dir, current);
  std::vector<internal::ManifestEntry> carried;
  std::vector<std::pair<std::string, std::string>> files;
  std::string lost;
  const auto keep_aside = [&](const internal::ManifestEntry& e) -> absl::StatusOr<std::string> {
    const std::string path = absl::StrCat(gen_dir, "/", e.name);
    const std::string aside = absl::StrCat(dir, "/damaged-", e.name);
    internal::RemoveTree(aside);
    if (::link(path.c_str(), aside.c_str()) != 0) {
      return internal::ErrnoError(errno, "cannot keep aside", path);
    }
    return aside;
  };
  std::map<std::string, internal::ManifestEntry> lists;  // By name, until their file is known.
  for (const internal::ManifestEntry& e : manifest.files) {
    const std::string path = absl::StrCat(gen_dir, "/", e.name);
    if (internal::IsRetiredIdList(e.name)) {
      lists.emplace(e.name, e);
      continue;
    }
    if (!internal::IsGrowingFile(e.name) || internal::ReadCheckedFile(path, e).ok()) {
      carried.push_back(e);
      continue;
    }
    STORYSIFT_ASSIGN_OR_RETURN(const std::string aside, keep_aside(e));
    absl::StrAppend(&lost, "lost: ", e.name, " (kept aside as ", aside, "): ",
                    internal::IsArchiveFile(e.name)
                        ? "the lines of the stories it archived"
                        : "a re-run of the days of its archived stories reads them as new",
                    "\n");
  }
  // The id lists of the retired files kept: as they are when they are
  // their file's very list, else made again from the file.
  std::vector<internal::ManifestEntry> kept_retired;
  for (const internal::ManifestEntry& e : carried) {
    if (internal::IsRetiredFile(e.name)) kept_retired.push_back(e);
  }
  for (const internal::ManifestEntry& retired : kept_retired) {
    const std::string retired_path = absl::StrCat(gen_dir, "/", retired.name);
    STORYSIFT_ASSIGN_OR_RETURN(const std::string bytes,
                               internal::ReadCheckedFile(retired_path, retired));
    STORYSIFT_ASSIGN_OR_RETURN(std::string expected,
                               internal::BuildRetiredIdList(retired_path, bytes, retired));
    const std::string name = internal::RetiredIdListName(retired.name);
    auto it = lists.find(name);
    if (it != lists.end()) {
      const internal::ManifestEntry list = it->second;
      lists.erase(it);
      absl::StatusOr<std::string> listed =
          internal::ReadCheckedFile(absl::StrCat(gen_dir, "/", name), list);
      if (listed.ok() && *listed == expected) {
        carried.push_back(list);
        continue;
      }
      STORYSIFT_ASSIGN_OR_RETURN(const std::string aside, keep_aside(list));
      absl::StrAppend(&lost, "rebuilt: ", name, " (kept aside as ", aside, ") from ",
                      retired.name, ": nothing lost\n");
    }
    files.emplace_back(name, std::move(expected));
  }
  for (const auto& [name, list] : lists) {  // Their retired file is gone.
    absl::StrAppend(&lost, "dropped: ", name, ", the id list of a retired file no longer kept\n");
  }
  internal::KeepArchiveListed(carried, &files);
  STORYSIFT_ASSIGN_OR_RETURN(internal::Manifest m,
                             internal::CommitGeneration(dir, current, files, carried));
  return absl::StrFormat(
      "damaged: %s\ngeneration %d's stories and documents verify; committed as generation %d "
      "without the damaged archive files\n%s",
      why.message(), current, m.generation, lost);
}

}  // namespace

absl::StatusOr<std::string> RecoverStoryState(const std::string& dir) {
  STORYSIFT_RETURN_IF_ERROR(CheckStoryStateDirectory(dir));
  const absl::StatusOr<uint64_t> current = internal::ReadCurrent(dir);
  std::string why;
  if (current.ok() && *current == 0 && internal::CurrentExists(dir)) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": no generation committed; nothing to recover"));
  }
  if (current.ok() && *current > 0) {
    absl::StatusOr<StoryState> live =
        internal::LoadGeneration(dir, *current, /*check_archive=*/true);
    if (live.ok()) {
      return absl::FailedPreconditionError(
          absl::StrFormat("%s: generation %d verifies; nothing to recover", dir, *current));
    }
    // Earlier generations share the archive's files (hard links): when only
    // those are damaged, going back would not help, and nothing a run needs
    // is lost by dropping them.
    if (internal::LoadGeneration(dir, *current).ok()) {
      return DropDamagedArchiveFiles(dir, *current, live.status());
    }
    why = std::string(live.status().message());
  } else if (!current.ok()) {
    why = std::string(current.status().message());
  } else {
    why = absl::StrCat(dir, "/CURRENT: missing");
  }
  // Newest complete generation older than the damaged one (any, when
  // CURRENT itself is unreadable).
  std::vector<uint64_t> generations = internal::ListGenerations(dir);
  std::reverse(generations.begin(), generations.end());
  const uint64_t damaged = current.ok() ? *current : 0;
  uint64_t target = 0;
  StoryState back;
  for (uint64_t g : generations) {
    if (damaged > 0 && g >= damaged) continue;
    absl::StatusOr<StoryState> s = internal::LoadGeneration(dir, g, /*check_archive=*/true);
    if (s.ok()) {
      target = g;
      back = *std::move(s);
      break;
    }
  }
  if (target == 0) {
    return absl::DataLossError(absl::StrCat(dir, ": ", why,
                                            "; and no complete earlier "
                                            "generation is left to go back to"));
  }
  std::string out = absl::StrCat("damaged: ", why, "\n");
  StoryState lost;
  std::vector<std::string> lost_doc_ids;
  if (damaged > 0) {
    const std::string gen_dir = internal::GenerationDir(dir, damaged);
    lost = ReadWhatSurvives(gen_dir, &lost_doc_ids);
    std::string aside = absl::StrCat(dir, "/damaged-", internal::GenerationName(damaged));
    for (int i = 2; Exists(aside); ++i) {
      aside = absl::StrCat(dir, "/damaged-", internal::GenerationName(damaged), ".", i);
    }
    STORYSIFT_RETURN_IF_ERROR(internal::RenameDurably(gen_dir, aside));
    absl::StrAppend(&out, "kept aside as ", aside, "\n");
  }
  // Ids the lost generation handed out must not be issued again.
  const uint64_t next_story = std::max(back.next_story, lost.next_story);
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
  // Commit the fallback as a new generation (its meta keeps the higher
  // next story number), so the damaged one is never named again.
  StoryState meta = back;
  meta.next_story = next_story;
  // Every other file of the generation goes on unchanged (hard links).
  STORYSIFT_ASSIGN_OR_RETURN(const internal::Manifest target_files,
                             internal::ReadManifest(dir, target));
  std::vector<internal::ManifestEntry> carried;
  for (const internal::ManifestEntry& e : target_files.files) {
    if (e.name != internal::kStateMeta) carried.push_back(e);
  }
  STORYSIFT_ASSIGN_OR_RETURN(
      internal::Manifest m,
      internal::CommitGeneration(dir, target, {{internal::kStateMeta, internal::EncodeStateMeta(meta)}},
                                 carried));
  absl::StrAppend(&out,
                  absl::StrFormat("back to generation %d (saved %s), committed as "
                                  "generation %d: %s\n",
                                  target, FormatDate(back.saved_at), m.generation, Describe(meta)));
  if (damaged == 0) {
    absl::StrAppend(&out,
                    "lost: nothing known; CURRENT was unreadable and the newest complete "
                    "generation is live again (a newer one, if CURRENT named it, was "
                    "incomplete)\n");
  } else if (lost.stories.empty() && lost_doc_ids.empty()) {
    absl::StrAppend(&out,
                    "lost: whatever the runs after that generation added (the damaged "
                    "generation's story list is unreadable); re-run those days\n");
  } else {
    std::vector<std::string> shown(lost_docs.begin(),
                                   lost_docs.begin() + std::min<size_t>(lost_docs.size(), 20));
    absl::StrAppend(&out,
                    absl::StrFormat("lost: %d documents%s%s%s; re-run the "
                                    "days after %s to get them back\n",
                                    lost_docs.size(),
                                    lost.stories.empty()
                                        ? std::string(" (story list unreadable)")
                                        : absl::StrFormat(" in %d stories", lost_stories.size()),
                                    shown.empty() ? "" : ": ", absl::StrJoin(shown, ", "),
                                    FormatDate(back.saved_at)));
  }
  return out;
}

}  // namespace storysift
