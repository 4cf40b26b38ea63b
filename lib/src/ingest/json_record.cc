// Parsing is simdjson's DOM parser (Langdale and Lemire, "Parsing Gigabytes
// of JSON per Second", VLDB J. 2019). DOM rather than On Demand because it
// validates the whole record, so a malformed one is always reported instead
// of half-read.
#include "ingest/json_record.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "ingest/ascii.h"
#include "ingest/byte_source.h"
#include "ingest/reader_internal.h"
#include "ingest/encoding.h"
#include "ingest/utf8.h"
#include "storysift/date.h"

namespace storysift::internal {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr size_t kMaxSeenFields = 64;

// Lines are parsed inside the reader's buffer (ParsePadded), whose slack
// must cover simdjson's read-ahead.
static_assert(ByteSource::kSlackBytes >= simdjson::SIMDJSON_PADDING);

// A record's top-level object with a 64-bit filter of its keys: each field
// has a dozen names to try and a record holds few of them, so a name whose
// bit is clear skips at_key's scan of the keys (no false negatives).
class KeyedObject {
 public:
  explicit KeyedObject(const object& obj) : obj_(obj) {
    for (auto [key, value] : obj) keys_ |= Bit(key);
  }
  const object& obj() const { return obj_; }
  bool MayHave(std::string_view key) const { return (keys_ & Bit(key)) != 0; }

 private:
  static uint64_t Bit(std::string_view key) {
    if (key.empty()) return 1;
    const unsigned mix = static_cast<unsigned>(key.size()) * 7 +
                         static_cast<unsigned char>(key.front()) * 3 +
                         static_cast<unsigned char>(key.back());
    return uint64_t{1} << (mix & 63);
  }

  const object& obj_;
  uint64_t keys_ = 0;
};

// `name` as a key of `obj`, or else as a dotted path through nested
// objects ("meta.date"). A literal key wins, so a key that holds a dot
// still works.
bool Find(const KeyedObject& keyed, std::string_view name, element* out) {
  const object& obj = keyed.obj();
  if (keyed.MayHave(name) && obj.at_key(name).get(*out) == simdjson::SUCCESS) return true;
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos || !keyed.MayHave(name.substr(0, dot))) return false;
  object current = obj;
  for (absl::string_view part : absl::StrSplit(absl::string_view(name.data(), name.size()), '.')) {
    if (current.at_key(std::string_view(part.data(), part.size())).get(*out) !=
        simdjson::SUCCESS) {
      return false;
    }
    if (out->type() == element_type::OBJECT) current = out->get_object().value_unsafe();
  }
  return true;
}

// The first of `names` present in `obj` with a scalar value (null, an
// object or an array is passed over: NewsAPI's "source" is an object, and
// "source.name" further down the list is the string).
bool Lookup(const KeyedObject& obj, const std::vector<std::string>& names, element* out) {
  for (const std::string& name : names) {
    if (!Find(obj, name, out)) continue;
    const element_type t = out->type();
    if (t != element_type::NULL_VALUE && t != element_type::OBJECT && t != element_type::ARRAY) {
      return true;
    }
  }
  return false;
}

// Whether one of `names` holds an object or an array: a field given, but
// not as a value any reader of it can use.
bool HasNonScalar(const KeyedObject& obj, const std::vector<std::string>& names) {
  element e;
  for (const std::string& name : names) {
    if (!Find(obj, name, &e)) continue;
    if (e.type() == element_type::OBJECT || e.type() == element_type::ARRAY) return true;
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

// `json` with each number that is valid JSON but beyond int64/uint64 (an
// integer) or the double range (overflowing to infinity) replaced by [];
// empty when it has none. Strings are passed over, escapes included.
std::string WithoutHugeNumbers(std::string_view json) {
  std::string out;
  bool replaced = false;
  size_t copied = 0;
  for (size_t i = 0; i < json.size();) {
    const char c = json[i];
    if (c == '"') {
      for (++i; i < json.size() && json[i] != '"'; ++i) {
        if (json[i] == '\\') ++i;
      }
      ++i;
      continue;
    }
    if (c != '-' && !absl::ascii_isdigit(c)) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    bool integer = true;
    while (end < json.size() &&
           (absl::ascii_isdigit(json[end]) ||
            std::string_view(".eE+-").find(json[end]) != std::string_view::npos)) {
      integer = integer && absl::ascii_isdigit(json[end]);
      ++end;
    }
    const std::string token(json.substr(i, end - i));
    bool huge = false;
    if (integer) {
      int64_t signed_value;
      uint64_t unsigned_value;
      huge = token != "-" && !absl::SimpleAtoi(token, &signed_value) &&
             !absl::SimpleAtoi(token, &unsigned_value);
    } else {
      char* parse_end = nullptr;
      const double v = std::strtod(token.c_str(), &parse_end);
      huge = parse_end == token.c_str() + token.size() && std::isinf(v);
    }
    if (huge) {
      out.append(json.substr(copied, i - copied));
      out.append("[]");
      copied = end;
      replaced = true;
    }
    i = end;
  }
  if (!replaced) return {};
  out.append(json.substr(copied));
  return out;
}

void CopyString(const KeyedObject& obj, const std::vector<std::string>& names,
                std::string* out) {
  element e;
  if (Lookup(obj, names, &e) && e.type() == element_type::STRING) ScalarToString(e, out);
}

}  // namespace

JsonRecordParser::JsonRecordParser(const ReaderOptions& options)
    : options_(options),
      required_found_(options.fields.required.size(), false),
      required_missing_(options.fields.required.size()) {}

void JsonRecordParser::NoteFields(const object& obj) {
  any_object_ = true;
  if (required_missing_ == 0) return;
  const KeyedObject keyed(obj);
  for (size_t i = 0; i < required_found_.size(); ++i) {
    element e;
    if (!required_found_[i] && Find(keyed, options_.fields.required[i], &e)) {
      required_found_[i] = true;
      --required_missing_;
    }
  }
  for (auto [key, value] : obj) {
    if (seen_fields_.size() >= kMaxSeenFields) break;
    seen_fields_.emplace(key);
  }
}

absl::Status JsonRecordParser::CheckRequiredFields(std::string_view input) const {
  if (required_missing_ == 0 || !any_object_) return absl::OkStatus();
  std::vector<std::string> missing;
  for (size_t i = 0; i < required_found_.size(); ++i) {
    if (!required_found_[i]) missing.push_back(absl::StrCat("\"", options_.fields.required[i], "\""));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      ToAbsl(input), ": no record has the field ", absl::StrJoin(missing, ", "),
      "; fields seen: ", absl::StrJoin(seen_fields_, ", "),
      seen_fields_.size() >= kMaxSeenFields ? ", ..." : ""));
}

