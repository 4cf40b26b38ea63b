#include "io/json_writer.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace storysift {
namespace {

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControls) {
  std::string out;
  AppendJsonString(&out, "a\"b\\c\nd\x01");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u0001\"");
}

TEST(JsonWriterTest, PassesValidUtf8AndReplacesInvalidBytes) {
  std::string out;
  AppendJsonString(&out, "Russia\xE2\x80\x99s \xFF end");
  EXPECT_EQ(out, "\"Russia\xE2\x80\x99s \xEF\xBF\xBD end\"");
  out.clear();
  AppendJsonString(&out, "\xE2\x80");  // Truncated sequence.
  EXPECT_EQ(out, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(JsonWriterTest, NumbersDropTrailingZeros) {
  std::string out;
  AppendJsonNumber(&out, 0.91);
  out += ' ';
  AppendJsonNumber(&out, 1.0);
  out += ' ';
  AppendJsonNumber(&out, 0.123456);
  out += ' ';
  AppendJsonNumber(&out, -0.00001);
  EXPECT_EQ(out, "0.91 1 0.1235 0");
}

// printf's "%.*f", trimmed, is the reference (the writer formats with
// to_chars): halves at every decimal, neighbours of round numbers, tiny,
// huge and negative values, and random ones at 0..8 decimals.
std::string ReferenceNumber(double v, int digits) {
  if (!std::isfinite(v)) return "null";
  std::string s = absl::StrFormat("%.*f", digits, v);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

TEST(JsonWriterTest, NumbersMatchPrintfFixedTrimmed) {
  std::vector<double> values = {0.0, -0.0, 0.5, 1.5, 2.5, 0.00005, 0.00015, 0.12345, -0.00005,
                                1e-300, -1e-300, 1e22, 1.7976931348623157e308, -2.2250738585072014e-308,
                                std::numeric_limits<double>::infinity(), std::nan("")};
  for (int k = 0; k <= 10000; ++k) {
    values.push_back(k / 10000.0);
    values.push_back(std::nextafter(k / 10000.0, 2.0));
    values.push_back(std::nextafter(k / 10000.0, -2.0));
  }
  std::mt19937_64 rng(19);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int k = 0; k < 20000; ++k) values.push_back(unit(rng) * std::pow(10.0, k % 40 - 20));
  for (int k = 0; k < 20000; ++k) {
    values.push_back(std::ldexp(unit(rng), static_cast<int>(rng() % 80) - 40));
    values.push_back(std::round(unit(rng) * 2000) / 2000);  // Halves at 3 decimals.
  }
  for (double v : {1e300, -1e300, 5e-324, 0.99951}) values.push_back(v);
  for (double v : values) {
    for (int digits : {0, 1, 3, 4, 6, 8}) {
      std::string out;
      AppendJsonNumber(&out, v, digits);
      ASSERT_EQ(out, ReferenceNumber(v, digits)) << absl::StrFormat("%.17g", v) << " " << digits;
    }
  }
}

TEST(JsonWriterTest, PlainAndEscapedStringsInOneObject) {
  EXPECT_EQ(JsonObject()
                .Str("id", "plain id")
                .Str("t", "")
                .Str("x", "tab\there")
                .Str(std::string(200, 'k'), std::string(300, 'v'))
                .Finish(),
            "{\"id\":\"plain id\",\"t\":\"\",\"x\":\"tab\\there\",\"" +
                std::string(200, 'k') + "\":\"" + std::string(300, 'v') + "\"}");
}

TEST(JsonWriterTest, ObjectKeepsKeyOrder) {
  EXPECT_EQ(JsonObject().Str("id", "a").Num("s", 0.5).Null("c").Bool("b", true).Finish(),
            "{\"id\":\"a\",\"s\":0.5,\"c\":null,\"b\":true}");
}

// AppendJsonNumber's text is printf's "%.*f" less trailing zeros, "-0" as
// "0": checked against StrFormat at random magnitudes, signs and precisions,
// at rounding halves (0.0005, 0.1235) and at the buffer's end (1e300).
TEST(JsonWriterTest, ObjectWrittenInPlaceMatchesFinish) {
  const std::vector<std::string> terms = {"a\"b", "c"};
  std::string text = "[";
  JsonObject outer(&text);
  outer.Str("id", "x").StrArray("terms", terms);
  std::string* inner = outer.Value("inner");
  JsonObject nested(inner);
  nested.Num("n", 0.25).Close();
  outer.Close();
  text += "]";
  EXPECT_EQ(text, "[" +
                      JsonObject()
                          .Str("id", "x")
                          .Raw("terms", "[\"a\\\"b\",\"c\"]")
                          .Raw("inner", JsonObject().Num("n", 0.25).Finish())
                          .Finish() +
                      "]");
}

}  // namespace
}  // namespace storysift
