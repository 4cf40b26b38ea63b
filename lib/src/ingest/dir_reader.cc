// A directory tree: every file, in byte order of their relative paths so
// that every run sees the same ordinals. A file whose extension names a
// format (.jsonl .ndjson .json .csv .tsv .warc .txt .text .html .htm .md,
// each also with .gz/.zst/.xz) goes through the same reader as when it is
// named on its own; text files are one document whose id is the relative
// path. Any other file is read when its content is records (JSON, CSV/TSV
// with a text column, WARC: "b.gz", "f.jsonlines"), sniffed as a named file
// is; otherwise it is an unrecognised_file skip, so that nothing under the
// directory goes unseen. Hidden files (a name, or a directory on the way,
// starting with '.': .DS_Store, .git/) without such an extension are the
// system's and tools' own: read when their content is records, else not
// records at all. The walk holds one directory open at a time and the
// reading one file, so a deep tree works under a small `ulimit -n`. A file
// that cannot be read (or breaks off, e.g. a corrupt .gz), a subdirectory
// that cannot be listed, and a link to a directory read already are skipped
// records, not the end of the run.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
#include "ingest/dir_walk.h"
#include "ingest/reader_internal.h"

namespace storysift::internal {
namespace {

namespace fs = std::filesystem;

// Whether `rel` or a directory on its way is hidden ("a/.git/HEAD").
bool IsHidden(std::string_view rel) {
  return rel.starts_with('.') || rel.find("/.") != std::string_view::npos;
}

// `message` without a leading "<path>: ": the skipped record's origin names
// the path already (readers' errors start with their input's name).
std::string WithoutPath(absl::string_view status_message, std::string_view path) {
  std::string_view message(status_message.data(), status_message.size());
  if (message.starts_with(path) && message.substr(path.size()).starts_with(": ")) {
    message.remove_prefix(path.size() + 2);
  }
  return std::string(message);
}

class DirectoryReader : public DocumentReader {
 public:
  DirectoryReader(fs::path root, std::vector<WalkEntry> entries, const ReaderOptions& options)
      : root_(std::move(root)), entries_(std::move(entries)), options_(options) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    while (true) {
      if (reader_ != nullptr) {
        absl::StatusOr<bool> got = reader_->Next(record);
        if (got.ok() && *got) return true;
        reader_.reset();
        if (!got.ok()) {
          Skip(kSkipUnreadable, got.status().message(), record);
          return true;
        }
      }
      if (next_ == entries_.size()) return false;
      const WalkEntry& entry = entries_[next_++];
      current_ = (root_ / fs::path(entry.rel)).string();
      if (!entry.skip_reason.empty()) {
        Skip(entry.skip_reason, entry.message, record);
        return true;
      }
      std::string not_records;
      const absl::Status s = Open(entry.rel, &not_records);
      // A hidden file is only read for the records it holds.
      const bool system_file = IsHidden(entry.rel) && FormatFromExtension(entry.rel) ==
                                                          InputFormat::kAuto;
      if (system_file && (!s.ok() || !not_records.empty())) continue;
      if (!s.ok()) {
        Skip(kSkipUnreadable, s.message(), record);
        return true;
      }
      if (!not_records.empty()) {
        Skip(kSkipUnrecognisedFile, not_records, record);
        return true;
      }
    }
  }

 private:
  // A skipped record at the current path, whose message says it once.
  void Skip(std::string_view reason, absl::string_view message, ReadRecord* record) {
    ResetRecord(record);
    record->doc.origin.file = current_;
    record->origin = record->doc.origin;
    SetSkip(record, reason, WithoutPath(message, current_));
  }

  // Opens the file at `rel` into reader_, or says in *not_records why a
  // file whose name says no format holds no records.
  absl::Status Open(const std::string& rel, std::string* not_records) {
    // A FIFO or device named *.txt would block or never end: only regular
    // files (or links to them) are read.
    std::error_code ec;
    const fs::file_status status = fs::status(current_, ec);
    if (ec) {
      std::error_code link_ec;
      if (fs::is_symlink(fs::symlink_status(current_, link_ec))) {
        const fs::path target = fs::read_symlink(current_, link_ec);
        return absl::NotFoundError(
            absl::StrCat("broken symbolic link to ", target.string(), ": ", ec.message()));
      }
      return absl::InternalError(ec.message());
    }
    if (!fs::is_regular_file(status)) return absl::FailedPreconditionError("not a regular file");
    const InputFormat format = FormatFromExtension(rel);
    if (format == InputFormat::kText) {
      absl::StatusOr<std::unique_ptr<ByteSource>> source =
          ByteSource::OpenFile(current_, SourceOptions(options_));
      if (!source.ok()) return source.status();
      reader_ = NewTextReader(*std::move(source), rel, options_);
      return absl::OkStatus();
    }
    absl::StatusOr<std::unique_ptr<DocumentReader>> reader =
        format == InputFormat::kAuto ? OpenIfRecordFile(current_, options_, not_records)
                                     : OpenFileReader(current_, format, options_);
    if (!reader.ok()) return reader.status();
    reader_ = *std::move(reader);
    return absl::OkStatus();
  }

