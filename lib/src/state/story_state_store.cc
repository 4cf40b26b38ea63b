// Loading and saving the daily story state (storysift/story_state.h) through
// the generation store.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "state/durable_io.h"
#include "state/fault_point.h"
#include "state/generation_store.h"
#include "state/state_format.h"
#include "state/state_segments.h"
#include "io/json_writer.h"
#include "io/output_file.h"
#include "storysift/status_macros.h"
#include "storysift/story_state.h"
#include "xxhash.h"

namespace storysift {
namespace {

using internal::ListDirectory;
using internal::RemoveTree;

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// A version-1 state: the files directly in `from` (DIR, or DIR.old when a
// save died between its two renames). No checksums; parse errors are
// DataLoss. Member hashes come from the documents file.
absl::StatusOr<StoryState> LoadVersion1(const std::string& from) {
  StoryState state;
  const std::string meta_path = from + "/" + internal::kStateMeta;
  const std::string stories_path = from + "/" + internal::kStateStories;
  STORYSIFT_ASSIGN_OR_RETURN(std::string meta, internal::ReadFileBytes(meta_path));
  STORYSIFT_RETURN_IF_ERROR(internal::ParseStateMeta(meta_path, meta, &state));
  STORYSIFT_ASSIGN_OR_RETURN(std::string stories, internal::ReadFileBytes(stories_path));
  STORYSIFT_RETURN_IF_ERROR(internal::ParseStateStories(stories_path, stories, &state));
  struct stat archive;
  const std::string archive_path = from + "/" + internal::kStateArchive;
  if (::stat(archive_path.c_str(), &archive) == 0) {  // No checksum in version 1.
    state.archive.push_back({archive_path, internal::kStateArchive,
                             static_cast<uint64_t>(archive.st_size), std::nullopt});
  }
  const std::string documents = from + "/" + internal::kStateDocuments;
  if (!Exists(documents)) {
    if (!state.stories.empty()) {
      return absl::DataLossError(absl::StrCat(documents, ": missing"));
    }
    return state;
  }
  absl::flat_hash_map<std::string, uint64_t> hashes;
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<DocumentReader> reader,
                             OpenReader(documents, StateDocumentReaderOptions()));
  ReadRecord record;
  size_t lines = 0;
  while (true) {
    record = ReadRecord();
    STORYSIFT_ASSIGN_OR_RETURN(const bool got, reader->Next(&record));
    if (!got) break;
    ++lines;
    if (record.skipped()) {
      return absl::DataLossError(absl::StrCat(record.origin.ToString(), ": ", record.message));
    }
    hashes[record.doc.id] = DocumentContentHash(record.doc);
  }
  size_t members = 0;
  for (StoredStory& s : state.stories) {
    for (StoryStateMember& m : s.members) {
      ++members;
      auto it = hashes.find(m.id);
      if (it == hashes.end()) {
        return absl::DataLossError(
            absl::StrCat(documents, ": no document for story member ", m.id));
      }
      m.content_hash = it->second;
    }
  }
  if (lines != members) {
    return absl::DataLossError(
        absl::StrFormat("%s: %d documents for %d story members", documents, lines, members));
  }
  state.documents_path = documents;
  return state;
}

}  // namespace

std::string StateLockPath(const std::string& dir) { return dir + "/LOCK"; }

ReaderOptions StateDocumentReaderOptions() {
  ReaderOptions options;
  options.format = InputFormat::kJsonl;
  options.max_doc_bytes = 0;  // Already cut when first read.
  options.max_line_bytes = 0;
  return options;
}

uint64_t DocumentContentHash(const Document& doc) {
  // Length-prefixed fields, so ("ab","c") and ("a","bc") differ.
  std::string key;
  for (const std::string* s : {&doc.title, &doc.text, &doc.source, &doc.url}) {
    absl::StrAppend(&key, s->size(), ":", *s, "|");
  }
  absl::StrAppend(&key, doc.published ? absl::StrCat(*doc.published) : "-");
  return XXH3_64bits_withSeed(key.data(), key.size(), 0x444F43484153484Bull);
}

