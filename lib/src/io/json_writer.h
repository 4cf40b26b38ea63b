// Minimal JSON output helpers shared by every writer, so that all JSON lines
// storysift prints escape strings and format numbers the same way.
#ifndef STORYSIFT_JSON_WRITER_H_
#define STORYSIFT_JSON_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
// byte-stable.
class JsonObject {
 public:
  JsonObject() {
    buf_.reserve(kInitialBytes);  // A typical line, so it grows once at most.
    buf_.push_back('{');
  }
  JsonObject& Str(std::string_view key, std::string_view value);
  JsonObject& OptStr(std::string_view key, const std::optional<std::string>& value);
  JsonObject& Num(std::string_view key, double value, int digits = 4);
  JsonObject& Int(std::string_view key, int64_t value);
  JsonObject& Bool(std::string_view key, bool value);
  JsonObject& Null(std::string_view key);
  // Inserts `json` verbatim as the value (an array or object built elsewhere).
  JsonObject& Raw(std::string_view key, std::string_view json);
  // Returns the object text, closing brace included. Call once.
  std::string Finish();

 private:
  static constexpr size_t kInitialBytes = 160;
  void Key(std::string_view key);
  std::string buf_;
  bool first_ = true;
};

// Builds a JSON array of strings: ["a","b"].
std::string JsonStringArray(const std::string_view* items, size_t n);

}  // namespace storysift

#endif  // STORYSIFT_JSON_WRITER_H_
