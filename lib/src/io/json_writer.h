// Minimal JSON output helpers shared by every writer, so that all JSON lines
// storysift prints escape strings and format numbers the same way.
#ifndef STORYSIFT_JSON_WRITER_H_
#define STORYSIFT_JSON_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storysift {

// Appends `s` as a JSON string literal (with quotes). UTF-8 passes through;
// control characters and invalid bytes are escaped (\uXXXX / U+FFFD), so the
// output is always valid JSON.
void AppendJsonString(std::string* out, std::string_view s);

// Appends a number with at most `digits` decimals and no trailing zeros
// ("0.91", "1", "0"). Deterministic across platforms (no locale).
void AppendJsonNumber(std::string* out, double value, int digits = 4);

// Builds one JSON object, e.g. JsonObject o; o.Str("id", id).Num("x", 0.5);
// out += o.Finish(); The caller controls key order, which keeps output
// byte-stable. JsonObject(&text) writes the object straight onto the end of
// `text` instead (no copy of the finished object), ended by Close().
class JsonObject {
 public:
  JsonObject() {
    buf_.reserve(kInitialBytes);  // A typical line, so it grows once at most.
    buf_.push_back('{');
  }
  // REQUIRES: *out outlives this object.
  explicit JsonObject(std::string* out) : out_(out) { out->push_back('{'); }
  JsonObject& Str(std::string_view key, std::string_view value);
  JsonObject& OptStr(std::string_view key, const std::optional<std::string>& value);
  JsonObject& Num(std::string_view key, double value, int digits = 4);
  JsonObject& Int(std::string_view key, int64_t value);
  JsonObject& Bool(std::string_view key, bool value);
  JsonObject& Null(std::string_view key);
  // An array of strings, written in place: ["a","b"].
  JsonObject& StrArray(std::string_view key, const std::vector<std::string>& items);
  // Inserts `json` verbatim as the value (an array or object built elsewhere).
  JsonObject& Raw(std::string_view key, std::string_view json);
  // Writes `key` and returns the text to append its value to (an array or
  // object built in place, e.g. by a nested JsonObject(text)).
  std::string* Value(std::string_view key);
  // Returns the object text, closing brace included. Call once.
  // REQUIRES: made by JsonObject().
  std::string Finish();
  // Ends the object on the text it was made with. Call once.
  void Close() { text().push_back('}'); }

 private:
  static constexpr size_t kInitialBytes = 160;
  std::string& text() { return out_ != nullptr ? *out_ : buf_; }
  void Key(std::string_view key);
  std::string buf_;
  std::string* out_ = nullptr;  // Where the object goes, when not buf_.
  bool first_ = true;
};

// Appends a JSON array of strings: ["a","b"].
void AppendJsonStringArray(std::string* out, const std::vector<std::string>& items);

// Builds a JSON array of strings: ["a","b"].
std::string JsonStringArray(const std::string_view* items, size_t n);

}  // namespace storysift

#endif  // STORYSIFT_JSON_WRITER_H_
