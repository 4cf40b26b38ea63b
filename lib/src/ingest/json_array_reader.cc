// A JSON array of objects ("[ {...}, {...} ]", pretty-printed or not),
// streamed element by element: a small scanner finds where each top-level
// element ends (depth, strings, escapes), and only that element is parsed
// (json_record.cc), so memory is one element, not the file. Several arrays
// one after another are read as one; anything else after them is read as
// JSON lines. A bad element is a skipped record at the line where it
// starts; the rest of the array is still read. An array that the input ends
// inside is an invalid_json skip at the line of its '[': the elements before
// the end are read, the last one too when it is whole.
#include <utility>

#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
#include "ingest/json_record.h"
#include "ingest/reader_internal.h"

namespace storysift::internal {
namespace {

class JsonArrayReader : public DocumentReader {
 public:
  JsonArrayReader(std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : source_(std::move(source)),
        options_(options),
        parser_(options),
        name_(source_->name()) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    while (true) {
      if (done_) return false;
      absl::StatusOr<bool> got = Scan();
      if (!got.ok()) return got.status();
      if (!*got) {
        done_ = true;
        if (absl::Status s = parser_.CheckRequiredFields(source_->name()); !s.ok()) return s;
        return false;
      }
      if (pending_ == Pending::kNone) continue;
      ResetRecord(record);
      record->doc.origin = {source_->name(), elem_line_};
      record->origin = record->doc.origin;
      Emit(record);
      return true;
    }
  }

 private:
  enum class Pending { kNone, kElement, kEmpty, kTooLong, kUnclosed };

  void Emit(ReadRecord* record) {
    switch (pending_) {
      case Pending::kElement: {
        size_t trimmed = elem_.size();
        while (trimmed > 0 && IsAsciiSpace(elem_[trimmed - 1])) --trimmed;
        // A line after the arrays is written back by --keep-first as read,
        // its trailing bytes and terminator included (an array element has
        // none: it becomes a line of its own).
        const std::string line_end =
            options_.keep_raw && lines_ ? elem_.substr(trimmed) + elem_break_ : std::string();
        elem_.resize(trimmed);
        parser_.Parse(&elem_, FallbackId(), record);
        if (options_.keep_raw) record->doc.raw.append(line_end);
        break;
      }
      case Pending::kEmpty:
        SetSkip(record, kSkipInvalidJson, "invalid JSON: empty array element");
        break;
      case Pending::kTooLong:
        SetSkip(record, kSkipLineTooLong,
                absl::StrCat("array element of ", elem_bytes_,
                             " bytes exceeds max_line_bytes = ", options_.max_line_bytes));
        break;
      case Pending::kUnclosed:
        SetSkip(record, kSkipInvalidJson,
                elem_bytes_ > 0 ? "invalid JSON: input ends inside an array element"
                                : absl::StrCat("invalid JSON: the array opened at line ",
                                               array_line_,
                                               " is not closed: input ends before its ]"));
        break;
      case Pending::kNone:
        break;
    }
    pending_ = Pending::kNone;
  }

  // "file:line" of the element's first line; "file:line#k" for the k-th
  // element starting on one line (a one-line array), so that ids stay
  // distinct.
  std::string FallbackId() {
    same_line_ = elem_line_ == last_id_line_ ? same_line_ + 1 : 1;
    last_id_line_ = elem_line_;
    return same_line_ == 1 ? absl::StrCat(name_, ":", elem_line_)
                           : absl::StrCat(name_, ":", elem_line_, "#", same_line_);
  }

  void StartElement() {
    elem_.clear();
    elem_break_ = "";
    elem_bytes_ = 0;
    elem_line_ = line_;
    in_element_ = true;
    in_string_ = escape_ = false;
    depth_ = 0;
  }
  void EndElement(Pending what) {
    pending_ = elem_bytes_ > options_.max_line_bytes && options_.max_line_bytes != 0
                   ? Pending::kTooLong
                   : what;
    in_element_ = false;
  }

