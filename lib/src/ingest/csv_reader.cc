// CSV and TSV with a header row, per RFC 4180: quoted fields may hold the
// delimiter, doubled quotes and line breaks; CRLF or LF line ends; an
// optional UTF-8 byte order mark. Lenient where RFC 4180 is silent, as
// Python's csv module: a quote inside an unquoted field is literal, and in
// CSV so is text after a closing quote. A record whose quotes went wrong (a
// stray quote at the start of a field, which would swallow the records
// after it: never closed, or closed lines later by a quote with text after
// it) is re-read as its first line with every quote literal: it costs that
// line at most, never the next record. A record whose quotes are all well
// formed is read as they say, as Python's csv reads it, also when it has the
// wrong number of fields: then it is one bad_columns skip (re-read, its
// lines became records of their own, inventing documents).
// TSV dumps mostly do not quote at all, so in TSV a quoted field must end at
// a tab or line end, else the line is read with literal quotes.
#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ingest/ascii.h"
#include "ingest/csv_parser.h"
#include "ingest/reader_internal.h"
#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

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
  CsvReader(std::unique_ptr<ByteSource> source, char delimiter,
            const ReaderOptions& options)
      : source_(std::move(source)),
        parser_(source_.get(), delimiter, options.max_line_bytes, options.keep_raw),
        tsv_(delimiter == '\t'),
        options_(options),
        name_(source_->name()) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    if (header_.empty()) {
      absl::StatusOr<bool> has_header = ReadHeader();
      if (!has_header.ok() || !*has_header) return has_header;
    }
    while (true) {
      absl::StatusOr<bool> more = parser_.Next(&row_);
      if (!more.ok() || !*more) return more;
      if (row_.blank) continue;
      if (NeedsLiteralReread()) {
        reread_unbalanced_ = row_.unbalanced_quote;
        parser_.RereadFirstLineLiterally(row_);
        continue;
      }
      break;
    }
    ++record_number_;
    ResetRecord(record);
    Document& doc = record->doc;
    doc.origin = {source_->name(), row_.start_line};
    record->origin = doc.origin;
    if (text_ < 0) {
      SetSkip(record, kSkipNoTextColumn, no_text_message_);
    } else if (row_.unbalanced_quote ||
               (row_.literal && reread_unbalanced_ &&
                row_.num_fields != header_.size())) {
      SetSkip(record, kSkipUnbalancedQuote,
              absl::StrCat("quoted field opened in the record at line ",
                           row_.start_line, " is not closed before the end",
                           row_.literal ? absl::StrCat(
                               "; the line read with literal quotes has ",
                               row_.num_fields, " fields, the header ",
                               header_.size()) : ""));
    } else if (row_.too_long) {
      SetSkip(record, kSkipLineTooLong,
              absl::StrCat("record exceeds max_line_bytes = ",
                           options_.max_line_bytes));
    } else if (row_.num_fields != header_.size()) {
      SetSkip(record, kSkipBadColumns,
              absl::StrCat("record at line ", row_.start_line,
                           row_.end_line > row_.start_line
                               ? absl::StrCat(" (to line ", row_.end_line, ")")
                               : "",
                           " has ", row_.num_fields, " fields; the header has ",
                           header_.size(),
                           row_.literal ? " (quotes read literally)" : ""));
    } else {
      if (options_.keep_raw) {
        doc.raw = row_.raw;  // With its line break: --keep-first writes it back.
        doc.raw_header = raw_header_;
      }
      Fill(&doc);
      FinishDocument(options_, absl::StrCat(name_, ":", record_number_),
                     record);
    }
    return true;
  }

 private:
  // A record that went wrong because of a quote: its first line is read
  // again with quotes literal (once: a literal read is final). Its field
  // count alone says nothing of its quotes: "4,\"multi\nline\",extra" is one
  // record of three fields, not two records.
  bool NeedsLiteralReread() const {
    if (row_.literal || !row_.quoted || row_.too_long) return false;
    // Text after a closing quote lines later means the quote was stray.
    const bool multi_line = row_.end_line > row_.start_line;
    return row_.unbalanced_quote || (row_.text_after_quote && (tsv_ || multi_line));
  }

  absl::StatusOr<bool> ReadHeader() {
    CsvRecord head;
    do {
      absl::StatusOr<bool> more = parser_.Next(&head);
      if (!more.ok() || !*more) return more;
    } while (head.blank);
    if (head.unbalanced_quote || head.too_long) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_->name(), ": unreadable ", kind(), " header"));
    }
    header_.assign(head.fields.begin(), head.fields.begin() + head.num_fields);
    if (header_[0].starts_with("\xEF\xBB\xBF")) header_[0].erase(0, 3);
    for (std::string& h : header_) h = std::string(StripSpace(h));
    if (options_.keep_raw) {
      raw_header_ = std::make_shared<const std::string>(head.raw);
    }
    const FieldNames& f = options_.fields;
    for (const std::string& name : f.required) {
      if (FindColumn(header_, {name}) < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            source_->name(), ": the ", kind(), " header has no column \"", name,
            "\" (named by a --*-field flag); its columns are: ",
            absl::StrJoin(header_, ", ")));
      }
    }
    STORYSIFT_ASSIGN_OR_RETURN(text_, FindUniqueColumn(f.text, head.start_line));
    if (text_ < 0) {
      // Not fatal for the run: every record of this file is skipped with
      // this message, so other inputs still read and nothing goes unseen.
      no_text_message_ = absl::StrCat(
          kind(), " header (line ", head.start_line,
          ") has no text column (looked for ", absl::StrJoin(f.text, ", "),
          "; found ", absl::StrJoin(header_, ", "),
          "): a file without a header row? Name the column with --text-field");
    }
    STORYSIFT_ASSIGN_OR_RETURN(id_, FindUniqueColumn(f.id, head.start_line));
    STORYSIFT_ASSIGN_OR_RETURN(title_, FindUniqueColumn(f.title, head.start_line));
    STORYSIFT_ASSIGN_OR_RETURN(date_, FindUniqueColumn(f.date, head.start_line));
    STORYSIFT_ASSIGN_OR_RETURN(source_col_, FindUniqueColumn(f.source, head.start_line));
    STORYSIFT_ASSIGN_OR_RETURN(url_, FindUniqueColumn(f.url, head.start_line));
    return true;
  }

  // The column of the first of `names` the header has, or -1. A name that
  // heads two columns (names match case-insensitively) is an error: reading
  // either one would drop the other without a word. Only where the user
  // named the field (--text-field Text) and exactly one column is spelled so
  // is that one meant.
  absl::StatusOr<int> FindUniqueColumn(const std::vector<std::string>& names,
                                       uint64_t header_line) const {
    for (const std::string& name : names) {
      std::vector<size_t> found, exact;
      for (size_t i = 0; i < header_.size(); ++i) {
        if (!EqualsIgnoreCaseAscii(header_[i], name)) continue;
        found.push_back(i);
        if (header_[i] == name) exact.push_back(i);
      }
      if (found.empty()) continue;
      if (found.size() == 1) return static_cast<int>(found[0]);
      const std::vector<std::string>& named = options_.fields.required;
      const bool user_named = std::find(named.begin(), named.end(), name) != named.end();
      if (user_named && exact.size() == 1) return static_cast<int>(exact[0]);
      std::vector<std::string> shown;
      for (size_t i : found) shown.push_back(absl::StrCat(i + 1, " (\"", header_[i], "\")"));
      return absl::InvalidArgumentError(absl::StrCat(
          source_->name(), ":", header_line, ": the ", kind(), " header names column \"", name,
          "\" more than once: columns ", absl::StrJoin(shown, ", "),
          "; which one to read cannot be told, and reading one would drop the others. "
          "Rename all but one",
          user_named || exact.size() == found.size()
              ? ""
              : " (or name one with its --*-field flag, spelled as in the header)"));
    }
    return -1;
  }

  const char* kind() const { return tsv_ ? "TSV" : "CSV"; }

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
  bool tsv_;
  ReaderOptions options_;
  std::string name_;  // The input's path as given: fallback ids are unique in a run.
  std::vector<std::string> header_;
  std::shared_ptr<const std::string> raw_header_;
  std::string no_text_message_;
  int text_ = -1, id_ = -1, title_ = -1, date_ = -1, source_col_ = -1,
      url_ = -1;
  CsvRecord row_;
  bool reread_unbalanced_ = false;  // The reread line's record never closed.
  uint64_t record_number_ = 0;
};

}  // namespace

std::unique_ptr<DocumentReader> NewCsvReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options) {
  return std::make_unique<CsvReader>(std::move(source), ',', options);
}

std::unique_ptr<DocumentReader> NewTsvReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options) {
  return std::make_unique<CsvReader>(std::move(source), '\t', options);
}

}  // namespace storysift::internal
