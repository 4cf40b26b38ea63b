#include "text/plain_text.h"

#include "text/entities.h"
#include "text/utf8.h"

namespace storysift::internal {
namespace {

// A Markdown link target longer than this is not taken for one.
constexpr size_t kMaxLinkTarget = 2048;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

}  // namespace

void CleanPlainText(std::string_view in, bool decode_entities,
                    std::string* out) {
  out->clear();
  out->reserve(in.size());
  size_t i = 0, run = 0;
  const size_t n = in.size();
  while (i < n) {
    const char c = in[i];
    if (c == '&' && decode_entities) {
      char32_t cp;
      const size_t len = DecodeEntity(in.substr(i), &cp);
      if (len > 0) {
        out->append(in.data() + run, i - run);
        if (cp == 0xA0) cp = ' ';
        if (cp >= 0x20 ? !(cp >= 0x7F && cp <= 0x9F)
                       : (cp == '\n' || cp == '\t')) {
          AppendUtf8(cp, out);
        }
        i += len;
        run = i;
        continue;
      }
    } else if (c == ']' && i + 1 < n && in[i + 1] == '(') {
      size_t j = i + 2;
      while (j < n && j - i < kMaxLinkTarget && in[j] != ')' &&
             !IsSpace(in[j])) {
        ++j;
      }
      if (j < n && in[j] == ')' && j > i + 2) {
        out->append(in.data() + run, i + 1 - run);  // Keep the ']'.
        i = j + 1;
        run = i;
        continue;
      }
    }
    ++i;
  }
  out->append(in.data() + run, n - run);
}

}  // namespace storysift::internal
