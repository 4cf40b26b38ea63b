// A directory tree of .txt/.html/.htm/.md files, one document each, in byte
// order of their relative paths so that every run sees the same ordinals.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
#include "ingest/reader_internal.h"

namespace storysift::internal {
namespace {

namespace fs = std::filesystem;

bool HasSuffixIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         EqualsIgnoreCaseAscii(s.substr(s.size() - suffix.size()), suffix);
}

bool IsHtml(std::string_view name) {
  return HasSuffixIgnoreCase(name, ".html") || HasSuffixIgnoreCase(name, ".htm");
}

bool IsDocumentFile(std::string_view name) {
  return IsHtml(name) || HasSuffixIgnoreCase(name, ".txt") ||
         HasSuffixIgnoreCase(name, ".md");
}

class DirectoryReader : public DocumentReader {
 public:
  DirectoryReader(fs::path root, std::vector<std::string> files,
                  const ReaderOptions& options)
      : root_(std::move(root)), files_(std::move(files)), options_(options) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    if (next_ == files_.size()) return false;
    const std::string& rel = files_[next_++];
    ResetRecord(record);
    record->doc.origin.file = (root_ / fs::path(rel)).string();
    record->origin = record->doc.origin;
    // A FIFO or device named *.txt would block or never end: only regular
    // files (or links to them) are read.
    std::error_code ec;
    const fs::file_status status = fs::status(record->origin.file, ec);
    if (ec) {
      SetSkip(record, kSkipUnreadable, ec.message());
      return true;
    }
    if (!fs::is_regular_file(status)) {
      SetSkip(record, kSkipUnreadable, "not a regular file");
      return true;
    }
    FILE* file = std::fopen(record->origin.file.c_str(), "rb");
    if (file == nullptr) {
      SetSkip(record, kSkipUnreadable, std::strerror(errno));
      return true;
    }
    std::unique_ptr<ByteSource> source =
        ByteSource::FromFile(file, /*owned=*/true, record->origin.file);
    std::string content;
    bool truncated;
    if (absl::Status s = ReadAllBytes(source.get(), options_.max_doc_bytes,
                                      &content, &truncated);
        !s.ok()) {
      SetSkip(record, kSkipUnreadable, std::string(s.message()));
      return true;
    }
    BuildFileDocument(std::move(content), truncated, rel, IsHtml(rel),
                      options_, record);
    return true;
  }

 private:
  fs::path root_;
  std::vector<std::string> files_;  // Relative, '/'-separated, sorted.
  size_t next_ = 0;
  ReaderOptions options_;
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
  std::error_code ec;
  // Symlinked directories are not followed (the default), so a link loop
  // cannot make the walk endless; symlinked files are read.
  fs::recursive_directory_iterator it(root_path, ec), end;
  if (ec) return FsError(root_path, ec);
  std::vector<std::string> files;
  for (; it != end; it.increment(ec)) {
    if (ec) return FsError(root_path, ec);
    const fs::directory_entry& entry = *it;
    if (!IsDocumentFile(entry.path().filename().string())) continue;
    std::error_code type_ec;
    if (entry.is_directory(type_ec)) continue;
    files.push_back(entry.path().lexically_relative(root_path).generic_string());
  }
  if (ec) return FsError(root_path, ec);
  std::sort(files.begin(), files.end());  // Byte order.
  return std::unique_ptr<DocumentReader>(
      new DirectoryReader(root_path, std::move(files), options));
}

}  // namespace storysift::internal
