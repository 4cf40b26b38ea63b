// Date parsing for the forms news dumps use. Two passes: a strict ISO 8601
// parser (the common case, e.g. Reuters JSONL), then a small tokenizer that
// recognises month-name, day-month-year, RFC 2822 and US numeric forms.
#include "storysift/date.h"

#include <cmath>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "ingest/ascii.h"
#include "ingest/date_internal.h"

namespace storysift {
namespace internal {

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  date.month = static_cast<int>(month_from_march < 10 ? month_from_march + 3
                                                      : month_from_march - 9);
  date.year = year_of_era + era * 400 + (date.month <= 2);
  return date;
}

namespace {

constexpr int64_t kSecondsPerDay = 86400;
// The UTC instants whose year is kMinDateYear..kMaxDateYear.
constexpr int64_t kFirstDateSecond = DaysFromCivil(kMinDateYear, 1, 1) * kSecondsPerDay;
constexpr int64_t kLastDateSecond = DaysFromCivil(kMaxDateYear + 1, 1, 1) * kSecondsPerDay - 1;

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

bool InDateRange(int64_t utc_seconds) {
  return utc_seconds >= kFirstDateSecond && utc_seconds <= kLastDateSecond;
}

std::optional<int64_t> DateFieldsToUnix(const DateFields& f) {
  // The local year may be one off the UTC year; the exact check is below.
  if (f.year < kMinDateYear - 1 || f.year > kMaxDateYear + 1) {
    return std::nullopt;
  }
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > DaysInMonth(f.year, f.month)) {
    return std::nullopt;
  }
  if (f.hour < 0 || f.hour > 23 || f.minute < 0 || f.minute > 59 ||
      f.second < 0 || f.second > 60) {
    return std::nullopt;
  }
  // A leap second (":60") is the next minute's first second.
  const int64_t t = DaysFromCivil(f.year, f.month, f.day) * kSecondsPerDay +
                    f.hour * 3600 + f.minute * 60 + f.second - f.offset_seconds;
  // Range-check the UTC result, so FormatDate output always parses back.
  if (!InDateRange(t)) return std::nullopt;
  return t;
}

}  // namespace internal
namespace {

using internal::DateFields;
using internal::DateFieldsToUnix;
using internal::kMaxDateYear;
using internal::kMinDateYear;

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  // Reads exactly n digits.
  bool Digits(int n, int* out) {
    if (s_.size() - i_ < static_cast<size_t>(n)) return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
      const char c = s_[i_ + k];
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
      v = v * 10 + (c - '0');
    }
    i_ += n;
    *out = v;
    return true;
  }
  void SkipDigits() {
    while (absl::ascii_isdigit(static_cast<unsigned char>(peek()))) ++i_;
  }
  std::string_view rest() const { return s_.substr(i_); }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

// "+01:00", "+0100", "+01", "Z", "UTC", "GMT" (also after a space).
bool ParseIsoZone(Cursor* c, int* offset) {
  *offset = 0;
  if (c->done()) return true;
  std::string_view rest = internal::StripLeadingSpace(c->rest());
  if (rest == "Z" || rest == "z" || internal::EqualsIgnoreCaseAscii(rest, "UTC") ||
      internal::EqualsIgnoreCaseAscii(rest, "GMT")) {
    return true;
  }
  if (c->peek() != '+' && c->peek() != '-') return false;
  const int sign = c->peek() == '-' ? -1 : 1;
  c->Eat(c->peek());
  int h = 0, m = 0;
  if (!c->Digits(2, &h)) return false;
  if (!c->done()) {
    c->Eat(':');
    if (!c->Digits(2, &m)) return false;
  }
  if (!c->done() || h > 23 || m > 59) return false;
  *offset = sign * (h * 3600 + m * 60);
  return true;
}

// YYYY-MM-DD[(T| )hh:mm[:ss[.frac]]][zone]; also YYYY/MM/DD.
std::optional<int64_t> ParseIso(std::string_view s) {
  Cursor c(s);
  DateFields f;
  int year = 0;
  if (!c.Digits(4, &year)) return std::nullopt;
  f.year = year;
  const char sep = c.peek();
  if (sep != '-' && sep != '/') return std::nullopt;
  c.Eat(sep);
  if (!c.Digits(2, &f.month) || !c.Eat(sep) || !c.Digits(2, &f.day)) {
    return std::nullopt;
  }
  if (!c.done()) {
    if (!c.Eat('T') && !c.Eat('t') && !c.Eat(' ')) return std::nullopt;
    if (!c.Digits(2, &f.hour) || !c.Eat(':') || !c.Digits(2, &f.minute)) {
      return std::nullopt;
    }
    if (c.Eat(':')) {
      if (!c.Digits(2, &f.second)) return std::nullopt;
      if (c.Eat('.') || c.Eat(',')) {
        if (!absl::ascii_isdigit(static_cast<unsigned char>(c.peek()))) {
          return std::nullopt;
        }
        c.SkipDigits();  // Fractions of a second are dropped.
      }
    }
    if (!ParseIsoZone(&c, &f.offset_seconds)) return std::nullopt;
  }
  return DateFieldsToUnix(f);
}

// [-]digits[.digits]
bool IsNumeric(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  const size_t dot = s.find('.');
  const std::string_view int_part = s.substr(0, dot);
  const std::string_view frac =
      dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  auto all_digits = [](std::string_view t) {
    return t.find_first_not_of("0123456789") == std::string_view::npos;
  };
  return !int_part.empty() && all_digits(int_part) && all_digits(frac) &&
         (dot == std::string_view::npos || !frac.empty());
}

