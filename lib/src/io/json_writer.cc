#include "io/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "text/utf8.h"

namespace storysift {
namespace {

// Printable ASCII that JSON takes as is: copied in runs, not a byte at a time.
constexpr std::array<bool, 256> MakeJsonPlain() {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7F; ++c) t[c] = c != '"' && c != '\\';
  return t;
}
constexpr std::array<bool, 256> kJsonPlain = MakeJsonPlain();

// Room for any double in fixed notation with a few decimals (DBL_MAX has 309
// integer digits); longer requests fall back to StrFormat.
constexpr size_t kNumberBytes = 352;

// `s` ("%.*f" output) without trailing zeros after a point, the point if
// nothing follows it, and "-0" as "0".
void AppendTrimmedNumber(std::string* out, std::string_view s) {
  if (s.find('.') != std::string_view::npos) {
    while (s.back() == '0') s.remove_suffix(1);
    if (s.back() == '.') s.remove_suffix(1);
  }
  if (s == "-0") s = "0";
  out->append(s);
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  size_t i = 0;
  while (i < s.size() && kJsonPlain[static_cast<unsigned char>(s[i])]) ++i;
  if (i == s.size()) {  // Nothing to escape (ids, keys, most text): one copy.
    const size_t at = out->size();
    out->resize(at + s.size() + 2);
    char* p = out->data() + at;
    p[0] = '"';
    if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());  // data() may be null.
    p[s.size() + 1] = '"';
    return;
  }
  out->push_back('"');
  out->append(s.data(), i);
  while (i < s.size()) {
    size_t run = i;
    while (run < s.size() && kJsonPlain[static_cast<unsigned char>(s[run])]) ++run;
    out->append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    const unsigned char c = s[i];
    if (c >= 0x80) {
      size_t subpart;  // Unused: one U+FFFD per invalid byte, not subpart.
      const size_t len = internal::Utf8SequenceLength(s, i, &subpart);
      if (len == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD for an invalid byte.
        ++i;
      } else {
        out->append(s.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20 || c == 0x7F) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

void AppendJsonNumber(std::string* out, double value, int digits) {
  if (!std::isfinite(value)) {
    out->append("null");
    return;
  }
  // to_chars formats as printf's "%.*f" does (both exact), without its
  // format parsing and a string per number.
  char buf[kNumberBytes];
  const std::to_chars_result r =
      std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed, digits);
  if (r.ec != std::errc()) {  // Hundreds of digits: rare enough for a string.
    std::string big = absl::StrFormat("%.*f", digits, value);
    AppendTrimmedNumber(out, big);
    return;
  }
  AppendTrimmedNumber(out, std::string_view(buf, r.ptr - buf));
}

void JsonObject::Key(std::string_view key) {
  std::string& t = text();
  if (!first_) t.push_back(',');
  first_ = false;
  AppendJsonString(&t, key);
  t.push_back(':');
}

JsonObject& JsonObject::Str(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(&text(), value);
  return *this;
}

JsonObject& JsonObject::OptStr(std::string_view key,
                               const std::optional<std::string>& value) {
  return value ? Str(key, *value) : Null(key);
}

JsonObject& JsonObject::Num(std::string_view key, double value, int digits) {
  Key(key);
  AppendJsonNumber(&text(), value, digits);
  return *this;
}

JsonObject& JsonObject::Int(std::string_view key, int64_t value) {
  Key(key);
  absl::StrAppend(&text(), value);
  return *this;
}

JsonObject& JsonObject::Bool(std::string_view key, bool value) {
  Key(key);
  text().append(value ? "true" : "false");
  return *this;
}

JsonObject& JsonObject::Null(std::string_view key) {
  Key(key);
  text().append("null");
  return *this;
}

JsonObject& JsonObject::StrArray(std::string_view key, const std::vector<std::string>& items) {
  Key(key);
  AppendJsonStringArray(&text(), items);
  return *this;
}

JsonObject& JsonObject::Raw(std::string_view key, std::string_view json) {
  Key(key);
  text().append(json);
  return *this;
}

std::string* JsonObject::Value(std::string_view key) {
  Key(key);
  return &text();
}

std::string JsonObject::Finish() {
  buf_.push_back('}');
  return std::move(buf_);
}

void AppendJsonStringArray(std::string* out, const std::vector<std::string>& items) {
  out->push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(out, items[i]);
  }
  out->push_back(']');
}

std::string JsonStringArray(const std::string_view* items, size_t n) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out.push_back(',');
    AppendJsonString(&out, items[i]);
  }
  out.push_back(']');
  return out;
}

}  // namespace storysift
