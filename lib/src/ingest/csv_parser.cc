#include "ingest/csv_parser.h"

#include <algorithm>
#include <cstring>

namespace storysift::internal {

void CsvParser::Consume(CsvRecord* r, size_t n, size_t skip) {
  // The raw bytes count too: a line of a billion commas has no field bytes.
  record_bytes_ += n;
  if (!r->too_long && max_bytes_ != 0 && record_bytes_ > max_bytes_) SetTooLong(r);
  if (capturing_ && !r->too_long) r->raw.append(data() + skip, n - skip);
  if (pending_pos_ < pending_.size()) {
    pending_pos_ += n;
    if (pending_pos_ == pending_.size()) {
      pending_.clear();
      pending_pos_ = 0;
    }
  } else {
    source_->Consume(n);
  }
}

std::string* CsvParser::StartField(CsvRecord* r) {
  if (r->fields.size() <= r->num_fields) r->fields.emplace_back();
  std::string* f = &r->fields[r->num_fields++];
  f->clear();
  return f;
}

void CsvParser::SetTooLong(CsvRecord* r) {
  r->too_long = true;
  for (size_t i = 0; i < r->num_fields; ++i) {
    std::string().swap(r->fields[i]);  // Give the memory back.
  }
  std::string().swap(r->raw);
}

void CsvParser::Append(CsvRecord* r, std::string* field, const char* p, size_t n) {
  bytes_ += n;
  if (max_bytes_ != 0 && bytes_ > max_bytes_ && !r->too_long) SetTooLong(r);
  if (!r->too_long) field->append(p, n);
}

void CsvParser::RereadFirstLineLiterally(const CsvRecord& bad) {
  // What is still pending follows the record's own bytes.
  pending_ = bad.raw + pending_.substr(pending_pos_);
  pending_pos_ = 0;
  line_ = bad.start_line;
  literal_next_ = true;
}

absl::StatusOr<bool> CsvParser::Next(CsvRecord* r) {
  r->num_fields = 0;
  r->start_line = line_;
  r->unbalanced_quote = r->too_long = r->blank = false;
  r->quoted = r->text_after_quote = false;
  r->literal = literal_next_;
  literal_next_ = false;
  r->raw.clear();
  bytes_ = record_bytes_ = 0;
  capturing_ = keep_raw_;
  const bool literal = r->literal;
  const char delim = delimiter_;
  State state = kFieldStart;
  bool any = false;
  std::string* field = StartField(r);
  while (true) {
    absl::StatusOr<bool> more = Fill();
    if (!more.ok()) return more.status();
    if (!*more) {
      if (!any) return false;
      r->unbalanced_quote = state == kQuoted;
      if (state == kUnquoted && !field->empty() && field->back() == '\r') {
        field->pop_back();
      }
      r->end_line = line_;
      return true;
    }
    any = true;
    const char* const begin = data();
    size_t skip = 0;  // Bytes of this chunk before raw capture started.
    const char* p = begin;
    const char* const end = p + size();
    while (p < end) {
      if (state == kQuoted) {
        // Fast path: copy up to the next quote in one go.
        const char* q = static_cast<const char*>(std::memchr(p, '"', end - p));
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
        while (stop < end && *stop != delim && *stop != '\n' &&
               (*stop != '"' || state != kFieldStart || literal)) {
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
      if (c == '"' && state == kFieldStart && !literal) {
        state = kQuoted;
        r->quoted = true;
        if (!capturing_) {
          // A re-read may need the record's bytes: those before this quote
          // are the fields so far, verbatim (none was quoted).
          for (size_t f = 0; f + 1 < r->num_fields; ++f) {
            r->raw += r->fields[f];
            r->raw += delim;
          }
          capturing_ = true;
          skip = (p - 1) - begin;
        }
      } else if (c == '"' && state == kQuoteInQuoted) {
        Append(r, field, "\"", 1);  // Doubled quote.
        state = kQuoted;
      } else if (c == delim) {
        field = StartField(r);
        state = kFieldStart;
      } else if (c == '\n') {
        if (state == kUnquoted && !field->empty() && field->back() == '\r') {
          field->pop_back();
        }
        // "\r\n" alone is blank too.
        r->blank = r->num_fields == 1 && field->empty() && !r->quoted;
        r->end_line = line_++;
        Consume(r, p - begin, skip);
        return true;
      } else if (c == '\r' && state == kQuoteInQuoted) {
        // CR before the LF after a closing quote.
      } else {
        r->text_after_quote |= state == kQuoteInQuoted;
        Append(r, field, &c, 1);  // Text after a closing quote.
        state = kUnquoted;
      }
    }
    Consume(r, end - begin, skip);
  }
}

}  // namespace storysift::internal
