#include "storysift/date.h"

#include <optional>
#include <random>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace storysift {
namespace {

constexpr int64_t kMar2 = 1488412800;         // 2017-03-02T00:00:00Z
constexpr int64_t kMar2At10 = 1488448800;     // 2017-03-02T10:00:00Z
constexpr int64_t kReuters = 541350061;       // 1987-02-26T15:01:01Z
constexpr int64_t kDec31 = 1514678400;        // 2017-12-31T00:00:00Z

TEST(ParseDateTest, IsoDateIsMidnightUtc) {
  EXPECT_EQ(ParseDate("2017-03-02"), kMar2);
  EXPECT_EQ(ParseDate("2017/03/02"), kMar2);
}

TEST(ParseDateTest, IsoDateTimeWithoutZoneIsUtc) {
  EXPECT_EQ(ParseDate("1987-02-26T15:01:01"), kReuters);
  EXPECT_EQ(ParseDate("1987-02-26 15:01:01"), kReuters);
  EXPECT_EQ(ParseDate("2017-03-02T10:00"), kMar2At10);
}

TEST(ParseDateTest, IsoFractionalSecondsAreDropped) {
  EXPECT_EQ(ParseDate("1987-02-26T15:01:01.79"), kReuters);
  EXPECT_EQ(ParseDate("1987-02-26T15:01:01.999999Z"), kReuters);
}

TEST(ParseDateTest, IsoZonesShiftToUtc) {
  EXPECT_EQ(ParseDate("2017-03-02T10:00:00Z"), kMar2At10);
  EXPECT_EQ(ParseDate("2017-03-02T11:00:00+01:00"), kMar2At10);
  EXPECT_EQ(ParseDate("2017-03-02T11:30:00+0130"), kMar2At10);
  EXPECT_EQ(ParseDate("2017-03-02T05:00:00-05:00"), kMar2At10);
  EXPECT_EQ(ParseDate("2017-03-02T05:00:00-05"), kMar2At10);
  EXPECT_EQ(ParseDate("2017-03-02T10:00:00 UTC"), kMar2At10);
}

TEST(ParseDateTest, MonthNameForms) {
  EXPECT_EQ(ParseDate("March 2, 2017"), kMar2);
  EXPECT_EQ(ParseDate("Mar 2, 2017"), kMar2);
  EXPECT_EQ(ParseDate("Mar. 2, 2017"), kMar2);
  EXPECT_EQ(ParseDate("march 2nd, 2017"), kMar2);
  EXPECT_EQ(ParseDate("2 March 2017"), kMar2);
  EXPECT_EQ(ParseDate("02-Mar-17"), kMar2);
  EXPECT_EQ(ParseDate("Sept 2, 2017"), ParseDate("2017-09-02"));
}

TEST(ParseDateTest, FakeNewsCsvDateWithTrailingSpace) {
  EXPECT_EQ(ParseDate("December 31, 2017 "), kDec31);
  EXPECT_EQ(ParseDate("Dec 31, 2017"), kDec31);
}

TEST(ParseDateTest, ReutersSgmlStyle) {
  EXPECT_EQ(ParseDate("26-FEB-1987 15:01:01.79"), kReuters);
  EXPECT_EQ(ParseDate(" 26-FEB-1987 15:01:01.79"), kReuters);
}

TEST(ParseDateTest, Rfc2822) {
  EXPECT_EQ(ParseDate("Thu, 02 Mar 2017 10:00:00 GMT"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu, 02 Mar 2017 11:00:00 +0100"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu, 02 Mar 2017 05:00:00 EST"), kMar2At10);
  EXPECT_EQ(ParseDate("Thursday, March 2, 2017 10:00 AM"), kMar2At10);
  EXPECT_EQ(ParseDate("March 2, 2017 12:00 am"), kMar2);
}

// RFC 2822 lets a comment follow the zone; RSS feeds and mail write the
// zone's name there. JavaScript's Date.toString() writes one too.
TEST(ParseDateTest, Rfc2822ZoneCommentIsIgnored) {
  EXPECT_EQ(ParseDate("Thu, 2 Mar 2017 10:00:00 +0000 (UTC)"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu, 02 Mar 2017 05:00:00 -0500 (EST)"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu, 02 Mar 2017 11:00:00 +0100 (CET)"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu, 02 Mar 2017 10:00:00 GMT (Greenwich Mean Time)"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu, 02 Mar 2017 10:00:00 +0000(UTC) "), kMar2At10);
  EXPECT_EQ(ParseDate("Thu Mar 02 2017 11:00:00 GMT+0100 (Central European Standard Time)"),
            kMar2At10);
  // Only after a zone, at the end, and one plain comment: what it names is
  // not read (the offset before it rules).
  for (const char* s : {"Thu, 02 Mar 2017 10:00:00 (UTC)", "Thu, 02 Mar 2017 (UTC)",
                        "March 2, 2017 (UTC)", "Thu, 02 Mar 2017 10:00:00 +0000 (UTC",
                        "Thu, 02 Mar 2017 10:00:00 +0000 UTC)",
                        "Thu, 02 Mar 2017 10:00:00 +0000 (U(T)C)",
                        "Thu, 02 Mar 2017 10:00:00 +0000 (UTC) x",
                        "Thu, 02 Mar 2017 10:00:00 +0000 (UTC) (UTC)", "(UTC)", "2017 (UTC)",
                        "2017-03-02T10:00:00Z (UTC)"}) {
    EXPECT_EQ(ParseDate(s), std::nullopt) << '"' << s << '"';
  }
}

// Twitter's created_at, also Unix date(1): the time and the zone before the year.
TEST(ParseDateTest, TimeAndZoneBeforeTheYear) {
  EXPECT_EQ(ParseDate("Thu Mar 02 10:00:00 +0000 2017"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu Mar 02 05:00:00 -0500 2017"), kMar2At10);
  EXPECT_EQ(ParseDate("Mar 02 10:00:00 +0000 2017"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu Mar  2 10:00:00 UTC 2017"), kMar2At10);
  EXPECT_EQ(ParseDate("Thu Mar 2 11:00 CET +0100 2017"), std::nullopt);  // CET: no RFC zone.
  EXPECT_EQ(ParseDate("Thu Mar 02 10:00:00 +0000 2017 (UTC)"), std::nullopt);
  // A zone is needed there: asctime's "Thu Mar  2 10:00:00 2017" is local
  // time of an unknown place, and stays unread as before.
  for (const char* s : {"Thu Mar  2 10:00:00 2017", "Thu Mar 30 10:00:00 +0000 17",
                        "Thu Feb 30 10:00:00 +0000 2017", "Thu Mar 02 10:00:00 +0000",
                        "Thu Mar 02 10:00:00 +0000 2017 10:00:00",
                        "Thu, Mar 02, 10:00:00 +0000, 2017", "Thu 02 10:00:00 +0000 2017"}) {
    EXPECT_EQ(ParseDate(s), std::nullopt) << '"' << s << '"';
  }
}

TEST(ParseDateTest, UsNumericIsMonthFirst) {
  EXPECT_EQ(ParseDate("03/02/2017"), kMar2);
  EXPECT_EQ(ParseDate("3/2/2017"), kMar2);
  // 31 cannot be a month, so this one is day first.
  EXPECT_EQ(ParseDate("31/12/2017"), kDec31);
}

TEST(ParseDateTest, EpochSeconds) {
  EXPECT_EQ(ParseDate("1488412800"), kMar2);
  EXPECT_EQ(ParseDate("1488412800.75"), kMar2);
  EXPECT_EQ(ParseDate("-100000000"), -100000000);  // 1966, nine digits.
  EXPECT_EQ(ParseDate("-100000000.5"), -100000001);
}

TEST(ParseDateTest, ThirteenDigitsAreEpochMilliseconds) {
  EXPECT_EQ(ParseDate("1488412800000"), kMar2);
  EXPECT_EQ(ParseDate("1488412800999"), kMar2);
  // A fraction is dropped, as it is from epoch seconds (JavaScript's
  // performance.timeOrigin + now(), Python's time.time() * 1000).
  EXPECT_EQ(ParseDate("1488412800999.5"), kMar2);
  EXPECT_EQ(ParseDate("148841280000.25"), ParseDate("148841280"));
  EXPECT_EQ(ParseDate("-1488412800000.5"), std::nullopt);  // Negative, as without one.
  EXPECT_EQ(ParseDate("1488412800000."), std::nullopt);
}

TEST(ParseDateTest, EightDigitsAreACompactIsoDate) {
  EXPECT_EQ(ParseDate("20170302"), kMar2);
  EXPECT_EQ(ParseDate("20171302"), std::nullopt);  // Month 13.
}

TEST(ParseDateTest, YearRangeIs1800To2200) {
  EXPECT_EQ(ParseDate("1800-01-01"), -5364662400);
  EXPECT_EQ(ParseDate("2200-12-31T23:59:59Z"), 7289654399);
  EXPECT_EQ(ParseDate("1799-12-31"), std::nullopt);
  EXPECT_EQ(ParseDate("2201-01-01"), std::nullopt);
  EXPECT_EQ(ParseDate("99999999999"), std::nullopt);  // Year 5138.
  EXPECT_EQ(ParseDate("-9999999999"), std::nullopt);  // Year 1653.
}

TEST(ParseDateTest, RangeAppliesToTheUtcInstant) {
  // 1800-01-01T00:00+05:00 is 1799-12-31T19:00Z: out of range.
  EXPECT_EQ(ParseDate("1800-01-01T00:00:00+05:00"), std::nullopt);
  // 2201-01-01T01:00+05:00 is 2200-12-31T20:00Z: in range.
  EXPECT_EQ(ParseDate("2201-01-01T01:00:00+05:00"), 7289654399 - 4 * 3600 + 1);
}

TEST(ParseDateTest, ImpossibleCalendarDatesAreRejected) {
  EXPECT_EQ(ParseDate("2017-02-29"), std::nullopt);
  EXPECT_EQ(ParseDate("2000-02-29"), 951782400);
  EXPECT_EQ(ParseDate("2017-13-01"), std::nullopt);
  EXPECT_EQ(ParseDate("2017-04-31"), std::nullopt);
  EXPECT_EQ(ParseDate("2017-03-02T24:00:00"), std::nullopt);
  EXPECT_EQ(ParseDate("February 30, 2017"), std::nullopt);
  EXPECT_EQ(ParseDate("13/13/2017"), std::nullopt);
}

TEST(ParseDateTest, NonDatesAreNullopt) {
  for (const char* s :
       {"", "   ", "yesterday", "2017-03", "March 2017", "March 2",
        "https://example.com/2017/03/02/story", "2017-03-02T10", "Mar 2, 2017 x",
        "1.2.3", "--1", "+5", "2017-03-02T10:00:00+25:00", "02-Mar", "Foo 2, 2017",
        "12:00", "1e9", "0x10"}) {
    EXPECT_EQ(ParseDate(s), std::nullopt) << '"' << s << '"';
  }
}

TEST(ParseDateTest, BareYearIsItsFirstDayNever1970) {
  EXPECT_EQ(ParseDate("2017"), ParseDate("2017-01-01T00:00:00Z"));
  EXPECT_EQ(ParseDate("1987"), ParseDate("1987-01-01"));
  EXPECT_EQ(ParseDate(" 2017 "), ParseDate("2017-01-01"));
  EXPECT_EQ(ParseDate("1799"), std::nullopt);  // Outside the year range.
  EXPECT_EQ(ParseDate("9999"), std::nullopt);
}

TEST(ParseDateTest, OtherShortNumbersAreNotEpochSeconds) {
  // Each of these would be a moment of 1970 (or 1969) read as epoch seconds.
  for (const char* s : {"0", "1", "-1", "-0.5", "17", "201", "2017.5", "20173",
                        "201703", "2017030", "12345678.9", "99999999"}) {
    EXPECT_EQ(ParseDate(s), std::nullopt) << '"' << s << '"';
  }
  EXPECT_EQ(ParseDate("03.02.2017"), kMar2);  // Dotted dates still parse.
}

TEST(FormatDateTest, FormatsUtcIso) {
  EXPECT_EQ(FormatDate(kMar2), "2017-03-02T00:00:00Z");
  EXPECT_EQ(FormatDate(kReuters), "1987-02-26T15:01:01Z");
  EXPECT_EQ(FormatDate(-1), "1969-12-31T23:59:59Z");
}

TEST(FormatDateTest, RoundTripsThroughParseDate) {
  for (int64_t t = -5364662400; t < 7289654399; t += 86399 * 397) {
    ASSERT_EQ(ParseDate(FormatDate(t)), t) << FormatDate(t);
  }
}

// The calendar arithmetic (date.cc computes days itself) against absl's
// civil time on every day of the range and a day either side of it.
TEST(ParseDateTest, EveryDayOfTheRangeMatchesAbslCivilTime) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  int days = 0;
  for (absl::CivilDay day(1799, 12, 31); day <= absl::CivilDay(2201, 1, 1); ++day, ++days) {
    const int second_of_day = (days * 7919) % 86400;  // A different time each day.
    const absl::CivilSecond at = absl::CivilSecond(day) + second_of_day;
    const int64_t expected = absl::ToUnixSeconds(absl::FromCivil(at, utc));
    const std::string text =
        absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02dZ", at.year(), at.month(), at.day(),
                        at.hour(), at.minute(), at.second());
    const bool in_range = day.year() >= 1800 && day.year() <= 2200;
    ASSERT_EQ(ParseDate(text), in_range ? std::optional<int64_t>(expected) : std::nullopt)
        << text;
    ASSERT_EQ(FormatDate(expected), absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                                                     absl::FromUnixSeconds(expected), utc))
        << text;
  }
  EXPECT_EQ(days, 146464);  // 401 years and the two days outside.
}

TEST(ParseDateTest, LeapDaysFollowTheGregorianRules) {
  EXPECT_TRUE(ParseDate("2000-02-29").has_value());
  EXPECT_TRUE(ParseDate("1804-02-29").has_value());
  EXPECT_FALSE(ParseDate("1900-02-29").has_value());
  EXPECT_FALSE(ParseDate("2100-02-29").has_value());
  EXPECT_FALSE(ParseDate("2019-02-29").has_value());
  EXPECT_FALSE(ParseDate("2019-04-31").has_value());
  EXPECT_EQ(ParseDate("2016-12-31T23:59:60Z"), ParseDate("2017-01-01T00:00:00Z"));
}

TEST(FormatDateTest, YearsOutsideTheDateRangeStillFormat) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  for (int64_t t : {int64_t{-5364662401}, int64_t{7289654400}, int64_t{253402300800},
                    int64_t{-62167219200}}) {
    EXPECT_EQ(FormatDate(t),
              absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(t), utc));
  }
  EXPECT_EQ(FormatDate(-5364662400), "1800-01-01T00:00:00Z");
  EXPECT_EQ(FormatDate(7289654399), "2200-12-31T23:59:59Z");
}

