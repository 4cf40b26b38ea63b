// Buffered input for the readers: a file, a stream with an already-read
// (sniffed) prefix, or an in-memory string. Reads in 1 MiB chunks so memory
// stays constant in the size of the input. Not thread-safe.
#ifndef STORYSIFT_INGEST_BYTE_SOURCE_H_
#define STORYSIFT_INGEST_BYTE_SOURCE_H_

#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace storysift::internal {

class ByteSource {
 public:
  static constexpr size_t kChunkBytes = size_t{1} << 20;

  // Opens `path` for reading. NotFound, PermissionDenied or Internal (with
  // the path and strerror) when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<ByteSource>> OpenFile(
      const std::string& path);
  // Serves `prefix` first (bytes a sniffer already took from `file`), then
  // the rest of `file`, which is closed at destruction iff `owned`.
  static std::unique_ptr<ByteSource> FromFile(FILE* file, bool owned,
                                              std::string name,
                                              std::string prefix = "");
  // Serves `data` (for fuzzers and tests).
  static std::unique_ptr<ByteSource> FromString(std::string data,
                                                std::string name);

  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;
  ~ByteSource();

  // The path (or "stdin") for messages and ids.
  const std::string& name() const { return name_; }

  // Makes at least one byte available in [data(), data() + size()), unless
  // the input is exhausted: then returns false. Internal on a read error.
  absl::StatusOr<bool> Fill() {
    if (pos_ < end_) return true;
    return Refill();
  }
  const char* data() const { return buffer_.data() + pos_; }
  size_t size() const { return end_ - pos_; }
  // REQUIRES: n <= size().
  void Consume(size_t n) { pos_ += n; }

 private:
  ByteSource(FILE* file, bool owned, std::string name, std::string buffer);
  absl::StatusOr<bool> Refill();

  FILE* file_;  // Null for a string source.
  bool owned_;
  std::string name_;
  std::string buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_BYTE_SOURCE_H_
