// JSON lines: one object per line, parsed with simdjson's DOM parser
// (Langdale and Lemire, "Parsing Gigabytes of JSON per Second", VLDB J.
// 2019). DOM rather than On Demand because it validates the whole line, so
// a malformed record is always reported instead of half-read.
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "ingest/ascii.h"
#include "ingest/encoding.h"
#include "ingest/line_source.h"
#include "ingest/reader_internal.h"
#include "ingest/utf8.h"
#include "simdjson.h"

namespace storysift::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// The first of `names` present in `obj` with a non-null value.
bool Lookup(const object& obj, const std::vector<std::string>& names,
            element* out) {
  for (const std::string& name : names) {
    if (obj.at_key(name).get(*out) == simdjson::SUCCESS &&
        out->type() != element_type::NULL_VALUE) {
      return true;
    }
  }
  return false;
}

// Strings as they are; numbers in their shortest decimal form.
bool ScalarToString(const element& e, std::string* out) {
  switch (e.type()) {
    case element_type::STRING: {
      std::string_view s;
      if (e.get_string().get(s) != simdjson::SUCCESS) return false;
      out->assign(s);
      return true;
    }
    case element_type::INT64:
      *out = absl::StrCat(int64_t(e.get_int64().value_unsafe()));
      return true;
    case element_type::UINT64:
      *out = absl::StrCat(uint64_t(e.get_uint64().value_unsafe()));
      return true;
    case element_type::DOUBLE: {
      const double v = e.get_double().value_unsafe();
      *out = std::abs(v) < 9e15 && v == std::floor(v)
                 ? absl::StrCat(static_cast<int64_t>(v))
                 : absl::StrFormat("%.17g", v);
      return true;
    }
    default:
      return false;
  }
}

void CopyString(const object& obj, const std::vector<std::string>& names,
                std::string* out) {
  element e;
  if (Lookup(obj, names, &e) && e.type() == element_type::STRING) {
    ScalarToString(e, out);
  }
}

class JsonlReader : public DocumentReader {
 public:
  JsonlReader(std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : source_(std::move(source)),
        lines_(source_.get(), options.max_line_bytes),
        options_(options),
        basename_(Basename(source_->name())) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    while (true) {
      bool too_long;
      size_t line_bytes;
      absl::StatusOr<bool> more = lines_.Next(&line_, &too_long, &line_bytes);
      if (!more.ok()) return more.status();
      if (!*more) return false;
      if (lines_.line_number() == 1 && line_.starts_with("\xEF\xBB\xBF")) {
        line_.erase(0, 3);  // Byte order mark.
      }
      if (!too_long && IsBlank(line_)) continue;
      ResetRecord(record);
      record->doc.origin = {source_->name(), lines_.line_number()};
      record->origin = record->doc.origin;
      if (too_long) {
        SetSkip(record, kSkipLineTooLong,
                absl::StrCat("line of ", line_bytes,
                             " bytes exceeds max_line_bytes = ",
                             options_.max_line_bytes));
      } else {
        ParseLine(record);
      }
      return true;
    }
  }

 private:
  void ParseLine(ReadRecord* record) {
    if (std::memchr(line_.data(), '\0', line_.size()) != nullptr) {
      SetSkip(record, kSkipBinary, "line holds a NUL byte");
      return;
    }
    // The line as read, before any repair (dedup --keep-first writes it).
    if (options_.keep_raw) record->doc.raw = line_;
    element root;
    simdjson::error_code err = Parse(&root);
    Utf8Fix fix;
    if (err == simdjson::UTF8_ERROR) {
      // JSON's structure is ASCII, so converting the line keeps it.
      fix = MakeUtf8(&line_);
      err = Parse(&root);
    }
    if (err != simdjson::SUCCESS) {
      SetSkip(record, kSkipInvalidJson,
              absl::StrCat("invalid JSON: ", simdjson::error_message(err)));
      return;
    }
    object obj;
    if (root.get_object().get(obj) != simdjson::SUCCESS) {
      SetSkip(record, kSkipNotObject, "line is JSON but not an object");
      return;
    }
    Document& doc = record->doc;
    doc.flags.utf8_repaired = fix.replaced;
    doc.flags.transcoded = fix.transcoded;
    element e;
    if (!Lookup(obj, options_.fields.text, &e) ||
        e.type() != element_type::STRING) {
      SetSkip(record, kSkipMissingText,
              absl::StrCat("no string field named ",
                           absl::StrJoin(options_.fields.text, " or ")));
      return;
    }
    ScalarToString(e, &doc.text);
    if (Lookup(obj, options_.fields.id, &e)) ScalarToString(e, &doc.id);
    CopyString(obj, options_.fields.title, &doc.title);
    CopyString(obj, options_.fields.source, &doc.source);
    CopyString(obj, options_.fields.url, &doc.url);
    if (Lookup(obj, options_.fields.date, &e)) {
      std::string date;
      if (e.type() == element_type::DOUBLE) {
        // Epoch seconds with a fraction: drop it toward -infinity.
        const double v = std::floor(e.get_double().value_unsafe());
        if (std::abs(v) < 1e12) date = absl::StrCat(static_cast<int64_t>(v));
        SetDate(date.empty() ? "not a date" : date, &doc);
      } else if (ScalarToString(e, &date)) {
        SetDate(date, &doc);
      } else {
        doc.flags.date_unparsed = true;
      }
    }
    FinishDocument(options_, absl::StrCat(basename_, ":", lines_.line_number()),
                   record);
  }

  simdjson::error_code Parse(element* root) {
    // simdjson reads up to SIMDJSON_PADDING bytes past the end.
    line_.reserve(line_.size() + simdjson::SIMDJSON_PADDING);
    return parser_.parse(line_.data(), line_.size(), false).get(*root);
  }

  std::unique_ptr<ByteSource> source_;
  LineSource lines_;
  ReaderOptions options_;
  std::string basename_;
  std::string line_;
  simdjson::dom::parser parser_;
};

}  // namespace

std::unique_ptr<DocumentReader> NewJsonlReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options) {
  return std::make_unique<JsonlReader>(std::move(source), options);
}

}  // namespace storysift::internal
