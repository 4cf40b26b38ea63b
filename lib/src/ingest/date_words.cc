// Dates written with words or slashes: "March 2, 2017", "2 March 2017",
// "02-Mar-17", "26-FEB-1987 15:01:01.79", RFC 2822
// "Thu, 02 Mar 2017 10:00:00 GMT" (also "+0000 (UTC)"), Twitter's
// "Thu Mar 02 10:00:00 +0000 2017" and US "03/02/2017" (month first).
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "ingest/ascii.h"
#include "ingest/date_internal.h"

namespace storysift::internal {
namespace {

struct Token {
  enum Kind { kNumber, kWord, kTime, kOffset } kind = kNumber;
  int64_t number = 0;  // kNumber; kOffset in seconds.
  int digits = 0;      // kNumber.
  std::string word;    // kWord, lowercased.
  int hour = 0, minute = 0, second = 0;  // kTime.
  char sep = ' ';      // Separator before the token: ' ' , - / .
};

bool IsDigit(char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }

// Reads a run of digits at s[*i] (at most max_digits); false if none.
bool ReadNumber(std::string_view s, size_t* i, int max_digits, int64_t* v,
                int* digits) {
  *v = 0;
  *digits = 0;
  while (*i < s.size() && IsDigit(s[*i])) {
    if (++*digits > max_digits) return false;
    *v = *v * 10 + (s[*i] - '0');
    ++*i;
  }
  return *digits > 0;
}

// RFC 2822 section 4.3 zone names, in seconds east of UTC.
bool ZoneOffset(const std::string& w, int* offset) {
  static constexpr struct {
    const char* name;
    int hours;
  } kZones[] = {{"z", 0},    {"ut", 0},   {"utc", 0},  {"gmt", 0},
                {"est", -5}, {"edt", -4}, {"cst", -6}, {"cdt", -5},
                {"mst", -7}, {"mdt", -6}, {"pst", -8}, {"pdt", -7}};
  for (const auto& z : kZones) {
    if (w == z.name) {
      *offset = z.hours * 3600;
      return true;
    }
  }
  return false;
}

bool Tokenize(std::string_view s, std::vector<Token>* out) {
  size_t i = 0;
  char sep = ' ';
  while (i < s.size()) {
    const char c = s[i];
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    int unused;
    const bool after_time_or_zone =
        !out->empty() && (out->back().kind == Token::kTime ||
                          (out->back().kind == Token::kWord &&
                           ZoneOffset(out->back().word, &unused)));
    if ((c == '+' || (c == '-' && after_time_or_zone)) && i + 1 < s.size() &&
        IsDigit(s[i + 1])) {
      ++i;
      int64_t h, m = 0;
      int digits;
      if (!ReadNumber(s, &i, 4, &h, &digits)) return false;
      if (digits == 4) {
        m = h % 100;
        h /= 100;
      } else if (digits == 2 && i < s.size() && s[i] == ':') {
        ++i;
        if (!ReadNumber(s, &i, 2, &m, &digits) || digits != 2) return false;
      } else if (digits != 2) {
        return false;
      }
      if (h > 23 || m > 59) return false;
      Token t;
      t.kind = Token::kOffset;
      t.number = (c == '-' ? -1 : 1) * (h * 3600 + m * 60);
      out->push_back(t);
      sep = ' ';
      continue;
    }
    if (c == ',' || c == '.' || c == '/' || c == '-') {
      if (sep != ' ') return false;  // Two separators in a row.
      sep = c;
      ++i;
      continue;
    }
    Token t;
    t.sep = sep;
    sep = ' ';
    if (IsDigit(c)) {
      if (!ReadNumber(s, &i, 9, &t.number, &t.digits)) return false;
      if (i < s.size() && s[i] == ':') {  // hh:mm[:ss[.frac]]
        t.kind = Token::kTime;
        t.hour = static_cast<int>(t.number);
        int64_t v;
        int digits;
        ++i;
        if (t.digits > 2 || !ReadNumber(s, &i, 2, &v, &digits) || digits != 2) {
          return false;
        }
        t.minute = static_cast<int>(v);
        if (i < s.size() && s[i] == ':') {
          ++i;
          if (!ReadNumber(s, &i, 2, &v, &digits) || digits != 2) return false;
          t.second = static_cast<int>(v);
          if (i + 1 < s.size() && s[i] == '.' && IsDigit(s[i + 1])) {
            ++i;
            while (i < s.size() && IsDigit(s[i])) ++i;  // Dropped.
          }
        }
      } else if (i + 1 < s.size() && absl::ascii_isalpha(s[i])) {
        // Ordinal suffix: "2nd", "31st".
        std::string suffix = absl::AsciiStrToLower(internal::ToAbsl(s.substr(i, 2)));
        if (suffix != "st" && suffix != "nd" && suffix != "rd" &&
            suffix != "th") {
          return false;
        }
        i += 2;
      }
    } else if (absl::ascii_isalpha(static_cast<unsigned char>(c))) {
      t.kind = Token::kWord;
      while (i < s.size() && absl::ascii_isalpha(static_cast<unsigned char>(s[i]))) {
        t.word.push_back(absl::ascii_tolower(static_cast<unsigned char>(s[i])));
        ++i;
      }
    } else {
      return false;
    }
    out->push_back(std::move(t));
  }
  return sep == ' ' || sep == '.' || sep == ',';
}

constexpr const char* kMonths[] = {"january", "february", "march",
                                   "april",   "may",      "june",
                                   "july",    "august",   "september",
                                   "october", "november", "december"};

// 1..12 for a full month name, a 3-letter abbreviation or "sept"; else 0.
int MonthNumber(const Token& t) {
  if (t.kind != Token::kWord) return 0;
  for (int m = 0; m < 12; ++m) {
    const std::string_view full = kMonths[m];
    if (t.word == full || (t.word.size() == 3 && full.substr(0, 3) == t.word) ||
        (m == 8 && t.word == "sept")) {
      return m + 1;
    }
  }
  return 0;
}

bool IsWeekday(const Token& t) {
  static constexpr const char* kDays[] = {"monday", "tuesday",  "wednesday",
                                          "thursday", "friday", "saturday",
                                          "sunday"};
  if (t.kind != Token::kWord || t.word.size() < 3) return false;
  for (const char* d : kDays) {
    const std::string_view day = d;
    if (t.word == day || t.word == day.substr(0, 3) ||
        (t.word.size() == 4 && day.substr(0, 4) == t.word)) {  // "tues"
      return true;
    }
  }
  return false;
}

bool SetYear(const Token& t, DateFields* f) {
  if (t.kind != Token::kNumber) return false;
  if (t.digits == 4) {
    f->year = t.number;
  } else if (t.digits == 2) {
    f->year = t.number < 69 ? 2000 + t.number : 1900 + t.number;  // POSIX.
  } else {
    return false;
  }
  return true;
}

bool SetDay(const Token& t, DateFields* f) {
  if (t.kind != Token::kNumber || t.digits > 2) return false;
  f->day = static_cast<int>(t.number);
  return true;
}

// Parses the date part at tokens[*k]; advances *k past it.
bool ParseDatePart(const std::vector<Token>& tk, size_t* k, DateFields* f) {
  const size_t n = tk.size() - *k;
  if (n < 3) return false;
  const Token& a = tk[*k];
  const Token& b = tk[*k + 1];
  const Token& c = tk[*k + 2];
  *k += 3;
  if ((f->month = MonthNumber(a)) != 0) {  // March 2, 2017
    return SetDay(b, f) && SetYear(c, f);
  }
  if ((f->month = MonthNumber(b)) != 0) {  // 2 March 2017, 02-Mar-17
    return SetDay(a, f) && SetYear(c, f);
  }
  if (a.kind != Token::kNumber || b.kind != Token::kNumber ||
      c.kind != Token::kNumber || b.sep == ' ' || c.sep != b.sep) {
    return false;
  }
  if (a.digits == 4) {  // 2017/03/02
    f->year = a.number;
    if (b.digits > 2 || c.digits > 2) return false;
    f->month = static_cast<int>(b.number);
    f->day = static_cast<int>(c.number);
    return true;
  }
  if (a.digits > 2 || b.digits > 2 || !SetYear(c, f)) return false;
  // US order (month first) unless the first number cannot be a month.
  const bool day_first = a.number > 12;
  f->month = static_cast<int>(day_first ? b.number : a.number);
  f->day = static_cast<int>(day_first ? a.number : b.number);
  return true;
}

// hh:mm[:ss] [am|pm] at tokens[*k], if there; advances *k past it. False
// for an am/pm hour outside 1..12.
bool ParseTimePart(const std::vector<Token>& tk, size_t* k, DateFields* f) {
  if (*k >= tk.size() || tk[*k].kind != Token::kTime) return true;
  f->hour = tk[*k].hour;
  f->minute = tk[*k].minute;
  f->second = tk[*k].second;
  ++*k;
  if (*k < tk.size() && (tk[*k].word == "am" || tk[*k].word == "pm")) {
    if (f->hour < 1 || f->hour > 12) return false;
    f->hour = f->hour % 12 + (tk[*k].word == "pm" ? 12 : 0);
    ++*k;
  }
  return true;
}

// A zone name, an offset or both ("GMT+0100") at tokens[*k], if there;
// advances *k past them. Returns whether there was one.
bool ParseZonePart(const std::vector<Token>& tk, size_t* k, DateFields* f) {
  const size_t start = *k;
  if (*k < tk.size() && tk[*k].kind == Token::kWord &&
      ZoneOffset(tk[*k].word, &f->offset_seconds)) {
    ++*k;
  }
  if (*k < tk.size() && tk[*k].kind == Token::kOffset) {
    f->offset_seconds += static_cast<int>(tk[*k].number);
    ++*k;
  }
  return *k > start;
}

// Twitter's created_at and Unix date(1): month day hh:mm[:ss] zone year
// ("Mar 02 10:00:00 +0000 2017"), at tokens[k] to the end, separated by
// spaces only. The zone is required: without one this is asctime's local
// time of an unknown place.
bool ParseTimeBeforeYear(const std::vector<Token>& tk, size_t k, DateFields* f) {
  if (tk.size() - k < 5) return false;
  for (size_t i = k; i < tk.size(); ++i) {
    if (tk[i].sep != ' ') return false;
  }
  f->month = MonthNumber(tk[k]);
  if (f->month == 0 || !SetDay(tk[k + 1], f) || tk[k + 2].kind != Token::kTime) return false;
  k += 2;
  if (!ParseTimePart(tk, &k, f) || !ParseZonePart(tk, &k, f)) return false;
  if (k + 1 != tk.size() || tk[k].kind != Token::kNumber || tk[k].digits != 4) return false;
  f->year = tk[k].number;
  return true;
}

// RFC 2822 lets a comment follow the zone ("+0000 (UTC)", JavaScript's
// "GMT+0100 (Central European Standard Time)"): if `s` ends in one plain
// (unnested) comment, cuts it off and returns true.
bool CutTrailingComment(std::string_view* s) {
  if (s->empty() || s->back() != ')') return false;
  const size_t open = s->rfind('(');
  if (open == std::string_view::npos) return false;
  const std::string_view inside = s->substr(open + 1, s->size() - open - 2);
  if (inside.find_first_of("()") != std::string_view::npos) return false;
  *s = s->substr(0, open);
  return true;
}

}  // namespace

std::optional<int64_t> ParseDateWords(std::string_view s) {
  const bool comment = CutTrailingComment(&s);
  std::vector<Token> tk;
  if (!Tokenize(s, &tk)) return std::nullopt;
  size_t k = 0;
  if (k < tk.size() && IsWeekday(tk[k])) ++k;
  DateFields f;
  // A comment only after the zone, which it names.
  if (!comment && ParseTimeBeforeYear(tk, k, &f)) return DateFieldsToUnix(f);
  f = DateFields();
  if (!ParseDatePart(tk, &k, &f) || !ParseTimePart(tk, &k, &f)) return std::nullopt;
  const bool zoned = ParseZonePart(tk, &k, &f);
  if (k != tk.size() || (comment && !zoned)) return std::nullopt;
  return DateFieldsToUnix(f);
}

}  // namespace storysift::internal
