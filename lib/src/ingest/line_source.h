// Splits a ByteSource into lines ("\n" or "\r\n") without ever holding more
// than max_line_bytes of one line. Not thread-safe.
#ifndef STORYSIFT_INGEST_LINE_SOURCE_H_
#define STORYSIFT_INGEST_LINE_SOURCE_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ingest/byte_source.h"

namespace storysift::internal {

class LineSource {
 public:
  // `source` must outlive this. max_line_bytes == 0 means no limit.
  LineSource(ByteSource* source, size_t max_line_bytes)
      : source_(source), max_line_bytes_(max_line_bytes) {}

  // Points *line at the next line (without its terminator) and returns
  // true, or returns false at the end of input. A line longer than
  // max_line_bytes is read past and dropped: *line is left empty and
  // *too_long set. *line_bytes gets the line's full length either way.
  // The view is valid until the next call and is followed by at least
  // ByteSource::kSlackBytes readable bytes (for parsers that read ahead,
  // as simdjson does): a line inside the source's buffer is not copied,
  // only one that spans two of its chunks is.
  absl::StatusOr<bool> Next(std::string_view* line, bool* too_long, size_t* line_bytes) {
    *line = std::string_view();
    *too_long = false;
    *line_bytes = 0;
    absl::StatusOr<bool> more = source_->Fill();
    if (!more.ok()) return more.status();
    if (!*more) return false;
    const char* begin = source_->data();
    const char* nl = static_cast<const char*>(std::memchr(begin, '\n', source_->size()));
    if (nl == nullptr) return NextSpanningChunks(line, too_long, line_bytes);
    const size_t n = nl - begin;
    source_->Consume(n + 1);
    *line_bytes = n;
    return Finish(std::string_view(begin, n), /*ended_by_newline=*/true, line, too_long);
  }

  // 1-based number of the line Next() returned last.
  uint64_t line_number() const { return line_number_; }

  // The terminator of the line Next() returned last, as it was: "\n",
  // "\r\n", "\r" (a last line ending in a lone CR) or "" (a last line
  // without one). `dedup --keep-first` writes it back.
  std::string_view line_break() const { return line_break_; }

 private:
  // The line runs past the source's buffer: gathered into long_line_.
  absl::StatusOr<bool> NextSpanningChunks(std::string_view* line, bool* too_long,
                                          size_t* line_bytes) {
    long_line_.clear();
    bool ended_by_newline = false;
    while (true) {
      absl::StatusOr<bool> more = source_->Fill();
      if (!more.ok()) return more.status();
      if (!*more) break;
      const char* begin = source_->data();
      const char* nl =
          static_cast<const char*>(std::memchr(begin, '\n', source_->size()));
      const size_t n = nl == nullptr ? source_->size() : nl - begin;
      *line_bytes += n;
      // 1 byte over leaves room for a '\r' cut below (written so that a
      // limit of SIZE_MAX cannot wrap to 0).
      if (max_line_bytes_ != 0 && *line_bytes > max_line_bytes_ &&
          *line_bytes - max_line_bytes_ > 1) {
        *too_long = true;
        long_line_.clear();
      }
      if (!*too_long) long_line_.append(begin, n);
      source_->Consume(nl == nullptr ? n : n + 1);
      if (nl != nullptr) {
        ended_by_newline = true;
        break;
      }
    }
    long_line_.reserve(long_line_.size() + ByteSource::kSlackBytes);
    return Finish(long_line_, ended_by_newline, line, too_long);
  }

  bool Finish(std::string_view text, bool ended_by_newline, std::string_view* line,
              bool* too_long) {
    ++line_number_;
    const bool cr = !text.empty() && text.back() == '\r';
    line_break_ = ended_by_newline ? (cr ? "\r\n" : "\n") : (cr ? "\r" : "");
    if (*too_long) return true;
    if (cr) text.remove_suffix(1);
    if (max_line_bytes_ != 0 && text.size() > max_line_bytes_) {
      *too_long = true;
      return true;
    }
    *line = text;
    return true;
  }

  ByteSource* source_;
  size_t max_line_bytes_;
  uint64_t line_number_ = 0;
  std::string_view line_break_;  // A literal: see line_break().
  std::string long_line_;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_LINE_SOURCE_H_
