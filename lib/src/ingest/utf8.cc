#include "ingest/utf8.h"

#include <cassert>
#include <cstring>

#include "simdjson.h"

namespace storysift::internal {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid sequence starting at s[i], or 0 if invalid; on 0,
// *subpart is the length of the maximal subpart to replace (>= 1).
size_t ValidSequenceLength(std::string_view s, size_t i, size_t* subpart) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  *subpart = 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // Allowed range of the second byte.
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // No overlongs.
    if (b0 == 0xED) hi = 0x9F;  // No surrogates.
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // No overlongs.
    if (b0 == 0xF4) hi = 0x8F;  // Nothing above U+10FFFF.
  } else {
    return 0;  // Continuation byte or C0/C1/F5..FF lead.
  }
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) return 0;
    const unsigned char b = byte(i + k);
    const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) return 0;
    *subpart = k + 1;
  }
  return len;
}

}  // namespace

bool IsCleanUtf8(std::string_view s) {
  return std::memchr(s.data(), '\0', s.size()) == nullptr &&
         simdjson::validate_utf8(s.data(), s.size());
}

bool RepairUtf8(std::string* s) {
  if (IsCleanUtf8(*s)) return false;  // Fast path: almost every input.
  std::string out;
  out.reserve(s->size() + 16);
  const std::string_view in(*s);
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] == '\0') {
      ++i;
      continue;
    }
    size_t subpart;
    const size_t len = ValidSequenceLength(in, i, &subpart);
    if (len > 0) {
      out.append(in.data() + i, len);
      i += len;
    } else {
      out.append(kReplacement);
      i += subpart;
    }
  }
  s->swap(out);
  return true;
}

size_t Utf8BoundaryAtOrBefore(std::string_view s, size_t n) {
  assert(n <= s.size());
  if (n == s.size()) return n;
  // Back off over at most 3 continuation bytes (10xxxxxx).
  size_t k = n;
  while (k > 0 && n - k < 3 &&
         (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) {
    --k;
  }
  return (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80 ? n : k;
}

bool TruncateUtf8(std::string* s, size_t max_bytes) {
  if (s->size() <= max_bytes) return false;
  s->resize(Utf8BoundaryAtOrBefore(*s, max_bytes));
  return true;
}

}  // namespace storysift::internal
