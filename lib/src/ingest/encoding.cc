#include "ingest/encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "absl/strings/ascii.h"
#include "ingest/ascii.h"
#include "ingest/utf8.h"
#include "text/utf8.h"

namespace storysift::internal {
namespace {


struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvHandle = std::unique_ptr<void, IconvCloser>;

IconvHandle OpenToUtf8(const std::string& charset) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return nullptr;
  return IconvHandle(cd);
}

// Appends `in` converted by `cd` to *out. Stops at the first byte `cd`
// cannot convert and returns how many input bytes were converted.
size_t AppendConverted(iconv_t cd, std::string_view in, std::string* out) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);  // Reset the shift state.
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char buffer[4096];
  while (src_left > 0) {
    char* dst = buffer;
    size_t dst_left = sizeof(buffer);
    const size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    out->append(buffer, dst - buffer);
    if (rc == static_cast<size_t>(-1) && errno != E2BIG) break;
  }
  return in.size() - src_left;
}

}  // namespace

Utf8Fix MakeUtf8(std::string* s) {
  Utf8Fix fix;
  if (IsCleanUtf8(*s)) return fix;  // Fast path: almost every input.
  // iconv handles carry state: one per thread.
  thread_local const IconvHandle cp1252 = OpenToUtf8("WINDOWS-1252");
  const bool dropped_nul =
      RebuildUtf8(s, [&](std::string_view in, size_t i, size_t, std::string* out) -> size_t {
        // One byte at a time: the next byte may start valid UTF-8 again.
        if (cp1252 != nullptr &&
            AppendConverted(static_cast<iconv_t>(cp1252.get()), in.substr(i, 1), out) == 1) {
          fix.transcoded = true;
        } else {
          out->append(kUtf8Replacement);
          fix.replaced = true;
        }
        return 1;
      });
  fix.nul_removed = dropped_nul;
  return fix;
}

bool ConvertToUtf8(std::string_view in, const std::string& charset,
                   std::string* out) {
  out->clear();
  IconvHandle cd = OpenToUtf8(charset);
  if (cd == nullptr) return false;
  return AppendConverted(static_cast<iconv_t>(cd.get()), in, out) == in.size();
}

bool ConvertFromDeclaredCharset(std::string* html) {
  if (IsCleanUtf8(*html)) return false;
  const std::optional<std::string> charset = DeclaredHtmlCharset(*html);
  if (!charset || *charset == "utf-8" || *charset == "utf8") return false;
  std::string converted;
  if (!ConvertToUtf8(*html, *charset, &converted)) return false;
  html->swap(converted);
  return true;
}

std::optional<std::string> DeclaredHtmlCharset(std::string_view html) {
  const std::string head =
      absl::AsciiStrToLower(ToAbsl(html.substr(0, std::min<size_t>(html.size(), 4096))));
  size_t meta = 0;
  while ((meta = head.find("<meta", meta)) != std::string::npos) {
    const size_t end = head.find('>', meta);
    const std::string_view tag = std::string_view(head).substr(
        meta, end == std::string::npos ? std::string::npos : end - meta);
    meta += 5;
    const size_t at = tag.find("charset");
    if (at == std::string_view::npos) continue;
    std::string_view rest = tag.substr(at + 7);
    rest = StripLeadingSpace(rest);
    if (rest.empty() || rest.front() != '=') continue;
    rest = StripLeadingSpace(rest.substr(1));
    while (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
      rest.remove_prefix(1);
    }
    size_t n = 0;
    while (n < rest.size() && (absl::ascii_isalnum(static_cast<unsigned char>(rest[n])) ||
                               rest[n] == '-' || rest[n] == '_' || rest[n] == '.' ||
                               rest[n] == ':')) {
      ++n;
    }
    if (n > 0) return std::string(rest.substr(0, n));
  }
  return std::nullopt;
}

}  // namespace storysift::internal
