// `storysift state verify|recover`: report on a state directory, and fall
// back on purpose to the newest complete generation when the committed one
// is damaged (or go on from a newer committed one that CURRENT no longer
// names); the archive's files are repaired or dropped on their own
// (archive_repair.h), and no story id a generation left behind issued is
// issued again (lost_generation.h).
#include <algorithm>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "state/archive_repair.h"
#include "state/durable_io.h"
#include "state/generation_store.h"
#include "state/lost_generation.h"
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

namespace {

// DIR/OUTPUTS, checked: readable, and naming no generation newer than the
// committed one (a newer committed generation that is still here is
// FindNewerCommittedGeneration's). The generation it names.
absl::StatusOr<uint64_t> CheckOutputsPointer(const std::string& dir, uint64_t current) {
  STORYSIFT_ASSIGN_OR_RETURN(const uint64_t outputs, internal::ReadOutputsPointer(dir));
  if (outputs > current) {
    return absl::DataLossError(absl::StrFormat(
        "%s/%s: names generation %d, newer than the committed generation %d, and it is not "
        "here (run `storysift state recover`)",
        dir, internal::kOutputsPointer, outputs, current));
  }
  return outputs;
}

// Whether the run that committed `state` has written its outputs.
std::string OutputsLine(const StoryState& state, uint64_t outputs) {
  if (!state.run) return "";
  if (outputs >= state.generation) {
    return absl::StrFormat("outputs: written by the run that committed generation %d\n",
                           state.generation);
  }
  return absl::StrFormat(
      "outputs: the run that committed generation %d ended before its outputs were all written "
      "(OUTPUTS names generation %d): its input run again writes them\n",
      state.generation, outputs);
}

}  // namespace

