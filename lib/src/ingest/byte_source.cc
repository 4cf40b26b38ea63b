#include "ingest/byte_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

// Enough decoded bytes to tell UTF-16 without a BOM from binary.
constexpr size_t kEncodingSniffBytes = 4096;

}  // namespace

absl::StatusOr<std::unique_ptr<ByteSource>> ByteSource::OpenFile(
    const std::string& path, const ByteSourceOptions& options) {
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
  return FromFile(file, /*owned=*/true, path, options);
}

std::unique_ptr<ByteSource> ByteSource::FromFile(FILE* file, bool owned,
                                                 std::string name,
                                                 const ByteSourceOptions& options) {
  auto raw = NewFileStream(file, owned, name, options.bytes_read);
  return std::unique_ptr<ByteSource>(new ByteSource(std::move(raw), std::move(name), options));
}

std::unique_ptr<ByteSource> ByteSource::FromString(std::string data,
                                                   std::string name,
                                                   const ByteSourceOptions& options) {
  return std::unique_ptr<ByteSource>(
      new ByteSource(NewStringStream(std::move(data)), std::move(name), options));
}

ByteSource::ByteSource(std::unique_ptr<ByteStream> raw, std::string name,
                       const ByteSourceOptions& options)
    : stream_(std::move(raw)), name_(std::move(name)), options_(options) {}

ByteSource::~ByteSource() = default;

// Stacks the layers the content asks for: decompression by magic bytes,
// then transcoding by BOM, by --encoding, or for BOM-less UTF-16.
absl::Status ByteSource::SetUp() {
  set_up_ = true;
  std::string magic;
  STORYSIFT_RETURN_IF_ERROR(ReadUpTo(stream_.get(), kMagicBytes, &magic));
  compression_ = DetectCompression(magic);
  stream_ = NewPrefixStream(std::move(magic), std::move(stream_));
  stream_ = NewDecompressor(compression_, std::move(stream_), name_);

  std::string head;
  STORYSIFT_RETURN_IF_ERROR(ReadUpTo(stream_.get(), kEncodingSniffBytes, &head));
  size_t bom_bytes = 0;
  std::string detected = DetectUnicodeEncoding(head, &bom_bytes);
  head.erase(0, bom_bytes);
  had_bom_ = bom_bytes > 0;
  stream_ = NewPrefixStream(std::move(head), std::move(stream_));
  // A BOM outranks --encoding: it is the file's own statement.
  encoding_ = bom_bytes > 0 || options_.encoding.empty() ? detected : options_.encoding;
  if (!encoding_.empty() && encoding_ != "UTF-8") {
    absl::StatusOr<std::unique_ptr<ByteStream>> t =
        NewTranscoder(std::move(stream_), encoding_, name_);
    if (!t.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(name_, ": ", t.status().message()));
    }
    stream_ = *std::move(t);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> ByteSource::Refill() {
  if (!set_up_) STORYSIFT_RETURN_IF_ERROR(SetUp());
  if (buffer_.size() < kChunkBytes + kSlackBytes) buffer_.resize(kChunkBytes + kSlackBytes);
  pos_ = 0;
  end_ = 0;
  STORYSIFT_ASSIGN_OR_RETURN(end_,
                             stream_->Read(buffer_.data(), buffer_.size() - kSlackBytes));
  return end_ > 0;
}

absl::Status ByteSource::Peek(size_t n) {
  if (!set_up_) STORYSIFT_RETURN_IF_ERROR(SetUp());
  if (size() >= n) return absl::OkStatus();
  // Move what is left to the front, then read behind it.
  std::memmove(buffer_.data(), buffer_.data() + pos_, size());
  end_ -= pos_;
  pos_ = 0;
  const size_t room = std::max(n, kChunkBytes);
  if (buffer_.size() < room + kSlackBytes) buffer_.resize(room + kSlackBytes);
  while (end_ < n) {
    STORYSIFT_ASSIGN_OR_RETURN(
        const size_t got,
        stream_->Read(buffer_.data() + end_, buffer_.size() - kSlackBytes - end_));
    if (got == 0) break;
    end_ += got;
  }
  return absl::OkStatus();
}

}  // namespace storysift::internal
