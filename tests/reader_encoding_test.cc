// Encodings at the stream level: byte order marks (UTF-8/16/32), BOM-less
// UTF-16, and ReaderOptions::encoding through iconv.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/byte_stream.h"
#include "reader_test_util.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using testing_util::ReadPath;
using testing_util::TempDir;
using testing_util::WriteFile;

// `ascii` widened to UTF-16 or UTF-32 code units (it holds only ASCII).
std::string Widen(const std::string& ascii, int width, bool big_endian) {
  std::string out;
  for (char c : ascii) {
    std::string unit(width, '\0');
    unit[big_endian ? width - 1 : 0] = c;
    out += unit;
  }
  return out;
}

const char kJsonl[] =
    "{\"id\":\"x1\",\"title\":\"Rates\",\"text\":\"The bank held rates.\"}\n"
    "{\"id\":\"x2\",\"text\":\"Markets rallied.\"}\n";

struct Case {
  const char* name;
  std::string bom;
  int width;
  bool big_endian;
};

TEST(EncodingTest, ByteOrderMarksAreDecodedToUtf8) {
  const TempDir tmp;
  const std::vector<Case> cases = {
      {"utf8", "\xEF\xBB\xBF", 1, false},
      {"utf16le", "\xFF\xFE", 2, false},
      {"utf16be", "\xFE\xFF", 2, true},
      {"utf32le", std::string("\xFF\xFE\0\0", 4), 4, false},
      {"utf32be", std::string("\0\0\xFE\xFF", 4), 4, true},
  };
  for (const Case& c : cases) {
    const std::string path = tmp.path() + "/" + c.name + ".jsonl";
    WriteFile(path, c.bom + (c.width == 1 ? std::string(kJsonl)
                                          : Widen(kJsonl, c.width, c.big_endian)));
    const auto r = ReadPath(path);
    ASSERT_EQ(r.size(), 2u) << c.name;
    EXPECT_FALSE(r[0].skipped()) << c.name << ": " << r[0].message;
    EXPECT_EQ(r[0].doc.id, "x1") << c.name;
    EXPECT_EQ(r[0].doc.title, "Rates") << c.name;
    EXPECT_EQ(r[1].doc.text, "Markets rallied.") << c.name;
    EXPECT_EQ(r[1].origin.line, 2u) << c.name;
  }
}

TEST(EncodingTest, Utf16WithoutBomIsRecognisedNotSkippedAsBinary) {
  const TempDir tmp;
  const std::string path = tmp.path() + "/article.txt";
  WriteFile(path, Widen("Senator met the ambassador twice last year.\n", 2, false));
  const auto r = ReadPath(path);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.text, "Senator met the ambassador twice last year.\n");
  size_t bom = 9;
  EXPECT_EQ(internal::DetectUnicodeEncoding(Widen("plain words here", 2, true), &bom), "UTF-16BE");
  EXPECT_EQ(bom, 0u);
  // Binary with scattered NULs is not taken for UTF-16.
  EXPECT_EQ(internal::DetectUnicodeEncoding(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), &bom),
            "");
}

TEST(EncodingTest, EncodingOptionTranscodesWindows1252) {
  const TempDir tmp;
  const std::string path = tmp.path() + "/cp1252.jsonl";
  WriteFile(path, "{\"id\":\"p\",\"text\":\"\xA3" "100 caf\xE9 \x93quoted\x94\"}\n");
  ReaderOptions o;
  o.encoding = "windows-1252";
  const auto r = ReadPath(path, o);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.text, "\xC2\xA3" "100 caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
  EXPECT_FALSE(r[0].doc.flags.utf8_repaired);
  // Without the option the same bytes are read by the Windows-1252 fallback
  // (and flagged as transcoded), not lost.
  const auto plain = ReadPath(path);
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].doc.text, r[0].doc.text);
  EXPECT_TRUE(plain[0].doc.flags.transcoded);
  EXPECT_FALSE(plain[0].doc.flags.utf8_repaired);
}

TEST(EncodingTest, UnknownEncodingIsInvalidArgument) {
  EXPECT_TRUE(CheckEncoding("ISO-8859-15").ok());
  const absl::Status s = CheckEncoding("no-such-charset");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no-such-charset"), absl::string_view::npos);
}

}  // namespace
}  // namespace storysift
