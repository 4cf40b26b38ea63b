// Publication dates in the forms news dumps use.
#ifndef STORYSIFT_DATE_H_
#define STORYSIFT_DATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace storysift {

// Parses a date or date-time to UTC seconds since the epoch. Accepts ISO 8601
// ("2017-03-02", "2017-03-02T15:01:01", with "Z" or a "+01:00" offset),
// "March 2, 2017", "2 March 2017", "Mar 2, 2017", "02-Mar-17",
// "26-FEB-1987 15:01:01.79", RFC 2822 ("Thu, 02 Mar 2017 10:00:00 GMT", also
// with a comment after the zone: "+0000 (UTC)"), Twitter's created_at ("Thu
// Mar 02 10:00:00 +0000 2017": the time and a zone before the year) and a
// bare number: a year ("2017"), a compact date ("20170302"), epoch seconds
// (9-11 digits) or milliseconds (12-13 digits), the last two also with a
// fraction, dropped toward -infinity. A time without a zone is read as UTC.
// Returns nullopt when the text is not a date or lies outside years
// 1800..2200.
std::optional<int64_t> ParseDate(std::string_view text);

// The date a number given as one (a JSON number, a Python float) names, by
// ParseDate's rule for a bare number applied to its value: 2017.0 is the
// year 2017 and 1.4884128e9 epoch seconds, while 2017.9 is no date (a year
// or a compact date has no fraction; epoch seconds and milliseconds may).
std::optional<int64_t> DateFromNumber(double value);

// Formats UTC seconds as "2017-03-02T00:00:00Z".
std::string FormatDate(int64_t utc_seconds);

// utc_seconds - seconds, clamped to the int64 range: times given by callers
// or read from files may lie anywhere in it (e.g. a retention cutoff).
// REQUIRES: seconds >= 0.
int64_t SecondsBefore(int64_t utc_seconds, int64_t seconds);

// The longest retention window a job accepts (`--retention-days`, the
// index's and the state's retention_seconds): 400 Gregorian years, the span
// of the dates the readers accept. A longer one keeps everything anyway, and
// its days could overflow a count of seconds.
inline constexpr int64_t kMaxRetentionDays = 146097;
inline constexpr int64_t kMaxRetentionSeconds = kMaxRetentionDays * 86400;

// As `expected->retention_seconds` of Deduplicator::Load and
// StoryAssigner::Load: keep the retention the file was saved with (a caller
// reopening a file with other run options, such as Python's strict=True,
// would otherwise set it to its own default, 0: keep everything).
inline constexpr int64_t kKeepSavedRetention = -1;

// OK when 0 <= retention_seconds <= kMaxRetentionSeconds; InvalidArgument
// naming the value and the range otherwise.
absl::Status CheckRetentionSeconds(int64_t retention_seconds);

}  // namespace storysift

#endif  // STORYSIFT_DATE_H_