absl::StatusOr<std::string> VerifyStoryState(const std::string& dir) {
  STORYSIFT_RETURN_IF_ERROR(CheckStoryStateDirectory(dir));
  STORYSIFT_ASSIGN_OR_RETURN(const uint64_t current, internal::ReadCurrent(dir));
  if (const internal::NewerCommitted newer = internal::FindNewerCommittedGeneration(dir, current);
      newer.generation > 0 && internal::CurrentExists(dir)) {
    return internal::CurrentWentBack(dir, current, newer);
  }
  STORYSIFT_ASSIGN_OR_RETURN(StoryState state,
                             current == 0 ? LoadStoryState(dir)
                                          : internal::LoadGeneration(dir, current,
                                                                     /*check_archive=*/true));
  STORYSIFT_ASSIGN_OR_RETURN(const uint64_t outputs, CheckOutputsPointer(dir, current));
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
  absl::StrAppend(&out, RecordedOptionsLine(state), OutputsLine(state, outputs));
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

using internal::GrowingFile;
using internal::ManifestEntry;

// A generation's own files, all but the archive's: each matches its
// manifest, and they load (LoadGeneration's checks but the archive's, which
// the generations share: recovery repairs or drops those on its own).
absl::StatusOr<StoryState> LoadOwnFiles(const std::string& dir, uint64_t generation) {
  STORYSIFT_ASSIGN_OR_RETURN(const internal::Manifest manifest,
                             internal::ReadManifest(dir, generation));
  const std::string gen_dir = internal::GenerationDir(dir, generation);
  StoryState state;
  state.generation = generation;
  state.saved_at = manifest.saved_at;
  std::optional<std::string> meta, stories, documents;
  for (const ManifestEntry& e : manifest.files) {
    if (internal::IsCarriedFile(e.name)) continue;
    STORYSIFT_ASSIGN_OR_RETURN(std::string bytes,
                               internal::ReadCheckedFile(absl::StrCat(gen_dir, "/", e.name), e));
    if (e.name == internal::kStateMeta) meta = std::move(bytes);
    if (e.name == internal::kStateStories) stories = std::move(bytes);
    if (e.name == internal::kStateDocuments) documents = std::move(bytes);
  }
  const auto path = [&](const char* name) { return absl::StrCat(gen_dir, "/", name); };
  for (const auto& [name, bytes] :
       {std::pair{internal::kStateMeta, &meta}, std::pair{internal::kStateStories, &stories},
        std::pair{internal::kStateDocuments, &documents}}) {
    if (!bytes->has_value()) {
      return absl::DataLossError(absl::StrCat(gen_dir, "/MANIFEST: does not list ", name));
    }
  }
  STORYSIFT_RETURN_IF_ERROR(internal::ParseStateMeta(path(internal::kStateMeta), *meta, &state));
  STORYSIFT_RETURN_IF_ERROR(
      internal::ParseStateStories(path(internal::kStateStories), *stories, &state));
  if (NumDocuments(state) != internal::CountLines(*documents)) {
    return absl::DataLossError(absl::StrFormat(
        "%s: %d documents for the %d story members of %s", path(internal::kStateDocuments),
        internal::CountLines(*documents), NumDocuments(state), internal::kStateStories));
  }
  internal::CollectSegments(gen_dir, manifest, &state);
  state.documents_path = path(internal::kStateDocuments);
  return state;
}

// The newest generation whose own files load, among `generations`
// (descending) below `below` (0: any).
uint64_t NewestLoadable(const std::string& dir, uint64_t below, StoryState* state) {
  std::vector<uint64_t> generations = internal::ListGenerations(dir);
  for (auto g = generations.rbegin(); g != generations.rend(); ++g) {
    if (below > 0 && *g >= below) continue;
    if (absl::StatusOr<StoryState> s = LoadOwnFiles(dir, *g); s.ok()) {
      *state = *std::move(s);
      return *g;
    }
  }
  return 0;
}

// Where recovery goes on from, and why it is needed.
struct RecoveryPlan {
  std::optional<uint64_t> current;  // What CURRENT names, when it reads.
  uint64_t target = 0;              // The generation recovery goes on from.
  StoryState back;                  // Its state.
  std::string why;                  // What is damaged ("" when only archive files are).
  bool newer = false;               // CURRENT went back: target is newer.
};

RecoveryPlan PlanRecovery(const std::string& dir) {
  RecoveryPlan plan;
  const absl::StatusOr<uint64_t> current = internal::ReadCurrent(dir);
  if (!current.ok()) {
    plan.why = std::string(current.status().message());
  } else if (*current == 0 && !internal::CurrentExists(dir)) {
    plan.why = absl::StrCat(dir, "/CURRENT: missing");
  } else {
    plan.current = *current;
  }
  if (plan.current) {
    if (const internal::NewerCommitted newer =
            internal::FindNewerCommittedGeneration(dir, *plan.current);
        newer.generation > 0) {
      plan.why = std::string(internal::CurrentWentBack(dir, *plan.current, newer).message());
      plan.newer = true;
    } else if (*plan.current > 0) {
      absl::StatusOr<StoryState> live = LoadOwnFiles(dir, *plan.current);
      if (live.ok()) {
        plan.target = *plan.current;
        plan.back = *std::move(live);
        return plan;
      }
      plan.why = std::string(live.status().message());
      plan.target = NewestLoadable(dir, *plan.current, &plan.back);
      return plan;
    }
  }
  // CURRENT unreadable, or behind a newer committed generation: the newest
  // complete generation of all.
  plan.target = NewestLoadable(dir, 0, &plan.back);
  return plan;
}

// `state recover` when only DIR/OUTPUTS is damaged (or names a generation
// that is not here): it names the committed generation again.
absl::StatusOr<std::string> RewriteOutputsPointer(const std::string& dir, uint64_t current,
                                                  const absl::Status& why) {
  STORYSIFT_RETURN_IF_ERROR(internal::MarkOutputsWritten(dir, current));
  return absl::StrFormat(
      "damaged: %s\n%s/%s rewritten naming generation %d, the committed one: the outputs of the "
      "run that committed it are taken as written (a damaged mark cannot tell; its input run "
      "again is now a re-run, every story `unchanged`)\nlost: nothing of the stories\n",
      why.message(), dir, internal::kOutputsPointer, current);
}

}  // namespace

