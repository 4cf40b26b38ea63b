#include "ingest/raw_tail.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"

namespace storysift {
namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;

absl::Status IoError(const char* what) {
  return absl::InternalError(absl::StrCat("temporary file for a record's raw bytes: ", what,
                                          ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::shared_ptr<RawTail>> RawTail::Create() {
  std::FILE* file = std::tmpfile();  // Unlinked: gone with the process.
  if (file == nullptr) return IoError("cannot create");
  const int fd = ::dup(fileno(file));
  std::fclose(file);
  if (fd < 0) return IoError("cannot create");
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return std::shared_ptr<RawTail>(new RawTail(fd));
}

RawTail::~RawTail() { ::close(fd_); }

absl::Status RawTail::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(size_));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write failed");
    }
    size_ += static_cast<uint64_t>(n);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status RawTail::ForEachChunk(
    const std::function<absl::Status(std::string_view)>& write) const {
  std::string chunk(static_cast<size_t>(std::min<uint64_t>(size_, kChunkBytes)), '\0');
  uint64_t offset = 0;
  while (offset < size_) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(size_ - offset, kChunkBytes));
    const ssize_t n = ::pread(fd_, chunk.data(), want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;  // The file is shorter than what was written.
      return IoError("read failed");
    }
    if (absl::Status s = write(std::string_view(chunk.data(), static_cast<size_t>(n)));
        !s.ok()) {
      return s;
    }
    offset += static_cast<uint64_t>(n);
  }
  return absl::OkStatus();
}

void RawBytesBuilder::Clear() {
  head_.clear();
  tail_.reset();
}

absl::Status RawBytesBuilder::Append(std::string_view bytes) {
  if (tail_ == nullptr) {
    const size_t room = memory_bytes_ == 0 ? bytes.size()
                                           : memory_bytes_ - std::min(memory_bytes_, head_.size());
    const size_t n = std::min(room, bytes.size());
    head_.append(bytes.data(), n);
    bytes.remove_prefix(n);
    if (bytes.empty()) return absl::OkStatus();
    absl::StatusOr<std::shared_ptr<RawTail>> tail = RawTail::Create();
    if (!tail.ok()) return tail.status();
    tail_ = *std::move(tail);
  }
  return tail_->Append(bytes);
}

void RawBytesBuilder::MoveTo(Document* doc) {
  doc->raw = std::move(head_);
  doc->raw_tail = std::move(tail_);
  Clear();
}

}  // namespace storysift