// A bare number as written or given: [-]whole[.fraction].
struct BareNumber {
  bool negative = false;
  int64_t whole = 0;  // The integer part's value, without the sign.
  size_t digits = 0;  // The integer part's digits.
  bool has_fraction = false;
  bool fraction_nonzero = false;
};

// The date a bare number names. Short numbers are not epoch seconds (which
// would put "2017" at 1970-01-01T00:33:37Z): 4 digits in the year range
// are that year's January 1, 8 digits are a compact ISO date (YYYYMMDD),
// 12-13 digits are epoch milliseconds (JavaScript timestamps), and 9-11
// digits (also negative) are epoch seconds. A fraction is allowed only on
// epoch seconds and milliseconds, and dropped toward -infinity: a year or
// a compact date has none. Anything else is not a date.
std::optional<int64_t> DateOfBareNumber(const BareNumber& n) {
  const bool integer = !n.negative && !n.has_fraction;
  if (integer && n.digits == 4) {
    DateFields f;
    f.year = n.whole;
    f.month = f.day = 1;
    return internal::DateFieldsToUnix(f);
  }
  if (integer && n.digits == 8) {
    DateFields f;
    f.year = n.whole / 10000;
    f.month = static_cast<int>(n.whole / 100 % 100);
    f.day = static_cast<int>(n.whole % 100);
    return internal::DateFieldsToUnix(f);
  }
  int64_t seconds;
  if (!n.negative && (n.digits == 12 || n.digits == 13)) {
    seconds = n.whole / 1000;  // Milliseconds; positive, so this rounds down.
  } else if (n.digits >= 9 && n.digits <= 11) {
    seconds = n.negative ? -n.whole : n.whole;
    // Toward -infinity, so -100000000.5 is -100000001.
    if (n.negative && n.fraction_nonzero) --seconds;
  } else {
    return std::nullopt;
  }
  if (!internal::InDateRange(seconds)) return std::nullopt;
  return seconds;
}

// A bare number written as text. REQUIRES: IsNumeric(s).
std::optional<int64_t> ParseNumericDate(std::string_view s) {
  BareNumber n;
  std::string_view int_part = s.substr(0, s.find('.'));
  n.has_fraction = int_part.size() < s.size();
  n.fraction_nonzero =
      n.has_fraction && s.find_first_not_of('0', int_part.size() + 1) != std::string_view::npos;
  n.negative = int_part.front() == '-';
  if (n.negative) int_part.remove_prefix(1);
  n.digits = int_part.size();
  // Beyond 64 bits is no date either.
  if (!absl::SimpleAtoi(internal::ToAbsl(int_part), &n.whole)) return std::nullopt;
  return DateOfBareNumber(n);
}

}  // namespace

std::optional<int64_t> ParseDate(std::string_view text) {
  const std::string_view s = internal::StripSpace(text);
  if (s.empty() || s.size() > 100) return std::nullopt;
  if (auto v = ParseIso(s)) return v;
  if (IsNumeric(s)) return ParseNumericDate(s);
  return internal::ParseDateWords(s);
}

std::optional<int64_t> DateFromNumber(double value) {
  // 13 integer digits are the most a date has; this also keeps the cast
  // below defined (and NaN out).
  if (!(std::abs(value) < 1e13)) return std::nullopt;
  BareNumber n;
  n.negative = value < 0;
  const double magnitude = std::abs(value);
  const double whole = std::floor(magnitude);
  n.whole = static_cast<int64_t>(whole);
  n.digits = 1;
  for (int64_t rest = n.whole / 10; rest > 0; rest /= 10) ++n.digits;
  n.has_fraction = n.fraction_nonzero = whole != magnitude;
  return DateOfBareNumber(n);
}

std::string FormatDate(int64_t utc_seconds) {
  if (!internal::InDateRange(utc_seconds)) {  // Rare: absl handles any year.
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(utc_seconds),
                            absl::UTCTimeZone());
  }
  // Dates in range (every parsed one) have four-digit years: formatted by
  // hand, as absl's FormatTime (time-zone lookup, strftime) is slow per line.
  const int64_t days = utc_seconds / internal::kSecondsPerDay -
                       (utc_seconds % internal::kSecondsPerDay < 0);
  const int64_t second_of_day = utc_seconds - days * internal::kSecondsPerDay;
  const internal::CivilDate date = internal::CivilFromDays(days);
  const int fields[] = {static_cast<int>(date.year), date.month, date.day,
                        static_cast<int>(second_of_day / 3600),
                        static_cast<int>(second_of_day / 60 % 60),
                        static_cast<int>(second_of_day % 60)};
  std::string out = "0000-00-00T00:00:00Z";
  static constexpr size_t kFieldEnd[] = {4, 7, 10, 13, 16, 19};  // Past each field.
  for (size_t i = 0; i < std::size(fields); ++i) {
    int v = fields[i];
    for (size_t pos = kFieldEnd[i]; v > 0; v /= 10) out[--pos] = static_cast<char>('0' + v % 10);
  }
  return out;
}

int64_t SecondsBefore(int64_t utc_seconds, int64_t seconds) {
  int64_t out;
  if (__builtin_sub_overflow(utc_seconds, seconds, &out)) return INT64_MIN;
  return out;
}

absl::Status CheckRetentionSeconds(int64_t retention_seconds) {
  if (retention_seconds >= 0 && retention_seconds <= kMaxRetentionSeconds) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "retention_seconds ", retention_seconds, " is outside 0..", kMaxRetentionSeconds, " (0 to ",
      kMaxRetentionDays, " days, 400 years)"));
}

}  // namespace storysift
