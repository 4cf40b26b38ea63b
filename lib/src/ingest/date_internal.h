// Private pieces of the date parser (date.cc, date_words.cc).
#ifndef STORYSIFT_INGEST_DATE_INTERNAL_H_
#define STORYSIFT_INGEST_DATE_INTERNAL_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace storysift::internal {

inline constexpr int kMinDateYear = 1800;
inline constexpr int kMaxDateYear = 2200;

struct DateFields {
  int64_t year = 0;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int offset_seconds = 0;  // Local time minus UTC.
};

// Checks every range (the day against its month, the UTC year against
// kMinDateYear..kMaxDateYear) and converts to UTC seconds.
std::optional<int64_t> DateFieldsToUnix(const DateFields& f);

// Month-name, day-month-year, RFC 2822 and US numeric forms. `s` is trimmed.
std::optional<int64_t> ParseDateWords(std::string_view s);

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_DATE_INTERNAL_H_
