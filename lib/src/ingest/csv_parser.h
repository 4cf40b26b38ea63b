// Record splitter for CSV and TSV (RFC 4180 quoting, lenient): a streaming
// parser that also keeps each record's original bytes, and can re-read a
// record whose quotes made it go wrong with every quote taken literally.
// Not thread-safe.
#ifndef STORYSIFT_INGEST_CSV_PARSER_H_
#define STORYSIFT_INGEST_CSV_PARSER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/byte_source.h"

namespace storysift::internal {

// One parsed record. fields[0, num_fields) are valid.
struct CsvRecord {
  std::vector<std::string> fields;
  size_t num_fields = 0;
  uint64_t start_line = 0;
  uint64_t end_line = 0;          // Line of the record's last byte.
  bool unbalanced_quote = false;  // EOF inside a quoted field.
  bool too_long = false;          // Over max_record_bytes (its field bytes
                                  // or raw bytes): fields dropped.
  bool blank = false;             // An empty line.
  bool quoted = false;            // Some field opened with a quote.
  bool text_after_quote = false;  // `"a"b`: text after a closing quote.
  bool literal = false;           // Read with every quote literal.
  // The record's bytes as in the input, line break included: always with
  // keep_raw, else once a field opens with a quote (for a re-read); empty
  // when too_long.
  std::string raw;
};

class CsvParser {
 public:
  CsvParser(ByteSource* source, char delimiter, size_t max_record_bytes, bool keep_raw)
      : source_(source),
        delimiter_(delimiter),
        max_bytes_(max_record_bytes),
        keep_raw_(keep_raw) {}

  // Parses the next record; false at the end of input.
  absl::StatusOr<bool> Next(CsvRecord* r);

  // Makes the next Next() re-read `bad` (a record just returned) as its
  // first line only, with quotes literal; the lines after it are then read
  // normally again. Lets a stray quote at the start of a field cost one
  // line instead of swallowing the records after it.
  // REQUIRES: !bad.too_long.
  void RereadFirstLineLiterally(const CsvRecord& bad);

 private:
  enum State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  // Input: bytes handed back by RereadFirstLineLiterally, then the source.
  absl::StatusOr<bool> Fill() {
    if (pending_pos_ < pending_.size()) return true;
    return source_->Fill();
  }
  const char* data() const {
    return pending_pos_ < pending_.size() ? pending_.data() + pending_pos_
                                          : source_->data();
  }
  size_t size() const {
    return pending_pos_ < pending_.size() ? pending_.size() - pending_pos_
                                          : source_->size();
  }
  // Consumes n bytes of the record; raw gets those from `skip` on.
  void Consume(CsvRecord* r, size_t n, size_t skip);

  std::string* StartField(CsvRecord* r);
  // Over max_record_bytes: drops the record's fields and raw bytes.
  void SetTooLong(CsvRecord* r);
  void Append(CsvRecord* r, std::string* field, const char* p, size_t n);

  ByteSource* source_;
  char delimiter_;
  size_t max_bytes_;
  bool keep_raw_;
  bool capturing_ = false;    // raw is being kept for the current record.
  size_t bytes_ = 0;          // Field bytes of the current record.
  size_t record_bytes_ = 0;   // Input bytes of the current record.
  uint64_t line_ = 1;
  std::string pending_;
  size_t pending_pos_ = 0;
  bool literal_next_ = false;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_CSV_PARSER_H_
