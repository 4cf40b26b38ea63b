// Date parsing for the forms news dumps use. Two passes: a strict ISO 8601
// parser (the common case, e.g. Reuters JSONL), then a small tokenizer that
// recognises month-name, day-month-year, RFC 2822 and US numeric forms.
#include "storysift/date.h"


#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ingest/ascii.h"
#include "ingest/date_internal.h"

namespace storysift {
namespace internal {

std::optional<int64_t> DateFieldsToUnix(const DateFields& f) {
  // The local year may be one off the UTC year; the exact check is below.
  if (f.year < kMinDateYear - 1 || f.year > kMaxDateYear + 1) {
    return std::nullopt;
  }
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31) {
    return std::nullopt;
  }
  if (f.hour < 0 || f.hour > 23 || f.minute < 0 || f.minute > 59 ||
      f.second < 0 || f.second > 60) {
    return std::nullopt;
  }
  const absl::CivilDay day(f.year, f.month, f.day);
  if (day.month() != f.month || day.day() != f.day) return std::nullopt;
  // A leap second (":60") is folded into the next second by CivilSecond.
  const absl::CivilSecond cs(f.year, f.month, f.day, f.hour, f.minute,
                             f.second);
  const int64_t t =
      absl::ToUnixSeconds(absl::FromCivil(cs, absl::UTCTimeZone())) -
      f.offset_seconds;
  // Range-check the UTC result, so FormatDate output always parses back.
  const int64_t year =
      absl::ToCivilYear(absl::FromUnixSeconds(t), absl::UTCTimeZone()).year();
  if (year < kMinDateYear || year > kMaxDateYear) return std::nullopt;
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

// A bare number. Short numbers are not epoch seconds (which would put "2017"
// at 1970-01-01T00:33:37Z): 4 digits in the year range are that year's
// January 1, 8 digits are a compact ISO date (YYYYMMDD), 12-13 digits are
// epoch milliseconds (JavaScript timestamps), and [-]digits[.digits] of
// 9-11 integer digits are epoch seconds. Anything else is not a date.
std::optional<int64_t> ParseNumericDate(std::string_view s) {
  std::string_view int_part = s.substr(0, s.find('.'));
  const bool has_fraction = int_part.size() < s.size();
  if (has_fraction) {
    std::string_view frac = s.substr(int_part.size() + 1);
    if (frac.empty()) return std::nullopt;
    for (char ch : frac) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(ch))) {
        return std::nullopt;
      }
    }
  }
  int64_t v;
  if (int_part.empty() || int_part[0] == '+' ||
      !absl::SimpleAtoi(internal::ToAbsl(int_part), &v)) {
    return std::nullopt;
  }
  const bool negative = int_part[0] == '-';
  const size_t digits = int_part.size() - (negative ? 1 : 0);
  if (!negative && !has_fraction && digits == 4) {
    DateFields f;
    f.year = v;
    f.month = f.day = 1;
    return internal::DateFieldsToUnix(f);
  }
  if (!negative && !has_fraction && digits == 8) {
    DateFields f;
    f.year = v / 10000;
    f.month = static_cast<int>(v / 100 % 100);
    f.day = static_cast<int>(v % 100);
    return internal::DateFieldsToUnix(f);
  }
  if (!negative && !has_fraction && (digits == 12 || digits == 13)) {
    v /= 1000;  // Milliseconds; positive, so this rounds down.
  } else if (digits < 9 || digits > 11) {
    return std::nullopt;
  }
  // Fractions are dropped toward -infinity, so -100000000.5 is -100000001.
  if (negative && has_fraction &&
      s.find_first_not_of("0", int_part.size() + 1) != std::string_view::npos) {
    --v;
  }
  const absl::CivilSecond cs =
      absl::ToCivilSecond(absl::FromUnixSeconds(v), absl::UTCTimeZone());
  if (cs.year() < kMinDateYear || cs.year() > kMaxDateYear) return std::nullopt;
  return v;
}

}  // namespace

std::optional<int64_t> ParseDate(std::string_view text) {
  const std::string_view s = internal::StripSpace(text);
  if (s.empty() || s.size() > 100) return std::nullopt;
  if (auto v = ParseIso(s)) return v;
  if (IsNumeric(s)) return ParseNumericDate(s);
  return internal::ParseDateWords(s);
}

namespace {

constexpr int64_t kSecondsPerDay = 86400;
// Years 1000-9999, where "%Y" prints four digits: [1000-01-01, 10000-01-01).
constexpr int64_t kFourDigitYearsBegin = -30610224000;
constexpr int64_t kFourDigitYearsEnd = 253402300800;

// Writes `value` as `width` decimal digits, zero-padded.
char* PutDigits(char* out, unsigned value, int width) {
  for (int k = width - 1; k >= 0; --k, value /= 10) out[k] = static_cast<char>('0' + value % 10);
  return out + width;
}

}  // namespace

std::string FormatDate(int64_t utc_seconds) {
  if (utc_seconds < kFourDigitYearsBegin || utc_seconds >= kFourDigitYearsEnd) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(utc_seconds),
                            absl::UTCTimeZone());
  }
  // The same text without absl's time-zone machinery (~2,800 instructions a
  // call; the story writer formats two dates a story): the proleptic
  // Gregorian day from days since the epoch (H. Hinnant, "chrono-compatible
  // low-level date algorithms", civil_from_days). FormatDateTest compares
  // both over the whole range.
  int64_t days = utc_seconds / kSecondsPerDay;
  int64_t second_of_day = utc_seconds % kSecondsPerDay;
  if (second_of_day < 0) second_of_day += kSecondsPerDay, --days;
  const int64_t z = days + 719468;  // Days since 0000-03-01.
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(z - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;  // March = 0.
  const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const auto year = static_cast<unsigned>(year_of_era + era * 400 + (month <= 2));
  const auto sod = static_cast<unsigned>(second_of_day);
  std::string out(sizeof("2017-03-02T00:00:00Z") - 1, '\0');
  char* p = PutDigits(out.data(), year, 4);
  *p++ = '-';
  p = PutDigits(p, month, 2);
  *p++ = '-';
  p = PutDigits(p, day, 2);
  *p++ = 'T';
  p = PutDigits(p, sod / 3600, 2);
  *p++ = ':';
  p = PutDigits(p, sod / 60 % 60, 2);
  *p++ = ':';
  p = PutDigits(p, sod % 60, 2);
  *p = 'Z';
  return out;
}

int64_t SecondsBefore(int64_t utc_seconds, int64_t seconds) {
  int64_t out;
  if (__builtin_sub_overflow(utc_seconds, seconds, &out)) return INT64_MIN;
  return out;
}

}  // namespace storysift
