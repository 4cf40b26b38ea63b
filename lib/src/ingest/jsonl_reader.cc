// JSON lines: one object per line. A file whose first non-space byte is
// '[' is a JSON array instead (json_array_reader.cc); NewJsonlReader
// decides by content, so ".json" files and stdin may hold either.
#include <utility>

#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
#include "ingest/json_record.h"
#include "ingest/line_source.h"
#include "ingest/reader_internal.h"

namespace storysift::internal {
namespace {

class JsonLinesReader : public DocumentReader {
 public:
  JsonLinesReader(std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : source_(std::move(source)),
        lines_(source_.get(), options.max_line_bytes),
        options_(options),
        parser_(options),
        name_(source_->name()) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    while (true) {
      bool too_long;
      size_t line_bytes;
      absl::StatusOr<bool> more = lines_.Next(&line_, &too_long, &line_bytes);
      if (!more.ok()) return more.status();
      if (!*more) {
        if (absl::Status s = parser_.CheckRequiredFields(source_->name()); !s.ok()) return s;
        return false;
      }
      if (lines_.line_number() == 1 && line_.starts_with("\xEF\xBB\xBF")) {
        line_.remove_prefix(3);  // Byte order mark.
      }
      if (!too_long && IsBlank(line_)) continue;
      ResetRecord(record);
      SetOrigin(source_->name(), lines_.line_number(), record);
      if (too_long) {
        SetSkip(record, kSkipLineTooLong,
                absl::StrCat("line of ", line_bytes, " bytes exceeds max_line_bytes = ",
                             options_.max_line_bytes));
      } else {
        // The line's view has the read-ahead slack simdjson needs (line_source.h).
        parser_.ParsePadded(line_, absl::StrCat(name_, ":", lines_.line_number()), record);
        // --keep-first writes the line back with its own terminator.
        if (options_.keep_raw) record->doc.raw.append(lines_.line_break());
      }
      return true;
    }
  }

 private:
  std::unique_ptr<ByteSource> source_;
  LineSource lines_;
  ReaderOptions options_;
  JsonRecordParser parser_;
  std::string name_;  // The input's path as given: fallback ids are unique in a run.
  std::string_view line_;  // Into lines_ or the source's buffer.
};

// Looks at the first non-space byte on the first Next(), then hands over to
// the lines or the array reader.
class JsonReader : public DocumentReader {
 public:
  JsonReader(std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : source_(std::move(source)), options_(options) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    if (reader_ == nullptr) {
      bool is_array = false;
      for (size_t want = 4096; want <= (size_t{64} << 20); want *= 4) {
        if (absl::Status s = source_->Peek(want); !s.ok()) return s;
        std::string_view head(source_->data(), source_->size());
        const std::string_view rest = StripLeadingSpace(head);
        if (!rest.empty()) {
          is_array = rest.front() == '[';
          break;
        }
        if (head.size() < want) break;  // Only whitespace, then the end.
      }
      reader_ = is_array ? NewJsonArrayReader(std::move(source_), options_)
                         : std::make_unique<JsonLinesReader>(std::move(source_), options_);
    }
    return reader_->Next(record);
  }

 private:
  std::unique_ptr<ByteSource> source_;
  ReaderOptions options_;
  std::unique_ptr<DocumentReader> reader_;
};

}  // namespace

std::unique_ptr<DocumentReader> NewJsonlReader(std::unique_ptr<ByteSource> source,
                                               const ReaderOptions& options) {
  return std::make_unique<JsonReader>(std::move(source), options);
}

}  // namespace storysift::internal