namespace {

// Whether DIR holds what a state is made of: CURRENT, a generation, or a
// version-1 state (its meta.json in DIR, or in DIR.old after an
// interrupted save; a mere DIR.old beside it, such as yesterday's input
// directory, is not one).
bool HoldsAState(const std::string& dir) {
  return internal::CurrentExists(dir) || !internal::ListGenerations(dir).empty() ||
         Exists(dir + "/" + internal::kStateMeta) ||
         Exists(dir + ".old/" + internal::kStateMeta);
}

// What a first run may find in its directory besides nothing: the LOCK and
// CURRENT.tmp of a first run that died before its CURRENT (or the LOCK an
// earlier version's reader made), a file system's own lost+found, and
// hidden files, the system's and tools' own (.gitkeep, .DS_Store); and,
// since the directory is listed before the lock is taken, whatever another
// writer's first run makes meanwhile (CURRENT, OUTPUTS, a generation).
bool FineInANewState(const std::string& name) {
  return name == "LOCK" || name.rfind("CURRENT", 0) == 0 || name.rfind("OUTPUTS", 0) == 0 ||
         internal::IsGenerationName(name) || name == "lost+found" || name[0] == '.';
}

absl::Status NotAStateDirectory(const std::string& dir, const std::string& why) {
  return absl::FailedPreconditionError(
      absl::StrCat(dir, " is not a storysift state directory (", why, ")"));
}

// A `cluster --state` directory must be new, empty or a state: a state
// written among other files would mix with them (and its cleanup would
// prune names that look like its own).
absl::Status CheckDirectoryForUpdate(const std::string& dir) {
  if (!IsDirectory(dir) || HoldsAState(dir)) return absl::OkStatus();
  std::vector<std::string> others;
  for (const std::string& name : ListDirectory(dir)) {
    if (!FineInANewState(name)) others.push_back(name);
  }
  if (others.empty()) return absl::OkStatus();
  const size_t shown = std::min<size_t>(others.size(), 3);
  return NotAStateDirectory(
      dir, absl::StrCat("it holds other files: ",
                        absl::StrJoin(others.begin(), others.begin() + shown, ", "),
                        others.size() > shown ? absl::StrCat(", ... (", others.size(), " in all)")
                                              : "",
                        "; a state directory must be new, empty or one that `cluster --state` "
                        "made, so that the state never mixes with other files"));
}

}  // namespace

absl::Status CheckStoryStateDirectory(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::NotFoundError(dir + ": no such state directory");
    return internal::ErrnoError(errno, "cannot read state directory", dir);
  }
  if (!S_ISDIR(st.st_mode)) return NotAStateDirectory(dir, "not a directory");
  if (HoldsAState(dir)) return absl::OkStatus();
  return NotAStateDirectory(dir,
                            "it holds no CURRENT, no gen-* generation and no version-1 "
                            "meta.json; `cluster --state DIR` makes one");
}

absl::StatusOr<FileLock> LockStoryStateForReading(const std::string& dir, double wait_seconds) {
  // Checked first, so that a reader pointed at some other directory (the
  // day's input) creates no LOCK file in it. A state's own LOCK may be made:
  // the shared lock is what keeps a writer from pruning the generation
  // being read.
  STORYSIFT_RETURN_IF_ERROR(CheckStoryStateDirectory(dir));
  return FileLock::Acquire(StateLockPath(dir), LockMode::kShared, wait_seconds);
}

absl::StatusOr<FileLock> LockStoryStateForUpdate(const std::string& dir, double wait_seconds) {
  std::error_code ec;
  STORYSIFT_RETURN_IF_ERROR(CheckDirectoryForUpdate(dir));
  if (!IsDirectory(dir)) {
    // A symlink to a directory still to be made: make its target.
    std::filesystem::create_directories(ResolveOutputPath(dir), ec);
    if (ec) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot create state directory ", dir, ": ", ec.message()));
    }
  }
  STORYSIFT_ASSIGN_OR_RETURN(
      FileLock lock, FileLock::Acquire(StateLockPath(dir), LockMode::kExclusive, wait_seconds));
  // With the lock held nothing else writes here: whatever no committed
  // generation needs is a crashed run's and goes. A damaged CURRENT keeps
  // everything, for `state recover`.
  absl::StatusOr<uint64_t> current = internal::ReadCurrent(dir);
  if (!current.ok()) return lock;
  if (!internal::CurrentExists(dir)) {
    // A CURRENT missing beside generations is damage: keep them.
    if (!internal::ListGenerations(dir).empty()) return lock;
    STORYSIFT_RETURN_IF_ERROR(internal::PointCurrentAt(dir, 0));
  }
  // A committed generation newer than CURRENT means CURRENT went back (a
  // restored backup): pruning it would delete a published day, and the
  // next run would issue its story ids again.
  if (const internal::NewerCommitted newer = internal::FindNewerCommittedGeneration(dir, *current);
      newer.generation > 0) {
    return internal::CurrentWentBack(dir, *current, newer);
  }
  uint64_t previous = 0;
  if (*current > 0) {
    absl::StatusOr<internal::Manifest> m = internal::ReadManifest(dir, *current);
    if (!m.ok()) return lock;
    previous = m->previous;
  }
  internal::RemoveOrphans(dir, *current, previous);
  return lock;
}