absl::StatusOr<std::string> RecoverStoryState(const std::string& dir) {
  STORYSIFT_RETURN_IF_ERROR(CheckStoryStateDirectory(dir));
  const RecoveryPlan plan = PlanRecovery(dir);
  if (plan.current == 0u && plan.why.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": no generation committed; nothing to recover"));
  }
  if (plan.target == 0) {
    return absl::DataLossError(absl::StrCat(dir, ": ", plan.why,
                                            "; and no complete earlier "
                                            "generation is left to go back to"));
  }
  const std::vector<GrowingFile> growing = internal::CheckGrowingFiles(dir, plan.target);
  const bool live_goes_on = plan.current == plan.target;
  const absl::StatusOr<uint64_t> outputs =
      live_goes_on ? CheckOutputsPointer(dir, plan.target) : internal::ReadOutputsPointer(dir);
  if (live_goes_on && !internal::AnyDamaged(growing)) {
    if (outputs.ok()) {
      return absl::FailedPreconditionError(
          absl::StrFormat("%s: generation %d verifies; nothing to recover", dir, plan.target));
    }
    return RewriteOutputsPointer(dir, plan.target, outputs.status());
  }
  std::string out;
  if (!plan.why.empty()) absl::StrAppend(&out, "damaged: ", plan.why, "\n");
  for (const GrowingFile& f : growing) {
    if (!f.damage.empty()) absl::StrAppend(&out, "damaged: ", f.damage, "\n");
  }
  if (live_goes_on && !outputs.ok()) {
    absl::StrAppend(&out, "damaged: ", outputs.status().message(), "\n");
  }
  // The generations past the one recovery goes on from (the damaged live
  // one, or those a CURRENT that went back or cannot be read leaves) are
  // kept aside; the story ids they may have issued are never issued again.
  absl::flat_hash_set<std::string> kept_files;
  for (const GrowingFile& f : growing) kept_files.insert(f.entry.name);
  uint64_t next_story = plan.back.next_story;
  StoryState lost;
  std::vector<std::string> lost_doc_ids;
  std::string ids_line;
  for (uint64_t g : internal::ListGenerations(dir)) {
    if (g <= plan.target) continue;
    const std::string gen_dir = internal::GenerationDir(dir, g);
    const bool lost_live = plan.current == g;
    if (lost_live) lost = internal::ReadWhatSurvives(gen_dir, &lost_doc_ids);
    absl::StrAppend(&ids_line, internal::AccountForStoryIds(gen_dir, g, kept_files,
                                                            lost_live || plan.newer, &next_story));
    const std::string aside = internal::AsideName(dir, internal::GenerationName(g));
    STORYSIFT_RETURN_IF_ERROR(internal::RenameDurably(gen_dir, aside));
    absl::StrAppend(&out, "kept aside as ", aside, "\n");
  }
  STORYSIFT_ASSIGN_OR_RETURN(const internal::ArchiveRepair repair,
                             internal::RepairGrowingFiles(dir, plan.target, growing));
  // A new generation (its meta keeps the higher next story number), so that
  // the damaged one is never named again. No run made it: it has no run
  // record, and so no outputs that a run could have left unwritten.
  StoryState meta = plan.back;
  meta.next_story = next_story;
  meta.run.reset();
  std::vector<std::pair<std::string, std::string>> files = {
      {internal::kStateMeta, internal::EncodeStateMeta(meta)}};
  files.insert(files.end(), repair.files.begin(), repair.files.end());
  std::vector<ManifestEntry> carried = repair.carried;
  STORYSIFT_ASSIGN_OR_RETURN(const internal::Manifest target_files,
                             internal::ReadManifest(dir, plan.target));
  for (const ManifestEntry& e : target_files.files) {
    if (e.name != internal::kStateMeta && !internal::IsCarriedFile(e.name)) carried.push_back(e);
  }
  internal::KeepArchiveListed(carried, &files);
  STORYSIFT_ASSIGN_OR_RETURN(const internal::Manifest m,
                             internal::CommitGeneration(dir, plan.target, files, carried));
  STORYSIFT_RETURN_IF_ERROR(internal::MarkOutputsWritten(dir, m.generation));
  const absl::StatusOr<StoryState> now =
      internal::LoadGeneration(dir, m.generation, /*check_archive=*/true);
  const std::string described = now.ok() ? Describe(*now) : std::string(now.status().message());
  if (live_goes_on) {
    absl::StrAppend(
        &out, absl::StrFormat("generation %d's stories and documents verify; committed as "
                              "generation %d with its damaged archive files put back from an "
                              "intact copy, or dropped where none is left: %s\n",
                              plan.target, m.generation, described));
  } else if (plan.newer) {
    absl::StrAppend(&out, absl::StrFormat("generation %d, the newest complete one, goes on "
                                          "(CURRENT named generation %d), committed as "
                                          "generation %d: %s\n",
                                          plan.target, *plan.current, m.generation, described));
  } else {
    absl::StrAppend(&out, absl::StrFormat("back to generation %d (saved %s), committed as "
                                          "generation %d: %s\n",
                                          plan.target, FormatDate(plan.back.saved_at), m.generation,
                                          described));
  }
  absl::StrAppend(&out, repair.report);
  if (live_goes_on && plan.back.run && outputs.ok() && *outputs < plan.target) {
    absl::StrAppendFormat(&out,
                          "lost: the outputs of the run that committed generation %d, which "
                          "ended before it wrote them all, can no longer be written again (its "
                          "stories are in the state)\n",
                          plan.target);
  }
  if (plan.newer && plan.current < plan.target) {
    absl::StrAppendFormat(&out,
                          "lost: nothing (generation %d, which CURRENT named, is older: what it "
                          "held, generation %d holds)\n",
                          *plan.current, plan.target);
  } else if (!plan.current) {
    absl::StrAppend(&out,
                    "lost: nothing known; CURRENT was unreadable and the newest complete "
                    "generation is live again (a newer one, if CURRENT named it, was "
                    "incomplete)\n");
  } else if (*plan.current > plan.target) {
    absl::StrAppend(&out, internal::LostDocumentsLine(plan.back, lost, lost_doc_ids));
  }
  absl::StrAppend(&out, ids_line);
  return out;
}

}  // namespace storysift
