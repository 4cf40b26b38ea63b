#include "state/archive_repair.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "simdjson.h"
#include "state/durable_io.h"
#include "state/generation_store.h"
#include "state/lost_generation.h"
#include "state/state_format.h"
#include "state/state_segments.h"
#include "storysift/status_macros.h"
#include "storysift/story_state.h"

namespace storysift::internal {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// A link to (or where there are none, a copy of) the damaged file `path`.
absl::Status KeepFileAside(const std::string& path, const std::string& aside) {
  if (::link(path.c_str(), aside.c_str()) == 0) {
    return SyncDirectory(aside.substr(0, aside.rfind('/')));
  }
  STORYSIFT_ASSIGN_OR_RETURN(const std::string bytes, ReadFileBytes(path));
  return WriteNewFileDurably(aside, bytes, "state.aside");
}

// Another link (or copy) of `file` that still matches its manifest entry:
// in another generation, or one kept aside by an earlier recovery. Its path
// and bytes.
std::optional<std::pair<std::string, std::string>> FindIntactCopy(const std::string& dir,
                                                                  const GrowingFile& file) {
  struct stat damaged;
  const bool damaged_exists = ::stat(file.path.c_str(), &damaged) == 0;
  for (const std::string& holder : ListDirectory(dir)) {
    if (!IsGenerationName(holder) && holder.rfind("damaged-gen-", 0) != 0) continue;
    const std::string path = absl::StrCat(dir, "/", holder, "/", file.entry.name);
    struct stat st;
    if (path == file.path || ::stat(path.c_str(), &st) != 0 ||
        static_cast<uint64_t>(st.st_size) != file.entry.size ||
        (damaged_exists && st.st_ino == damaged.st_ino && st.st_dev == damaged.st_dev)) {
      continue;  // Another link to the damaged file is as damaged.
    }
    if (absl::StatusOr<std::string> bytes = ReadCheckedFile(path, file.entry); bytes.ok()) {
      return std::pair{path, *std::move(bytes)};
    }
  }
  return std::nullopt;
}

// The lines of a damaged retired file that still read as retired documents
// (a truncated file keeps all but its cut line).
std::vector<RetiredDocument> SalvageRetired(const std::string& path) {
  std::vector<RetiredDocument> docs;
  absl::StatusOr<std::string> bytes = ReadFileBytes(path);
  if (!bytes.ok()) return docs;
  for (const std::string& line : SplitLines(*bytes)) {
    // A line that does not parse (the cut one) is skipped, not an error.
    (void)ParseStateRetired(
        path, line, [](std::string_view) { return true; }, &docs);
  }
  return docs;
}

// The article ids of the story lines of an archive file.
std::vector<std::string> ArchivedArticleIds(std::string_view bytes) {
  std::vector<std::string> ids;
  simdjson::dom::parser parser;
  for (const std::string& line : SplitLines(bytes)) {
    simdjson::dom::element e;
    simdjson::dom::array articles;
    if (parser.parse(line).get(e) || e["articles"].get(articles)) continue;
    for (simdjson::dom::element a : articles) {
      std::string_view id;
      if (!a["id"].get(id)) ids.emplace_back(id);
    }
  }
  return ids;
}

// What dropping the retired file `file` means, with `kept` of its documents
// still read: its other documents are no longer known as archived. Which
// they are, the archive file the same run wrote (in `files`) says.
std::string RetiredDropMeaning(const GrowingFile& file, const std::vector<GrowingFile>& files,
                               const std::vector<RetiredDocument>& kept,
                               const std::string& kept_in) {
  std::string out;
  if (!kept.empty()) {
    absl::StrAppend(&out, kept.size(), " of its documents still read and are kept (in ", kept_in,
                    "); ");
  }
  const std::string archive_name =
      absl::StrCat("archive", file.entry.name.substr(std::string_view("retired").size()));
  std::optional<std::vector<std::string>> listed;
  for (const GrowingFile& f : files) {
    if (f.entry.name != archive_name) continue;
    if (f.damage.empty()) {
      listed = ArchivedArticleIds(ReadFileBytes(f.path).value_or(""));
    }
    if (!f.copy_path.empty()) listed = ArchivedArticleIds(f.copy);
  }
  const std::string whose = kept.empty() ? "its documents" : "the rest";
  std::string which = absl::StrCat(whose, " (how many, nothing left says)");
  if (listed) {
    absl::flat_hash_set<std::string> known;
    for (const RetiredDocument& d : kept) known.insert(d.id);
    std::vector<std::string> lost;
    for (std::string& id : *listed) {
      if (!known.contains(id)) lost.push_back(std::move(id));
    }
    which = absl::StrFormat("%s (%d, as %s lists them%s%s)", whose, lost.size(), archive_name,
                            lost.empty() ? "" : ": ", ShownIds(lost));
  }
  absl::StrAppend(&out, which,
                  " are no longer known as archived: a day that brought one, run again, reads it "
                  "as a new article (a new story) instead of `archived_unchanged`");
  return out;
}

// Why the id list `list` (entry `e`, its bytes checked) is not its retired
// file's very list, or "" when it is, or when the file is missing or
// damaged itself (then the file's own check says so).
std::string NotItsFilesList(const std::string& dir, uint64_t generation, const Manifest& manifest,
                            const ManifestEntry& e, std::string_view list) {
  for (const ManifestEntry& retired : manifest.files) {
    if (!IsRetiredFile(retired.name) || RetiredIdListName(retired.name) != e.name) continue;
    const std::string path = absl::StrCat(GenerationDir(dir, generation), "/", retired.name);
    absl::StatusOr<std::string> bytes = ReadCheckedFile(path, retired);
    if (!bytes.ok()) return "";
    absl::StatusOr<std::string> expected = BuildRetiredIdList(path, *bytes, retired);
    if (expected.ok() && *expected == list) return "";
    return absl::StrCat(GenerationDir(dir, generation), "/", e.name, ": not the id list of ",
                        retired.name);
  }
  return "";
}

// The id lists of the retired files the new generation keeps (with their
// bytes): carried on where the target's list is its file's very list, else
// made again from the file (a damaged list kept aside first: nothing is
// lost). The lists of dropped retired files go with them.
absl::Status RepairIdLists(const std::string& dir, uint64_t target,
                           const std::vector<std::pair<ManifestEntry, std::string>>& retired,
                           ArchiveRepair* commit) {
  STORYSIFT_ASSIGN_OR_RETURN(const Manifest manifest, ReadManifest(dir, target));
  const std::string gen_dir = GenerationDir(dir, target);
  absl::flat_hash_set<std::string> lists_used;
  for (const auto& [entry, bytes] : retired) {
    const std::string path = absl::StrCat(gen_dir, "/", entry.name);
    STORYSIFT_ASSIGN_OR_RETURN(std::string expected, BuildRetiredIdList(path, bytes, entry));
    const std::string name = RetiredIdListName(entry.name);
    lists_used.insert(name);
    const auto listed = std::find_if(manifest.files.begin(), manifest.files.end(),
                                     [&](const ManifestEntry& e) { return e.name == name; });
    if (listed != manifest.files.end()) {
      const std::string list_path = absl::StrCat(gen_dir, "/", name);
      absl::StatusOr<std::string> list = ReadCheckedFile(list_path, *listed);
      if (list.ok() && *list == expected) {
        commit->carried.push_back(*listed);
        continue;
      }
      std::string aside = "missing";
      if (Exists(list_path)) {
        aside = AsideName(dir, name);
        STORYSIFT_RETURN_IF_ERROR(KeepFileAside(list_path, aside));
        aside = absl::StrCat("kept aside as ", aside);
      }
      absl::StrAppend(&commit->report, "rebuilt: ", name, " (", aside, ") from ", entry.name,
                      ": nothing lost\n");
    }
    commit->files.emplace_back(name, std::move(expected));
  }
  for (const ManifestEntry& e : manifest.files) {
    if (IsRetiredIdList(e.name) && !lists_used.contains(e.name)) {
      absl::StrAppend(&commit->report, "dropped: ", e.name,
                      ", the id list of a retired file no longer kept\n");
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string AsideName(const std::string& dir, const std::string& name) {
  std::string aside = absl::StrCat(dir, "/damaged-", name);
  for (int i = 2; Exists(aside); ++i) aside = absl::StrCat(dir, "/damaged-", name, ".", i);
  return aside;
}

std::vector<GrowingFile> CheckGrowingFiles(const std::string& dir, uint64_t generation) {
  std::vector<GrowingFile> out;
  absl::StatusOr<Manifest> manifest = ReadManifest(dir, generation);
  if (!manifest.ok()) return out;  // LoadOwnFiles read it.
  for (const ManifestEntry& e : manifest->files) {
    if (!IsCarriedFile(e.name)) continue;
    GrowingFile file;
    file.entry = e;
    file.path = absl::StrCat(GenerationDir(dir, generation), "/", e.name);
    absl::StatusOr<std::string> bytes = ReadCheckedFile(file.path, e);
    if (bytes.ok() && IsRetiredIdList(e.name)) {
      file.damage = NotItsFilesList(dir, generation, *manifest, e, *bytes);
    } else if (!bytes.ok()) {
      file.damage = std::string(bytes.status().message());
      // An id list is made again from its retired file (RepairIdLists).
      if (IsRetiredIdList(e.name)) {
        out.push_back(std::move(file));
        continue;
      }
      if (auto copy = FindIntactCopy(dir, file)) {
        std::tie(file.copy_path, file.copy) = *std::move(copy);
      }
    }
    out.push_back(std::move(file));
  }
  return out;
}

absl::StatusOr<ArchiveRepair> RepairGrowingFiles(const std::string& dir, uint64_t target,
                                                 const std::vector<GrowingFile>& files) {
  ArchiveRepair commit;
  std::vector<RetiredDocument> salvaged;
  const std::string salvaged_name = GrowingFileName("retired", target + 1);
  // The retired files the new generation keeps, with their bytes: each
  // gets its id list (state_segments.h) checked or made again below.
  std::vector<std::pair<ManifestEntry, std::string>> kept_retired;
  for (const GrowingFile& f : files) {
    if (IsRetiredIdList(f.entry.name)) continue;  // RepairIdLists' part.
    if (f.damage.empty()) {
      commit.carried.push_back(f.entry);
      if (IsRetiredFile(f.entry.name)) {
        STORYSIFT_ASSIGN_OR_RETURN(std::string bytes, ReadCheckedFile(f.path, f.entry));
        kept_retired.emplace_back(f.entry, std::move(bytes));
      }
      continue;
    }
    if (!f.copy_path.empty()) {
      commit.files.emplace_back(f.entry.name, f.copy);
      if (IsRetiredFile(f.entry.name)) kept_retired.emplace_back(f.entry, f.copy);
      absl::StrAppend(&commit.report, "restored: ", f.entry.name, " from its intact copy ",
                      f.copy_path, "\n");
      continue;
    }
    std::string aside = "missing, nothing to keep aside";
    if (Exists(f.path)) {
      aside = AsideName(dir, f.entry.name);
      STORYSIFT_RETURN_IF_ERROR(KeepFileAside(f.path, aside));
      aside = absl::StrCat("kept aside as ", aside);
    }
    std::string meaning = "the lines of the stories it archived (`report` no longer shows them)";
    if (IsRetiredFile(f.entry.name)) {
      std::vector<RetiredDocument> kept = SalvageRetired(f.path);
      meaning = RetiredDropMeaning(f, files, kept, salvaged_name);
      for (RetiredDocument& d : kept) salvaged.push_back(std::move(d));
    }
    absl::StrAppend(&commit.report, "lost: ", f.entry.name, " (", aside, "): ", meaning, "\n");
  }
  STORYSIFT_RETURN_IF_ERROR(RepairIdLists(dir, target, kept_retired, &commit));
  if (!salvaged.empty()) {
    std::string bytes = EncodeStateRetired(salvaged);
    std::vector<uint64_t> hashes;
    for (const RetiredDocument& d : salvaged) hashes.push_back(RetiredIdHash(d.id));
    std::string list = EncodeRetiredIdList(
        std::move(hashes), {salvaged_name, bytes.size(), StateChecksum(bytes)});
    commit.files.emplace_back(salvaged_name, std::move(bytes));
    commit.files.emplace_back(RetiredIdListName(salvaged_name), std::move(list));
  }
  return commit;
}

bool AnyDamaged(const std::vector<GrowingFile>& files) {
  return std::any_of(files.begin(), files.end(),
                     [](const GrowingFile& f) { return !f.damage.empty(); });
}

}  // namespace storysift::internal