absl::StatusOr<StoryState> LoadStoryState(const std::string& dir) {
  std::optional<std::string> unused;
  return internal::LoadStoryState(dir, &unused);
}

absl::StatusOr<StoryState> internal::LoadStoryState(const std::string& dir,
                                                    std::optional<std::string>* documents_bytes) {
  documents_bytes->reset();
  if (!IsDirectory(dir)) {
    if (IsDirectory(dir + ".old")) return LoadVersion1(dir + ".old");
    if (Exists(dir)) return absl::FailedPreconditionError(dir + ": not a directory");
    return StoryState();
  }
  STORYSIFT_ASSIGN_OR_RETURN(const uint64_t current, internal::ReadCurrent(dir));
  // Not the stale generation an older CURRENT names (`report DIR` would
  // show it, and a run would build on it).
  if (const internal::NewerCommitted newer = internal::FindNewerCommittedGeneration(dir, current);
      newer.generation > 0 && internal::CurrentExists(dir)) {
    return internal::CurrentWentBack(dir, current, newer);
  }
  if (current > 0) {
    std::string bytes;
    STORYSIFT_ASSIGN_OR_RETURN(StoryState state,
                               internal::LoadGeneration(dir, current, false, &bytes));
    *documents_bytes = std::move(bytes);
    return state;
  }
  if (Exists(dir + "/" + internal::kStateMeta)) return LoadVersion1(dir);
  if (IsDirectory(dir + ".old")) return LoadVersion1(dir + ".old");
  if (!internal::CurrentExists(dir) && !internal::ListGenerations(dir).empty()) {
    return absl::DataLossError(absl::StrCat(dir,
                                            "/CURRENT: missing beside generation "
                                            "directories (run `storysift state recover`)"));
  }
  return StoryState();
}

std::string StateDocumentsPath(const std::string& dir) {
  absl::StatusOr<StoryState> state = LoadStoryState(dir);
  return state.ok() ? state->documents_path : "";
}

