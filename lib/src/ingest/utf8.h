// UTF-8 repair and truncation for the readers: what a record's text becomes
// before any later stage sees it (code point decoding is text/utf8.h).
// Thread-safe (pure functions).
#ifndef STORYSIFT_INGEST_UTF8_H_
#define STORYSIFT_INGEST_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace storysift::internal {

// U+FFFD, what an invalid sequence becomes.
inline constexpr char kUtf8Replacement[] = "\xEF\xBF\xBD";

// Rebuilds *s keeping its valid UTF-8 sequences and dropping its NUL bytes;
// at each invalid sequence calls `invalid(in, i, subpart, out)`, which
// appends what stands for it to *out and returns how many bytes (>= 1) of
// `in` from `i` it stood for. `subpart` is the length of the maximal
// invalid subpart at `i`. The kernel of RepairUtf8 and MakeUtf8 (encoding.h).
// Returns true when a NUL byte was dropped.
bool RebuildUtf8(std::string* s,
                 absl::FunctionRef<size_t(std::string_view in, size_t i, size_t subpart,
                                          std::string* out)>
                     invalid);

// Replaces every invalid UTF-8 sequence in *s by U+FFFD (one per maximal
// subpart, as the Unicode Standard ch. 3 "U+FFFD Substitution of Maximal
// Subparts" recommends) and removes NUL bytes. Overlong forms, surrogates
// and code points above U+10FFFF count as invalid. Returns true when *s was
// changed.
bool RepairUtf8(std::string* s);

// True when `s` is valid UTF-8 and holds no NUL byte.
bool IsCleanUtf8(std::string_view s);

// Largest n' <= n such that s[0, n') ends on a code point boundary.
// REQUIRES: n <= s.size().
size_t Utf8BoundaryAtOrBefore(std::string_view s, size_t n);

// Cuts *s to at most max_bytes at a code point boundary. Returns true when
// anything was cut.
bool TruncateUtf8(std::string* s, size_t max_bytes);

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_UTF8_H_
