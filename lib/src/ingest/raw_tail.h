// The original bytes of a record too large to hold in memory
// (Document::raw_tail): what ReaderOptions::keep_raw keeps of a WARC record
// whose block runs past max_doc_bytes, so that `dedup --keep-first` writes
// it whole while memory stays bounded.
#ifndef STORYSIFT_INGEST_RAW_TAIL_H_
#define STORYSIFT_INGEST_RAW_TAIL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storysift/document.h"

namespace storysift {

// Bytes in an unlinked temporary file, gone with the last owner (the
// document that holds it). Not thread-safe; const methods may run
// concurrently with each other.
class RawTail {
 public:
  // Internal (with strerror) when no temporary file can be made.
  static absl::StatusOr<std::shared_ptr<RawTail>> Create();
  ~RawTail();
  RawTail(const RawTail&) = delete;
  RawTail& operator=(const RawTail&) = delete;

  // Internal (with strerror) on a write error, e.g. a full disk.
  absl::Status Append(std::string_view bytes);
  uint64_t size() const { return size_; }
  // Calls `write` with the bytes in order, in chunks of at most 1 MiB, and
  // stops at its first error. Internal on a read error.
  absl::Status ForEachChunk(const std::function<absl::Status(std::string_view)>& write) const;

 private:
  explicit RawTail(int fd) : fd_(fd) {}
  int fd_;
  uint64_t size_ = 0;
};

// Builds one record's raw bytes of any size in bounded memory: the first
// `memory_bytes` (0: all of them) in Document::raw, the rest in a RawTail.
class RawBytesBuilder {
 public:
  explicit RawBytesBuilder(size_t memory_bytes) : memory_bytes_(memory_bytes) {}

  // Drops what was built (the temporary file with it).
  void Clear();
  // Errors as RawTail.
  absl::Status Append(std::string_view bytes);
  uint64_t size() const { return head_.size() + (tail_ == nullptr ? 0 : tail_->size()); }
  // Moves the bytes into doc->raw and doc->raw_tail, then Clear()s.
  void MoveTo(Document* doc);

 private:
  size_t memory_bytes_;
  std::string head_;
  std::shared_ptr<RawTail> tail_;
};

}  // namespace storysift

#endif  // STORYSIFT_INGEST_RAW_TAIL_H_
