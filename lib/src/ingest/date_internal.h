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

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
struct CivilDate {
  int64_t year = 0;
  int month = 0, day = 0;
};
// (Hinnant's days_from_civil: what absl's civil time computes, without its
// time-zone lookups, which cost more than the rest of parsing a date.)
constexpr int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}
CivilDate CivilFromDays(int64_t days);

// Whether UTC second `utc_seconds` falls in kMinDateYear..kMaxDateYear.
bool InDateRange(int64_t utc_seconds);

// Checks every range (the day against its month, the UTC year against
// kMinDateYear..kMaxDateYear) and converts to UTC seconds.
std::optional<int64_t> DateFieldsToUnix(const DateFields& f);

// Month-name, day-month-year, RFC 2822 and US numeric forms. `s` is trimmed.
std::optional<int64_t> ParseDateWords(std::string_view s);

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_DATE_INTERNAL_H_
