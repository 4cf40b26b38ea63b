// CSV with a header row, per RFC 4180: quoted fields may hold commas,
// doubled quotes and line breaks; CRLF or LF line ends; an optional UTF-8
// byte order mark. Lenient where RFC 4180 is silent: a quote inside an
// unquoted field, or text after a closing quote, is kept literally.
#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ingest/ascii.h"
#include "ingest/reader_internal.h"

namespace storysift::internal {
namespace {

// One parsed record. fields[0, num_fields) are valid.
struct CsvRecord {
  std::vector<std::string> fields;
  size_t num_fields = 0;
  uint64_t start_line = 0;
  bool unbalanced_quote = false;  // EOF inside a quoted field.
  bool too_long = false;          // Over max_line_bytes: fields dropped.
  bool blank = false;             // An empty line.
};

class CsvParser {
 public:
  CsvParser(ByteSource* source, size_t max_record_bytes)
      : source_(source), max_bytes_(max_record_bytes) {}

  // Parses the next record; false at the end of input.
  absl::StatusOr<bool> Next(CsvRecord* r) {
    r->num_fields = 0;
    r->start_line = line_;
    r->unbalanced_quote = r->too_long = r->blank = false;
    bytes_ = 0;
    State state = kFieldStart;
    bool any = false;
    std::string* field = StartField(r);
    while (true) {
      absl::StatusOr<bool> more = source_->Fill();
      if (!more.ok()) return more.status();
      if (!*more) {
        if (!any) return false;
        r->unbalanced_quote = state == kQuoted;
        if (state == kUnquoted && !field->empty() && field->back() == '\r') {
          field->pop_back();
        }
        return true;
      }
      any = true;
      const char* p = source_->data();
      const char* const end = p + source_->size();
      while (p < end) {
        if (state == kQuoted) {
          // Fast path: copy up to the next quote in one go.
          const char* q = static_cast<const char*>(
              std::memchr(p, '"', end - p));
          const char* stop = q == nullptr ? end : q;
          line_ += std::count(p, stop, '\n');
          Append(r, field, p, stop - p);
          p = stop;
          if (q != nullptr) {
            state = kQuoteInQuoted;
            ++p;
          }
          continue;
        }
        if (state == kUnquoted || state == kFieldStart) {
          const char* stop = p;
          while (stop < end && *stop != ',' && *stop != '\n' &&
                 (*stop != '"' || state != kFieldStart)) {
            ++stop;
          }
          if (stop > p) {
            Append(r, field, p, stop - p);
            state = kUnquoted;
            p = stop;
            continue;
          }
        }
        const char c = *p++;
        if (c == '"' && state == kFieldStart) {
          state = kQuoted;
        } else if (c == '"' && state == kQuoteInQuoted) {
          Append(r, field, "\"", 1);  // Doubled quote.
          state = kQuoted;
        } else if (c == ',') {
          field = StartField(r);
          state = kFieldStart;
        } else if (c == '\n') {
          ++line_;
          if (state == kUnquoted && !field->empty() && field->back() == '\r') {
            field->pop_back();
          }
          r->blank = r->num_fields == 1 && state == kFieldStart;
          source_->Consume(p - source_->data());
          return true;
        } else if (c == '\r' && state == kQuoteInQuoted) {
          // CR before the LF after a closing quote.
        } else {
          Append(r, field, &c, 1);  // Text after a closing quote.
          state = kUnquoted;
        }
      }
      source_->Consume(source_->size());
    }
  }

  uint64_t line() const { return line_; }

 private:
  enum State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  static std::string* StartField(CsvRecord* r) {
    if (r->fields.size() <= r->num_fields) r->fields.emplace_back();
    std::string* f = &r->fields[r->num_fields++];
    f->clear();
    return f;
  }

  void Append(CsvRecord* r, std::string* field, const char* p, size_t n) {
    bytes_ += n;
    if (max_bytes_ != 0 && bytes_ > max_bytes_ && !r->too_long) {
      r->too_long = true;
      for (size_t i = 0; i < r->num_fields; ++i) {
        std::string().swap(r->fields[i]);  // Give the memory back.
      }
    }
    if (!r->too_long) field->append(p, n);
  }

