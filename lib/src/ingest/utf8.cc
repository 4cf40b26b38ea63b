#include "ingest/utf8.h"

#include <cassert>
#include <cstring>

#include "simdjson.h"
#include "text/utf8.h"

namespace storysift::internal {

bool IsCleanUtf8(std::string_view s) {
  return std::memchr(s.data(), '\0', s.size()) == nullptr &&
         simdjson::validate_utf8(s.data(), s.size());
}

bool RebuildUtf8(std::string* s,
                 absl::FunctionRef<size_t(std::string_view, size_t, size_t, std::string*)>
                     invalid) {
  std::string out;
  out.reserve(s->size() + 16);
  const std::string_view in(*s);
  bool dropped_nul = false;
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] == '\0') {
      dropped_nul = true;
      ++i;
      continue;
    }
    size_t subpart;
    const size_t len = Utf8SequenceLength(in, i, &subpart);
    if (len > 0) {
      out.append(in.data() + i, len);
      i += len;
    } else {
      i += invalid(in, i, subpart, &out);
    }
  }
  s->swap(out);
  return dropped_nul;
}

bool RepairUtf8(std::string* s) {
  if (IsCleanUtf8(*s)) return false;  // Fast path: almost every input.
  RebuildUtf8(s, [](std::string_view, size_t, size_t subpart, std::string* out) {
    out->append(kUtf8Replacement);
    return subpart;
  });
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
