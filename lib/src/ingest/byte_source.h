// Buffered input for the readers: a file, a stream (e.g. stdin), or an
// in-memory string. Content decides what the bytes are, never the name:
// gzip, zstd and xz input is decompressed while streaming, a byte order
// mark (UTF-8/16/32) is removed and UTF-16/32 transcoded to UTF-8, and
// ByteSourceOptions::encoding transcodes any other encoding through iconv.
// Reads in 1 MiB chunks so memory stays constant in the size of the input.
// Not thread-safe.
#ifndef STORYSIFT_INGEST_BYTE_SOURCE_H_
#define STORYSIFT_INGEST_BYTE_SOURCE_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/byte_stream.h"

namespace storysift::internal {

struct ByteSourceOptions {
  // iconv name of the input's encoding; empty = UTF-8 (or what a BOM says).
  std::string encoding;
  // When set, raw (compressed) bytes read from a file are added here.
  std::atomic<int64_t>* bytes_read = nullptr;
};

class ByteSource {
 public:
  static constexpr size_t kChunkBytes = size_t{1} << 20;
  // Readable bytes the buffer always holds past size(), so that a parser
  // that reads ahead (simdjson reads up to 64 bytes past its input) can
  // work on a view into data() without a copy. Their content is unspecified.
  static constexpr size_t kSlackBytes = 64;

  // Opens `path` for reading. NotFound, PermissionDenied or Internal (with
  // the path and strerror) when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<ByteSource>> OpenFile(
      const std::string& path, const ByteSourceOptions& options = {});
  // Reads `file`, closed at destruction iff `owned`.
  static std::unique_ptr<ByteSource> FromFile(FILE* file, bool owned,
                                              std::string name,
                                              const ByteSourceOptions& options = {});
  // Serves `data` (for fuzzers and tests), decoded like a file.
  static std::unique_ptr<ByteSource> FromString(std::string data,
                                                std::string name,
                                                const ByteSourceOptions& options = {});

  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;
  ~ByteSource();

  // The path (or "stdin") for messages and ids.
  const std::string& name() const { return name_; }

  // Makes at least one byte available in [data(), data() + size()), unless
  // the input is exhausted: then returns false. Internal on a read error,
  // DataLoss on corrupt compressed data, InvalidArgument for an unknown
  // encoding (the first call sets the layers up).
  absl::StatusOr<bool> Fill() {
    if (pos_ < end_) return true;
    return Refill();
  }
  // Makes at least min(n, what is left) bytes available without consuming
  // them (for sniffing a format). Errors as Fill().
  absl::Status Peek(size_t n);
  const char* data() const { return buffer_.data() + pos_; }
  size_t size() const { return end_ - pos_; }
  // REQUIRES: n <= size().
  void Consume(size_t n) { pos_ += n; }

  // What the content turned out to be (valid after the first Fill/Peek):
  // the compression and the source encoding ("" = UTF-8 without a BOM).
  Compression compression() const { return compression_; }
  const std::string& encoding() const { return encoding_; }
  // The decoded content began with a byte order mark, which was removed.
  bool had_bom() const { return had_bom_; }

 private:
  ByteSource(std::unique_ptr<ByteStream> raw, std::string name,
             const ByteSourceOptions& options);
  absl::StatusOr<bool> Refill();
  absl::Status SetUp();

  std::unique_ptr<ByteStream> stream_;
  bool set_up_ = false;
  std::string name_;
  ByteSourceOptions options_;
  Compression compression_ = Compression::kNone;
  std::string encoding_;
  bool had_bom_ = false;
  std::string buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_BYTE_SOURCE_H_
