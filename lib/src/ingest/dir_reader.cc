// A directory tree: every file whose extension names a format (.jsonl
// .ndjson .json .csv .tsv .warc .txt .text .html .htm .md, each also with
// .gz/.zst/.xz), in byte order of their relative paths so that every run
// sees the same ordinals. Each file goes through the same reader as when it
// is named on its own; text files are one document whose id is the relative
// path. The walk holds one directory open at a time and the reading one
// file, so a deep tree works under a small `ulimit -n`. A file that cannot
// be read (or breaks off, e.g. a corrupt .gz) is a skipped record, not the
// end of the run.
#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
#include "ingest/reader_internal.h"

namespace storysift::internal {
namespace {

namespace fs = std::filesystem;

bool IsDocumentFile(std::string_view name) {
  return FormatFromExtension(name) != InputFormat::kAuto;
}

class DirectoryReader : public DocumentReader {
 public:
  DirectoryReader(fs::path root, std::vector<std::string> files,
                  const ReaderOptions& options)
      : root_(std::move(root)), files_(std::move(files)), options_(options) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    while (true) {
      if (reader_ != nullptr) {
        absl::StatusOr<bool> got = reader_->Next(record);
        if (got.ok() && *got) return true;
        reader_.reset();
        if (!got.ok()) {
          ResetRecord(record);
          record->doc.origin.file = current_;
          record->origin = record->doc.origin;
          SetSkip(record, kSkipUnreadable, std::string(got.status().message()));
          return true;
        }
      }
      if (next_ == files_.size()) return false;
      const std::string& rel = files_[next_++];
      current_ = (root_ / fs::path(rel)).string();
      if (absl::Status s = Open(rel); !s.ok()) {
        ResetRecord(record);
        record->doc.origin.file = current_;
        record->origin = record->doc.origin;
        SetSkip(record, kSkipUnreadable, std::string(s.message()));
        return true;
      }
    }
  }

 private:
  absl::Status Open(const std::string& rel) {
    // A FIFO or device named *.txt would block or never end: only regular
    // files (or links to them) are read.
    std::error_code ec;
    const fs::file_status status = fs::status(current_, ec);
    if (ec) return absl::InternalError(ec.message());
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
        OpenFileReader(current_, format, options_);
    if (!reader.ok()) return reader.status();
    reader_ = *std::move(reader);
    return absl::OkStatus();
  }

  fs::path root_;
  std::vector<std::string> files_;  // Relative, '/'-separated, sorted.
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

}  // namespace

absl::StatusOr<std::unique_ptr<DocumentReader>> NewDirectoryReader(
    const std::string& root, const ReaderOptions& options) {
  const fs::path root_path(root);
  std::vector<std::string> files;
  // Depth-first with an explicit stack of relative paths; each directory is
  // listed to the end (and closed) before any below it is opened.
  // Symlinked directories are not followed, so a link loop cannot make the
  // walk endless; symlinked files are read.
  std::vector<fs::path> pending = {fs::path()};
  while (!pending.empty()) {
    const fs::path rel_dir = std::move(pending.back());
    pending.pop_back();
    const fs::path dir = rel_dir.empty() ? root_path : root_path / rel_dir;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    if (ec) return FsError(dir, ec);
    for (; it != end; it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      const fs::path rel = rel_dir / entry.path().filename();
      std::error_code type_ec;
      if (entry.is_directory(type_ec) && !entry.is_symlink(type_ec)) {
        pending.push_back(rel);
        continue;
      }
      if (entry.is_directory(type_ec)) continue;  // A link to a directory.
      if (IsDocumentFile(entry.path().filename().string())) {
        files.push_back(rel.generic_string());
      }
    }
    if (ec) return FsError(dir, ec);
  }
  std::sort(files.begin(), files.end());  // Byte order.
  return std::unique_ptr<DocumentReader>(
      new DirectoryReader(root_path, std::move(files), options));
}

}  // namespace storysift::internal
