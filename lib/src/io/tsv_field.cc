#include "io/tsv_field.h"

namespace storysift::internal {

void AppendTsvField(std::string* out, std::string_view field) {
  // Until the first byte that is not whitespace, a '#' would make the line
  // a comment when this is its first field (pair readers strip the line).
  bool leading = true;
  for (const char c : field) {
    switch (c) {
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\\': out->append("\\\\"); break;
      case '#':
        if (leading) out->push_back('\\');
        out->push_back(c);
        break;
      default: out->push_back(c);
    }
    // Whitespace written as it is (not escaped) keeps the '#' after it leading.
    leading = leading && (c == ' ' || c == '\v' || c == '\f');
  }
}

std::string UnescapeTsvField(std::string_view escaped) {
  std::string out;
  out.reserve(escaped.size());
  for (size_t i = 0; i < escaped.size(); ++i) {
    const char c = escaped[i];
    if (c != '\\' || i + 1 == escaped.size()) {
      out.push_back(c);
      continue;
    }
    switch (escaped[i + 1]) {
      case 't': out.push_back('\t'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case '\\': out.push_back('\\'); break;
      case '#': out.push_back('#'); break;
      default:
        out.push_back(c);  // Not an escape: the backslash is itself.
        continue;
    }
    ++i;
  }
  return out;
}

}  // namespace storysift::internal