  // Advances to the next thing to report (pending_ set) and returns true,
  // or returns false at the end of input. Element bytes are copied in runs,
  // not byte by byte.
  absl::StatusOr<bool> Scan() {
    while (pending_ == Pending::kNone) {
      absl::StatusOr<bool> more = source_->Fill();
      if (!more.ok()) return more.status();
      if (!*more) return AtEnd();
      const char* p = source_->data();
      const size_t n = source_->size();
      size_t run_start = 0;
      size_t i = 0;
      if (lines_) {
        ScanLines(p, n);
        continue;
      }
      for (; i < n; ++i) {
        const char c = p[i];
        if (c == '\n') ++line_;
        if (in_element_) {
          if (!ElementByte(c)) continue;
          Keep(p + run_start, i - run_start);  // The terminator is not kept.
          EndElement(Pending::kElement);
          ++i;
          break;
        }
        if (IsAsciiSpace(c)) continue;
        if (!in_array_) {
          if (c == '[') {
            in_array_ = true;
            array_line_ = line_;
            expect_element_ = true;
            continue;
          }
          // Not another array: JSON lines follow (a file of lines whose
          // first line is an array). Each line is a record from here on, so
          // none is swallowed into one skip.
          lines_ = true;
          break;
        }
        if (c == ']') {  // Also after a trailing comma: "[{...},]".
          in_array_ = false;
          continue;
        }
        if (c == ',') {
          if (!expect_element_) {
            expect_element_ = true;
            continue;
          }
          elem_line_ = line_;
          pending_ = Pending::kEmpty;
          ++i;
          break;
        }
        expect_element_ = false;
        StartElement();
        run_start = i;
        if (ElementByte(c)) {  // Cannot end on its first byte: ',' / ']' were taken above.
          EndElement(Pending::kElement);
        }
      }
      if (in_element_) Keep(p + run_start, i - run_start);
      source_->Consume(i);
    }
    return true;
  }

  // JSON lines mode: each line is an element, whatever its brackets, as the
  // lines reader reads it (a blank line is none). Consumes what it scans.
  void ScanLines(const char* p, size_t n) {
    size_t run_start = 0;
    size_t i = 0;
    for (; i < n && pending_ == Pending::kNone; ++i) {
      const char c = p[i];
      if (in_element_) {
        if (c != '\n') continue;
        Keep(p + run_start, i - run_start);
        elem_break_ = "\n";  // A '\r' before it is the element's last byte.
        EndElement(Pending::kElement);
        ++line_;
        continue;
      }
      if (c == '\n') {
        ++line_;
      } else if (!IsAsciiSpace(c)) {
        StartElement();
        run_start = i;
      }
    }
    if (in_element_) Keep(p + run_start, i - run_start);
    source_->Consume(i);
  }

  // Moves the element scanner over `c`; true when `c` (a ',' or ']' at
  // depth 0, outside strings) ends the element.
  bool ElementByte(char c) {
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      return false;
    }
    switch (c) {
      case '"':
        in_string_ = true;
        return false;
      case '{':
      case '[':
        ++depth_;
        return false;
      case '}':
        if (depth_ > 0) --depth_;  // A stray '}' is left for the parser.
        return false;
      case ']':
        if (depth_ > 0) {
          --depth_;
          return false;
        }
        in_array_ = false;
        return true;
      case ',':
        if (depth_ > 0) return false;
        expect_element_ = true;
        return true;
      default:
        return false;
    }
  }

  bool AtEnd() {
    if (lines_ && in_element_) {  // A last line without its newline.
      EndElement(Pending::kElement);
      return true;
    }
    if (in_element_ && depth_ == 0 && !in_string_) {
      // The element is whole (its brackets closed); only the array's ']'
      // is missing. The element is read, then the array reported.
      EndElement(Pending::kElement);
      in_array_ = true;
      return true;
    }
    if (!in_element_ && !in_array_) return false;
    pending_ = in_element_ && options_.max_line_bytes != 0 &&
                       elem_bytes_ > options_.max_line_bytes
                   ? Pending::kTooLong
                   : Pending::kUnclosed;
    if (!in_element_) {  // Reported where the array opened.
      elem_bytes_ = 0;
      elem_line_ = array_line_;
    }
    in_element_ = in_array_ = false;
    return true;
  }

  void Keep(const char* p, size_t n) {
    elem_bytes_ += n;
    if (options_.max_line_bytes == 0 || elem_.size() + n <= options_.max_line_bytes) {
      elem_.append(p, n);
    } else {
      elem_.clear();  // Counted on, never held.
    }
  }

  std::unique_ptr<ByteSource> source_;
  ReaderOptions options_;
  JsonRecordParser parser_;
  std::string name_;  // The input's path as given: fallback ids are unique in a run.
  std::string elem_;
  const char* elem_break_ = "";  // "\n" after a line in JSON lines mode.
  size_t elem_bytes_ = 0;
  uint64_t line_ = 1;
  uint64_t elem_line_ = 1;
  uint64_t array_line_ = 1;  // Where the array read now opened.
  uint64_t last_id_line_ = 0;  // FallbackId's previous line and count on it.
  uint64_t same_line_ = 0;
  bool in_array_ = false;
  bool in_element_ = false;
  bool expect_element_ = false;
  bool in_string_ = false;
  bool escape_ = false;
  int depth_ = 0;
  bool lines_ = false;  // Past the arrays: JSON lines.
  bool done_ = false;
  Pending pending_ = Pending::kNone;
};

}  // namespace

std::unique_ptr<DocumentReader> NewJsonArrayReader(std::unique_ptr<ByteSource> source,
                                                   const ReaderOptions& options) {
  return std::make_unique<JsonArrayReader>(std::move(source), options);
}

}  // namespace storysift::internal
