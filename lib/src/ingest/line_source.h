// Splits a ByteSource into lines ("\n" or "\r\n") without ever holding more
// than max_line_bytes of one line. Not thread-safe.
#ifndef STORYSIFT_INGEST_LINE_SOURCE_H_
#define STORYSIFT_INGEST_LINE_SOURCE_H_

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/statusor.h"
#include "ingest/byte_source.h"

namespace storysift::internal {

class LineSource {
 public:
  // `source` must outlive this. max_line_bytes == 0 means no limit.
  LineSource(ByteSource* source, size_t max_line_bytes)
      : source_(source), max_line_bytes_(max_line_bytes) {}

  // Reads the next line into *line (without its terminator) and returns
  // true, or returns false at the end of input. A line longer than
  // max_line_bytes is read past and dropped: *line is left empty and
  // *too_long set. *line_bytes gets the line's full length either way.
  absl::StatusOr<bool> Next(std::string* line, bool* too_long,
                            size_t* line_bytes) {
    line->clear();
    *too_long = false;
    *line_bytes = 0;
    bool any = false;
    while (true) {
      absl::StatusOr<bool> more = source_->Fill();
      if (!more.ok()) return more.status();
      if (!*more) break;
      any = true;
      const char* begin = source_->data();
      const char* nl =
          static_cast<const char*>(std::memchr(begin, '\n', source_->size()));
      const size_t n = nl == nullptr ? source_->size() : nl - begin;
      *line_bytes += n;
      if (max_line_bytes_ != 0 && *line_bytes > max_line_bytes_ + 1) {
        *too_long = true;  // +1 leaves room for a '\r' cut below.
        line->clear();
      }
      if (!*too_long) line->append(begin, n);
      source_->Consume(nl == nullptr ? n : n + 1);
      if (nl != nullptr) break;
    }
    if (!any) return false;
    ++line_number_;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    if (!*too_long && max_line_bytes_ != 0 && line->size() > max_line_bytes_) {
      *too_long = true;
      line->clear();
    }
    return true;
  }

  // 1-based number of the line Next() returned last.
  uint64_t line_number() const { return line_number_; }

 private:
  ByteSource* source_;
  size_t max_line_bytes_;
  uint64_t line_number_ = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_LINE_SOURCE_H_