void JsonRecordParser::Parse(std::string* json, std::string_view fallback_id,
                             ReadRecord* record) {
  json->reserve(json->size() + simdjson::SIMDJSON_PADDING);
  ParsePadded(*json, fallback_id, record);
}

void JsonRecordParser::ParsePadded(std::string_view json, std::string_view fallback_id,
                                   ReadRecord* record) {
  if (options_.keep_raw) record->doc.raw.assign(json);
  element root;
  simdjson::error_code err = parser_.parse(json.data(), json.size(), false).get(root);
  // simdjson accepts no raw NUL anywhere (not in a string, not between or
  // after tokens), so only a line it rejects needs the search for one.
  if (err != simdjson::SUCCESS && std::memchr(json.data(), '\0', json.size()) != nullptr) {
    SetSkip(record, kSkipBinary, "line holds a NUL byte");
    return;
  }
  Utf8Fix fix;
  std::string_view parsed = json;  // The bytes behind `root`.
  if (err == simdjson::UTF8_ERROR) {
    // JSON's structure is ASCII, so converting the line keeps it.
    repaired_.assign(json);
    fix = MakeUtf8(&repaired_);
    repaired_.reserve(repaired_.size() + simdjson::SIMDJSON_PADDING);
    parsed = repaired_;
    err = parser_.parse(repaired_.data(), repaired_.size(), false).get(root);
  }
  if (err == simdjson::NUMBER_ERROR) {
    // Valid JSON may hold numbers beyond 64 bits or the double range (a
    // "views" counter, a date in nanoseconds); simdjson rejects the line.
    // They become [] (no value): a date counts as unparsed, an id falls back.
    if (std::string emptied = WithoutHugeNumbers(parsed); !emptied.empty()) {
      huge_numbers_ = std::move(emptied);
      huge_numbers_.reserve(huge_numbers_.size() + simdjson::SIMDJSON_PADDING);
      if (parser_.parse(huge_numbers_.data(), huge_numbers_.size(), false).get(root) ==
          simdjson::SUCCESS) {
        err = simdjson::SUCCESS;
      }
    }
  }
  if (err != simdjson::SUCCESS) {
    SetSkip(record, kSkipInvalidJson, absl::StrCat("invalid JSON: ", simdjson::error_message(err)));
    return;
  }
  object obj;
  if (root.get_object().get(obj) != simdjson::SUCCESS) {
    SetSkip(record, kSkipNotObject, "line is JSON but not an object");
    return;
  }
  NoteFields(obj);
  const KeyedObject keyed(obj);
  Document& doc = record->doc;
  doc.flags.utf8_repaired = fix.replaced;
  doc.flags.transcoded = fix.transcoded;
  element e;
  if (!Lookup(keyed, options_.fields.text, &e) || e.type() != element_type::STRING) {
    SetSkip(record, kSkipMissingText,
            absl::StrCat("no string field named ", absl::StrJoin(options_.fields.text, " or ")));
    return;
  }
  ScalarToString(e, &doc.text);
  if (Lookup(keyed, options_.fields.id, &e)) ScalarToString(e, &doc.id);
  CopyString(keyed, options_.fields.title, &doc.title);
  CopyString(keyed, options_.fields.source, &doc.source);
  CopyString(keyed, options_.fields.url, &doc.url);
  if (Lookup(keyed, options_.fields.date, &e)) {
    std::string date;
    if (e.type() == element_type::DOUBLE) {
      // By its value, as a bare number in a string is read (2017.9 is no year).
      doc.published = DateFromNumber(e.get_double().value_unsafe());
      doc.flags.date_unparsed = !doc.published.has_value();
    } else if (e.type() == element_type::STRING) {
      SetDate(e.get_string().value_unsafe(), &doc);  // Read in place: no copy.
    } else if (ScalarToString(e, &date)) {
      SetDate(date, &doc);
    } else {
      doc.flags.date_unparsed = true;
    }
  } else if (HasNonScalar(keyed, options_.fields.date)) {
    // {"y": 2017} or ["2017-03-02"]: counted, not silently undated.
    doc.flags.date_unparsed = true;
  }
  FinishDocument(options_, fallback_id, record, FieldBytes::kValidUtf8);
}

}  // namespace storysift::internal
