// Small ASCII string helpers on std::string_view. Abseil 20220623 (Debian)
// is built with its own absl::string_view, so its helpers do not take
// std::string_view; these fill that gap for ingest.
#ifndef STORYSIFT_INGEST_ASCII_H_
#define STORYSIFT_INGEST_ASCII_H_

#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace storysift::internal {

inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

inline bool IsAsciiSpace(char c) {
  return absl::ascii_isspace(static_cast<unsigned char>(c));
}

inline std::string_view StripLeadingSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  return s;
}

inline std::string_view StripSpace(std::string_view s) {
  s = StripLeadingSpace(s);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

inline bool IsBlank(std::string_view s) { return StripLeadingSpace(s).empty(); }

inline bool EqualsIgnoreCaseAscii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_ASCII_H_
