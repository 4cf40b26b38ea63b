#include "storysift/output_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

absl::Status ErrnoStatus(int err, std::string_view what, std::string_view path) {
  std::string message = absl::StrFormat("%s %s: %s", std::string(what), std::string(path), std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(message);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(message);
  return absl::UnavailableError(message);
}

// fsync the directory holding `path`, so the rename itself is durable.
void SyncParentDirectory(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

OutputFile::OutputFile(std::string path, std::string temp_path, std::FILE* file)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), file_(file) {}

absl::StatusOr<std::unique_ptr<OutputFile>> OutputFile::Open(std::string_view path) {
  if (path == "-") {
    return std::unique_ptr<OutputFile>(new OutputFile("-", "", stdout));
  }
  std::string temp = absl::StrCat(std::string(path), ".tmp.", static_cast<int64_t>(::getpid()));
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (file == nullptr) return ErrnoStatus(errno, "cannot create", temp);
  return std::unique_ptr<OutputFile>(new OutputFile(std::string(path), std::move(temp), file));
}

OutputFile::~OutputFile() {
  if (committed_ || temp_path_.empty()) return;
  std::fclose(file_);
  std::remove(temp_path_.c_str());
}

void OutputFile::Write(std::string_view data) {
  if (failed_ || data.empty()) return;
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) failed_ = true;
}

absl::Status OutputFile::Commit() {
  if (committed_) return absl::FailedPreconditionError("OutputFile already committed");
  if (temp_path_.empty()) {
    committed_ = true;
    if (std::fflush(file_) != 0 || failed_) {
      return ErrnoStatus(errno, "cannot write", "standard output");
    }
    return absl::OkStatus();
  }
  bool ok = !failed_ && std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int err = errno;
  ok = (std::fclose(file_) == 0) && ok;
  committed_ = true;
  if (!ok) {
    std::remove(temp_path_.c_str());
    return ErrnoStatus(err, "cannot write", temp_path_);
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int rename_err = errno;
    std::remove(temp_path_.c_str());
    return ErrnoStatus(rename_err, "cannot rename into place", path_);
  }
  SyncParentDirectory(path_);
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(std::string_view path, std::string_view contents) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<OutputFile> out, OutputFile::Open(path));
  out->Write(contents);
  return out->Commit();
}

}  // namespace storysift
