// SanitizeUtf8's vector fast path against a byte-at-a-time reference, with
// every kind of byte at every alignment of the 16- and 8-byte steps.
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "text/utf8.h"

namespace storysift::internal {
namespace {

// The rules of utf8.h, one byte at a time.
std::string Reference(const std::string& in, bool* repaired) {
  std::string out;
  *repaired = false;
  for (size_t i = 0; i < in.size();) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (c >= 0x80) {
      size_t subpart;
      const size_t len = Utf8SequenceLength(in, i, &subpart);
      if (len == 0) {
        out += "\xEF\xBF\xBD";
        *repaired = true;
        i += subpart;
      } else {
        const bool c1 = len == 2 && c == 0xC2 && static_cast<unsigned char>(in[i + 1]) <= 0x9F;
        if (!c1) out.append(in, i, len);
        i += len;
      }
    } else {
      if (c == '\r' || c == '\v' || c == '\f') out.push_back('\n');
      if (c == '\r' && i + 1 < in.size() && in[i + 1] == '\n') ++i;
      ++i;
    }
  }
  return out;
}

TEST(SanitizeUtf8Test, AgreesWithTheByteReferenceAtEveryAlignment) {
  const std::string pieces[] = {"\n", "\t", "\r\n", "\r", "\x7F", std::string(1, '\0'),
                                "\x01", "\xC3\xA9", "\xC2\x85", "\xE2\x82\xAC",
                                "\xF0\x9F\x98\x80", "\xFF", "\xE2\x82", "\xC0\xAF"};
  std::mt19937 rng(5);
  std::string out;
  for (const std::string& piece : pieces) {
    for (size_t at = 0; at < 40; ++at) {
      std::string in(at, 'a');
      in += piece;
      in += std::string(rng() % 40, 'b');
      bool want_repaired;
      const std::string want = Reference(in, &want_repaired);
      const bool repaired = SanitizeUtf8(in, &out);
      ASSERT_EQ(out, want) << "piece " << static_cast<int>(piece[0]) << " at " << at;
      EXPECT_EQ(repaired, want_repaired);
    }
  }
  // Random mixtures.
  for (int trial = 0; trial < 2000; ++trial) {
    std::string in;
    const size_t n = rng() % 120;
    for (size_t i = 0; i < n; ++i) {
      in += rng() % 4 == 0 ? pieces[rng() % std::size(pieces)]
                           : std::string(1, static_cast<char>(0x20 + rng() % 95));
    }
    bool want_repaired;
    const std::string want = Reference(in, &want_repaired);
    EXPECT_EQ(SanitizeUtf8(in, &out), want_repaired);
    ASSERT_EQ(out, want) << trial;
  }
}

// SurveyText's flags against their definitions, every byte value at every
// offset of the 16-byte step and the tail; a plain text is what SanitizeUtf8
// copies unchanged.
TEST(SurveyTextTest, FlagsMatchTheBytesAtEveryOffset) {
  std::string out;
  for (int byte = 0; byte < 256; ++byte) {
    for (size_t at = 0; at < 70; ++at) {
      std::string in(70, 'a');
      in[at] = static_cast<char>(byte);
      const bool plain = (byte >= 0x20 && byte < 0x7F) || byte == '\n' || byte == '\t';
      for (const TextSurvey survey : {SurveyText(in), SurveyTextPortable(in)}) {
        ASSERT_EQ(survey.plain, plain) << byte << " at " << at;
        EXPECT_EQ(survey.has_lt, byte == '<');
        EXPECT_EQ(survey.has_amp, byte == '&');
        EXPECT_EQ(survey.has_bracket, byte == ']');
      }
      if (plain) {
        EXPECT_FALSE(SanitizeUtf8(in, &out));
        EXPECT_EQ(out, in);
      }
    }
  }
  const TextSurvey empty = SurveyText("");
  EXPECT_TRUE(empty.plain);
  EXPECT_FALSE(empty.has_lt || empty.has_amp || empty.has_bracket);
  const TextSurvey all = SurveyText("x <b> & [a](u) caf\xC3\xA9");
  EXPECT_FALSE(all.plain);
  EXPECT_TRUE(all.has_lt && all.has_amp && all.has_bracket);
}

}  // namespace
}  // namespace storysift::internal