namespace {

// Each retired file's id list, for the next generation: the state's own,
// carried on, or one made now for a file without (an earlier session's or
// version's retired file: read once, here, so that later runs need not).
absl::Status CarryIdLists(const StoryState& state,
                          std::vector<std::pair<std::string, std::string>>* files,
                          std::vector<internal::ManifestEntry>* carried) {
  for (const StateSegment& retired : state.retired) {
    if (const StateSegment* list = internal::IdListOf(state, retired); list != nullptr) {
      carried->push_back(internal::EntryOf(*list));
      continue;
    }
    STORYSIFT_ASSIGN_OR_RETURN(const std::string bytes, internal::ReadSegment(retired));
    STORYSIFT_ASSIGN_OR_RETURN(
        std::string list,
        internal::BuildRetiredIdList(retired.path, bytes, internal::EntryOf(retired)));
    files->emplace_back(internal::RetiredIdListName(retired.name), std::move(list));
  }
  return absl::OkStatus();
}

// The archive of the next generation: what `state` holds, carried on
// unchanged (a version-1 state's file, which has no manifest entry to link
// by, is written again, once), then this run's files.
absl::Status CarryArchive(const StoryState& state, const std::string& archive_out,
                          const std::vector<RetiredDocument>& retired,
                          std::vector<std::pair<std::string, std::string>>* files,
                          std::vector<internal::ManifestEntry>* carried) {
  for (const std::vector<StateSegment>* segments : {&state.archive, &state.retired}) {
    for (const StateSegment& segment : *segments) {
      if (segment.checksum) {
        carried->push_back(internal::EntryOf(segment));
      } else {
        STORYSIFT_ASSIGN_OR_RETURN(std::string bytes, internal::ReadFileBytes(segment.path));
        files->emplace_back(segment.name, std::move(bytes));
      }
    }
  }
  STORYSIFT_RETURN_IF_ERROR(CarryIdLists(state, files, carried));
  internal::KeepArchiveListed(*carried, files);
  const uint64_t next = state.generation + 1;
  if (!archive_out.empty()) {
    files->emplace_back(internal::GrowingFileName("archive", next), archive_out);
  }
  if (!retired.empty()) {
    const std::string name = internal::GrowingFileName("retired", next);
    std::string bytes = internal::EncodeStateRetired(retired);
    std::vector<uint64_t> hashes;
    for (const RetiredDocument& doc : retired) hashes.push_back(internal::RetiredIdHash(doc.id));
    std::string list = internal::EncodeRetiredIdList(
        std::move(hashes), {name, bytes.size(), internal::StateChecksum(bytes)});
    files->emplace_back(name, std::move(bytes));
    files->emplace_back(internal::RetiredIdListName(name), std::move(list));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SaveStoryState(const std::string& dir, const DocumentTable& corpus, const StoryRun& run,
                            const std::vector<std::string>& story_lines, const StoryState& state) {
  std::vector<DocOrdinal> kept;
  std::string stories_out, archive_out;  // archive_out: this run's archived stories.
  std::vector<RetiredDocument> retired;  // And their documents.
  for (size_t i = 0; i < run.stories.size(); ++i) {
    const StoryIdentity& story = run.stories[i];
    if (story.status == StoryStatus::kMerged) continue;
    if (story.archived) {
      absl::StrAppend(&archive_out, story_lines[i], "\n");
      // Its documents leave the state, but are known again by id and content.
      for (DocOrdinal d : story.members) {
        retired.push_back(
            {corpus.ids[d], story.story_id, DocumentContentHash(corpus.documents[d])});
      }
      continue;
    }
    std::string members = "[";
    for (DocOrdinal d : story.members) {
      kept.push_back(d);
      if (members.size() > 1) members += ",";
      members += JsonObject()
                     .Str("id", corpus.ids[d])
                     .Int("seen", run.seen[d])
                     .Str("hash", internal::ChecksumHex(DocumentContentHash(corpus.documents[d])))
                     .Finish();
    }
    members += "]";
    absl::StrAppend(&stories_out,
                    JsonObject()
                        .Str("story_id", story.story_id)
                        .Int("last_active", story.last_active)
                        .Raw("members", members)
                        .Finish(),
                    "\n");
  }
  std::sort(kept.begin(), kept.end());
  std::string documents_out;
  for (DocOrdinal d : kept) {
    absl::StrAppend(&documents_out, internal::EncodeStateDocument(corpus.documents[d]), "\n");
  }
  std::vector<std::pair<std::string, std::string>> files = {
      {internal::kStateMeta, internal::EncodeStateMeta(state)},
      {internal::kStateStories, std::move(stories_out)},
      {internal::kStateDocuments, std::move(documents_out)}};
  std::vector<internal::ManifestEntry> carried;
  STORYSIFT_RETURN_IF_ERROR(CarryArchive(state, archive_out, retired, &files, &carried));
  STORYSIFT_RETURN_IF_ERROR(
      internal::CommitGeneration(dir, state.generation, files, carried).status());
  // A version-1 state is migrated: its files go only now that the
  // generation that replaces them is committed.
  for (const char* name : {internal::kStateMeta, internal::kStateStories, internal::kStateDocuments,
                           internal::kStateArchive}) {
    const std::string path = absl::StrCat(dir, "/", name);
    if (Exists(path)) {
      RemoveTree(path);
      internal::FaultPoint("state.legacy_removed");
    }
  }
  if (IsDirectory(dir + ".old")) RemoveTree(dir + ".old");
  return absl::OkStatus();
}

}  // namespace storysift