  ByteSource* source_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  uint64_t line_ = 1;
};

// Column index of the first of `names` in `header`, or -1.
int FindColumn(const std::vector<std::string>& header,
               const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (EqualsIgnoreCaseAscii(header[i], name)) return static_cast<int>(i);
    }
  }
  return -1;
}

class CsvReader : public DocumentReader {
 public:
  CsvReader(std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : source_(std::move(source)),
        parser_(source_.get(), options.max_line_bytes),
        options_(options),
        basename_(Basename(source_->name())) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    if (header_.empty()) {
      absl::StatusOr<bool> has_header = ReadHeader();
      if (!has_header.ok() || !*has_header) return has_header;
    }
    do {
      absl::StatusOr<bool> more = parser_.Next(&row_);
      if (!more.ok() || !*more) return more;
    } while (row_.blank);
    ++record_number_;
    ResetRecord(record);
    Document& doc = record->doc;
    doc.origin = {source_->name(), row_.start_line};
    record->origin = doc.origin;
    if (row_.unbalanced_quote) {
      SetSkip(record, kSkipUnbalancedQuote,
              absl::StrCat("quoted field opened in the record at line ",
                           row_.start_line, " is not closed before the end"));
    } else if (row_.too_long) {
      SetSkip(record, kSkipLineTooLong,
              absl::StrCat("record exceeds max_line_bytes = ",
                           options_.max_line_bytes));
    } else if (row_.num_fields != header_.size()) {
      SetSkip(record, kSkipBadColumns,
              absl::StrCat("record at line ", row_.start_line, " has ",
                           row_.num_fields, " fields; the header has ",
                           header_.size()));
    } else {
      Fill(&doc);
      FinishDocument(options_, absl::StrCat(basename_, ":", record_number_),
                     record);
    }
    return true;
  }

 private:
  absl::StatusOr<bool> ReadHeader() {
    CsvRecord head;
    do {
      absl::StatusOr<bool> more = parser_.Next(&head);
      if (!more.ok() || !*more) return more;
    } while (head.blank);
    if (head.unbalanced_quote || head.too_long) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_->name(), ": unreadable CSV header"));
    }
    header_.assign(head.fields.begin(), head.fields.begin() + head.num_fields);
    if (header_[0].starts_with("\xEF\xBB\xBF")) header_[0].erase(0, 3);
    for (std::string& h : header_) h = std::string(StripSpace(h));
    const FieldNames& f = options_.fields;
    text_ = FindColumn(header_, f.text);
    if (text_ < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          source_->name(), ": CSV header has no text column (looked for ",
          absl::StrJoin(f.text, ", "), "; found ", absl::StrJoin(header_, ", "),
          ")"));
    }
    id_ = FindColumn(header_, f.id);
    title_ = FindColumn(header_, f.title);
    date_ = FindColumn(header_, f.date);
    source_col_ = FindColumn(header_, f.source);
    url_ = FindColumn(header_, f.url);
    return true;
  }

  // Moves the mapped columns into *doc (swapping keeps both buffers).
  void Fill(Document* doc) {
    auto take = [&](int col, std::string* out) {
      if (col >= 0) out->swap(row_.fields[col]);
    };
    take(text_, &doc->text);
    take(id_, &doc->id);
    take(title_, &doc->title);
    take(source_col_, &doc->source);
    take(url_, &doc->url);
    if (date_ >= 0) SetDate(row_.fields[date_], doc);
  }

  std::unique_ptr<ByteSource> source_;
  CsvParser parser_;
  ReaderOptions options_;
  std::string basename_;
  std::vector<std::string> header_;
  int text_ = -1, id_ = -1, title_ = -1, date_ = -1, source_col_ = -1,
      url_ = -1;
  CsvRecord row_;
  uint64_t record_number_ = 0;
};

}  // namespace

std::unique_ptr<DocumentReader> NewCsvReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options) {
  return std::make_unique<CsvReader>(std::move(source), options);
}

}  // namespace storysift::internal
