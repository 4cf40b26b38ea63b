#include "io/json_writer.h"

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

TEST(JsonWriterTest, ObjectKeepsKeyOrder) {
  EXPECT_EQ(JsonObject().Str("id", "a").Num("s", 0.5).Null("c").Bool("b", true).Finish(),
            "{\"id\":\"a\",\"s\":0.5,\"c\":null,\"b\":true}");
}

}  // namespace
}  // namespace storysift
