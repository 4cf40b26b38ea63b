#include <string>

#include "gtest/gtest.h"
#include "ingest/utf8.h"

namespace storysift::internal {
namespace {

std::string Repaired(std::string s, bool* changed = nullptr) {
  const bool c = RepairUtf8(&s);
  if (changed != nullptr) *changed = c;
  return s;
}

constexpr char kFffd[] = "\xEF\xBF\xBD";

TEST(RepairUtf8Test, ValidTextIsUntouched) {
  bool changed = true;
  const std::string s = "plain caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";
  EXPECT_EQ(Repaired(s, &changed), s);
  EXPECT_FALSE(changed);
}

TEST(RepairUtf8Test, LoneBytesBecomeOneReplacementEach) {
  bool changed = false;
  EXPECT_EQ(Repaired("a\xFF" "b\x80", &changed),
            std::string("a") + kFffd + "b" + kFffd);
  EXPECT_TRUE(changed);
}

TEST(RepairUtf8Test, TruncatedSequenceIsOneReplacement) {
  // E2 82 is a maximal subpart of the 3-byte euro sign: one U+FFFD.
  EXPECT_EQ(Repaired("x\xE2\x82y"), std::string("x") + kFffd + "y");
  EXPECT_EQ(Repaired("x\xF0\x9F\x98"), std::string("x") + kFffd);
}

TEST(RepairUtf8Test, OverlongsSurrogatesAndTooLargeAreInvalid) {
  EXPECT_EQ(Repaired("\xC0\xAF"), std::string(kFffd) + kFffd);
  EXPECT_EQ(Repaired("\xE0\x80\xAF"), std::string(kFffd) + kFffd + kFffd);
  EXPECT_EQ(Repaired("\xED\xA0\x80"), std::string(kFffd) + kFffd + kFffd);
  EXPECT_EQ(Repaired("\xF4\x90\x80\x80"),
            std::string(kFffd) + kFffd + kFffd + kFffd);
}

TEST(RepairUtf8Test, NulBytesAreRemoved) {
  bool changed = false;
  EXPECT_EQ(Repaired(std::string("a\0b\0", 4), &changed), "ab");
  EXPECT_TRUE(changed);
}

TEST(RepairUtf8Test, OutputIsAlwaysClean) {
  // Every 2-byte string, followed by a continuation byte.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      std::string s = {static_cast<char>(a), static_cast<char>(b), '\x80'};
      RepairUtf8(&s);
      ASSERT_TRUE(IsCleanUtf8(s)) << a << " " << b;
    }
  }
}

TEST(TruncateUtf8Test, CutsAtCodePointBoundary) {
  std::string s = "ab\xE2\x82\xAC";  // "ab€"
  EXPECT_FALSE(TruncateUtf8(&s, 5));
  EXPECT_TRUE(TruncateUtf8(&s, 4));
  EXPECT_EQ(s, "ab");
  s = "ab\xE2\x82\xAC";
  EXPECT_TRUE(TruncateUtf8(&s, 2));
  EXPECT_EQ(s, "ab");
  EXPECT_EQ(Utf8BoundaryAtOrBefore("\xF0\x9F\x98\x80z", 3), 0u);
  EXPECT_EQ(Utf8BoundaryAtOrBefore("\xF0\x9F\x98\x80z", 4), 4u);
}

}  // namespace
}  // namespace storysift::internal
