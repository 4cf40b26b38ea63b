#include "ingest/byte_source.h"

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace storysift::internal {

absl::StatusOr<std::unique_ptr<ByteSource>> ByteSource::OpenFile(
    const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    const int err = errno;
    const std::string message = absl::StrCat(path, ": ", std::strerror(err));
    if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(message);
    if (err == EACCES || err == EPERM) {
      return absl::PermissionDeniedError(message);
    }
    return absl::InternalError(message);
  }
  return FromFile(file, /*owned=*/true, path);
}

std::unique_ptr<ByteSource> ByteSource::FromFile(FILE* file, bool owned,
                                                 std::string name,
                                                 std::string prefix) {
  return std::unique_ptr<ByteSource>(
      new ByteSource(file, owned, std::move(name), std::move(prefix)));
}

std::unique_ptr<ByteSource> ByteSource::FromString(std::string data,
                                                   std::string name) {
  return std::unique_ptr<ByteSource>(
      new ByteSource(nullptr, false, std::move(name), std::move(data)));
}

ByteSource::ByteSource(FILE* file, bool owned, std::string name,
                       std::string buffer)
    : file_(file),
      owned_(owned),
      name_(std::move(name)),
      buffer_(std::move(buffer)),
      end_(buffer_.size()) {}

ByteSource::~ByteSource() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

absl::StatusOr<bool> ByteSource::Refill() {
  if (file_ == nullptr) return false;
  if (buffer_.size() < kChunkBytes) buffer_.resize(kChunkBytes);
  pos_ = 0;
  end_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
  if (end_ == 0) {
    if (std::ferror(file_)) {
      return absl::InternalError(
          absl::StrCat(name_, ": read error: ", std::strerror(errno)));
    }
    return false;
  }
  return true;
}

}  // namespace storysift::internal