// FormatDate (its own arithmetic in the date range, absl's outside) against
// absl's text over years 1000-9999 and past both ends, at day edges and at
// random.
TEST(FormatDateTest, MatchesAbslFormatTimeEverywhere) {
  const auto absl_text = [](int64_t t) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(t), absl::UTCTimeZone());
  };
  const int64_t kYear1000 = -30610224000, kYear10000 = 253402300800;
  for (int64_t edge : {kYear1000, kYear10000, int64_t{0}, int64_t{951782400} /* 2000-02-29 */,
                       int64_t{4107542400} /* 2100-03-01 */}) {
    for (int64_t d = -2; d <= 2; ++d) ASSERT_EQ(FormatDate(edge + d), absl_text(edge + d));
  }
  for (int64_t t = kYear1000 - 86400 * 400; t < kYear10000 + 86400 * 400; t += 86400 * 29 + 3601) {
    ASSERT_EQ(FormatDate(t), absl_text(t)) << t;
    ASSERT_EQ(FormatDate(t - 1), absl_text(t - 1)) << t - 1;
  }
  std::mt19937_64 rng(19);
  for (int k = 0; k < 200000; ++k) {
    const int64_t t = kYear1000 - 86400 + static_cast<int64_t>(rng() % uint64_t(kYear10000 - kYear1000 + 172800));
    ASSERT_EQ(FormatDate(t), absl_text(t)) << t;
  }
  EXPECT_EQ(FormatDate(INT64_MIN), absl_text(INT64_MIN));
  EXPECT_EQ(FormatDate(INT64_MAX), absl_text(INT64_MAX));
}

TEST(SecondsBeforeTest, ClampsAtTheStartOfTheInt64Range) {
  EXPECT_EQ(SecondsBefore(kMar2, 86400), kMar2 - 86400);
  EXPECT_EQ(SecondsBefore(INT64_MIN + 5, 10), INT64_MIN);
  EXPECT_EQ(SecondsBefore(INT64_MIN, INT64_MAX), INT64_MIN);
  EXPECT_EQ(SecondsBefore(INT64_MAX, 0), INT64_MAX);
}

}  // namespace
}  // namespace storysift