  fs::path root_;
  std::vector<WalkEntry> entries_;  // Sorted by rel.
  size_t next_ = 0;
  ReaderOptions options_;
  std::string current_;
  std::unique_ptr<DocumentReader> reader_;
};

absl::Status FsError(const fs::path& path, const std::error_code& ec) {
  const std::string message = absl::StrCat(path.string(), ": ", ec.message());
  if (ec == std::errc::no_such_file_or_directory) {
    return absl::NotFoundError(message);
  }
  if (ec == std::errc::permission_denied) {
    return absl::PermissionDeniedError(message);
  }
  return absl::InternalError(message);
}

// What one directory holds, as the walk needs it.
struct Child {
  std::string name;
  enum Kind { kFile, kDirectory, kLinkToDirectory } kind;
};

// Lists `dir` to the end (and closes it) before anything below it is opened.
std::error_code ListDirectory(const std::string& dir, const TreeWalkOptions& options,
                              std::vector<Child>* children) {
  children->clear();
  if (options.open_error) {
    if (const int err = options.open_error(dir); err != 0) {
      return std::error_code(err, std::generic_category());
    }
  }
  std::error_code ec;
  fs::directory_iterator it(dir, ec), end;
  if (ec) return ec;
  for (; it != end; it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::error_code type_ec;
    Child child{entry.path().filename().string(), Child::kFile};
    if (entry.is_symlink(type_ec)) {
      // Follows the link; a broken one stays a file, which the reader
      // reports as such.
      if (entry.is_directory(type_ec)) child.kind = Child::kLinkToDirectory;
    } else if (entry.is_directory(type_ec)) {
      child.kind = Child::kDirectory;
    }
    if (child.kind == Child::kFile && !options.list_files) continue;
    children->push_back(std::move(child));
  }
  if (ec) return ec;
  // Byte order, whatever order the file system lists in: which of two paths
  // to one directory is read must not depend on it.
  std::sort(children->begin(), children->end(),
            [](const Child& a, const Child& b) { return a.name < b.name; });
  return {};
}

}  // namespace

absl::StatusOr<TreeWalk> WalkTree(const std::string& root, const TreeWalkOptions& options) {
  const fs::path root_path(root);
  const auto shown = [&](const std::string& rel) {
    return rel.empty() ? root : (root_path / fs::path(rel)).string();
  };
  TreeWalk walk;
  // Marks the directory at `rel` entered; false when it cannot be (listed as
  // an unreadable skip) or was entered already by another path (a link loop,
  // a second link: nothing is lost, so nothing is listed).
  const auto enter = [&](const std::string& rel) {
    const std::string path = shown(rel);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      const int err = errno;
      walk.entries.push_back({rel, kSkipUnreadable, std::generic_category().message(err)});
      return false;
    }
    return walk.directories.try_emplace(KeyOf(st), rel).second;
  };
  struct stat root_st;
  if (::stat(root.c_str(), &root_st) != 0) {
    return FsError(root_path, std::error_code(errno, std::generic_category()));
  }
  walk.directories.try_emplace(KeyOf(root_st), "");
  // Depth-first over real directories (an explicit stack of relative paths;
  // each directory is listed to the end, and closed, before any below it is
  // opened). Links to directories wait until no real one is left, then the
  // one first in byte order is entered, so a directory's own path wins over
  // a link to it.
  std::vector<std::string> pending = {""};
  std::set<std::string> links;  // Ordered: the first in byte order is entered first.
  std::vector<Child> children;
  std::vector<std::string> subdirs;
  while (true) {
    while (!pending.empty()) {
      const std::string rel_dir = std::move(pending.back());
      pending.pop_back();
      if (const std::error_code ec = ListDirectory(shown(rel_dir), options, &children); ec) {
        if (rel_dir.empty()) return FsError(root_path, ec);
        walk.entries.push_back({rel_dir, kSkipUnreadable, ec.message()});
        continue;
      }
      subdirs.clear();
      for (Child& child : children) {
        std::string rel =
            rel_dir.empty() ? std::move(child.name) : absl::StrCat(rel_dir, "/", child.name);
        switch (child.kind) {
          case Child::kDirectory:
            subdirs.push_back(std::move(rel));
            break;
          case Child::kLinkToDirectory:
            links.insert(std::move(rel));
            break;
          case Child::kFile:
            walk.entries.push_back({std::move(rel), "", ""});
            break;
        }
      }
      // Reversed onto the stack, so that they are listed in byte order.
      for (auto it = subdirs.rbegin(); it != subdirs.rend(); ++it) {
        if (enter(*it)) pending.push_back(std::move(*it));
      }
    }
    if (links.empty()) break;
    std::string link = std::move(links.extract(links.begin()).value());
    if (enter(link)) pending.push_back(std::move(link));
  }
  std::sort(walk.entries.begin(), walk.entries.end(),
            [](const WalkEntry& a, const WalkEntry& b) { return a.rel < b.rel; });
  return walk;
}

absl::StatusOr<std::unique_ptr<DocumentReader>> NewDirectoryReader(
    const std::string& root, const ReaderOptions& options, const TreeWalkOptions& walk_options) {
  absl::StatusOr<TreeWalk> walk = WalkTree(root, walk_options);
  if (!walk.ok()) return walk.status();
  return std::unique_ptr<DocumentReader>(
      new DirectoryReader(fs::path(root), std::move(walk->entries), options));
}

absl::StatusOr<std::unique_ptr<DocumentReader>> NewDirectoryReader(const std::string& root,
                                                                   const ReaderOptions& options) {
  return NewDirectoryReader(root, options, TreeWalkOptions{});
}

}  // namespace storysift::internal
