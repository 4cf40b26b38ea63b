// Text that is not UTF-8: Windows-1252 fallback through iconv, counted;
// HTML files in their declared charset.
#include <string>

#include "gtest/gtest.h"
#include "ingest/encoding.h"
#include "reader_test_util.h"
#include "storysift/reader.h"
#include "storysift/report.h"

namespace storysift {
namespace {

using internal::MakeUtf8;
using internal::Utf8Fix;

TEST(MakeUtf8Test, Windows1252BytesAreConvertedNotReplaced) {
  std::string s = "\xA3" "100 caf\xE9 \x93quoted\x94 \x80" "5";
  const Utf8Fix fix = MakeUtf8(&s);
  EXPECT_TRUE(fix.transcoded);
  EXPECT_FALSE(fix.replaced);
  EXPECT_EQ(s, "£100 café “quoted” €5");
}

TEST(MakeUtf8Test, ValidUtf8StaysAndMixedTextConvertsOnlyTheBadBytes) {
  std::string s = "caf\xC3\xA9 and caf\xE9";
  const Utf8Fix fix = MakeUtf8(&s);
  EXPECT_TRUE(fix.transcoded);
  EXPECT_EQ(s, "café and café");
  std::string clean = "plain caf\xC3\xA9";
  const Utf8Fix none = MakeUtf8(&clean);
  EXPECT_FALSE(none.transcoded || none.replaced);
  EXPECT_EQ(clean, "plain café");
}

TEST(MakeUtf8Test, BytesUndefinedInWindows1252AndNulBecomeReplacementOrGo) {
  std::string s = std::string("a\x81" "b\0c", 5);
  const Utf8Fix fix = MakeUtf8(&s);
  EXPECT_TRUE(fix.replaced);
  EXPECT_FALSE(fix.transcoded);
  EXPECT_EQ(s, "a\xEF\xBF\xBD" "bc");
}

TEST(EncodingReaderTest, Windows1252CsvAndJsonlSurviveAndAreCounted) {
  auto csv = testing_util::ReadString(InputFormat::kCsv,
                                      "title,text\nCaf\xE9,\xA3" "100 caf\xE9\n");
  ASSERT_EQ(csv.size(), 1u);
  EXPECT_EQ(csv[0].doc.title, "Café");
  EXPECT_EQ(csv[0].doc.text, "£100 café");
  EXPECT_TRUE(csv[0].doc.flags.transcoded);
  EXPECT_FALSE(csv[0].doc.flags.utf8_repaired);
  auto jsonl = testing_util::ReadString(InputFormat::kJsonl,
                                        "{\"text\":\"\xA3" "100 caf\xE9\"}\n");
  ASSERT_EQ(jsonl.size(), 1u);
  ASSERT_FALSE(jsonl[0].skipped()) << jsonl[0].message;
  EXPECT_EQ(jsonl[0].doc.text, "£100 café");
  EXPECT_TRUE(jsonl[0].doc.flags.transcoded);
  RunReport report;
  report.AddProcessed(jsonl[0].doc, 2, 0);
  EXPECT_EQ(report.transcoded(), 1);
  EXPECT_EQ(report.warning_count(), 0);  // Nothing was lost.
  EXPECT_NE(report.ToJson().find("\"transcoded\":1"), std::string::npos);
}

TEST(EncodingReaderTest, HtmlFileIsReadInItsDeclaredCharset) {
  const testing_util::TempDir tmp;
  // Windows-1251 (Cyrillic): "Москва" is CC EE F1 EA E2 E0; as Windows-1252
  // it would read as "Ìîñêâà".
  const std::string cyrillic = "\xCC\xEE\xF1\xEA\xE2\xE0";
  testing_util::WriteFile(tmp / "ru.html",
                          "<html><head><meta http-equiv=\"Content-Type\" "
                          "content=\"text/html; charset=windows-1251\"><title>" +
                          cyrillic + "</title></head><body><p>" + cyrillic +
                          " news</p></body></html>");
  testing_util::WriteFile(tmp / "latin.html",
                          "<!doctype html><meta charset='ISO-8859-1'><p>\xA3" "100 caf\xE9</p>");
  // Declared UTF-8 but is not: the Windows-1252 fallback still applies.
  testing_util::WriteFile(tmp / "liar.html",
                          "<meta charset=\"utf-8\"><p>\xA3" "100 caf\xE9</p>");
  for (const auto& [name, expect] :
       std::vector<std::pair<std::string, std::string>>{
           {"ru.html", "Москва"}, {"latin.html", "£100 café"}, {"liar.html", "£100 café"}}) {
    auto reader = OpenReader(tmp / name, ReaderOptions());
    ASSERT_TRUE(reader.ok()) << reader.status();
    auto r = testing_util::Drain(reader->get());
    ASSERT_EQ(r.size(), 1u);
    EXPECT_NE(r[0].doc.text.find(expect), std::string::npos) << name << ": " << r[0].doc.text;
    EXPECT_TRUE(r[0].doc.flags.transcoded) << name;
    EXPECT_FALSE(r[0].doc.flags.utf8_repaired) << name;
  }
}

TEST(EncodingReaderTest, HtmlBodyOfACsvRecordIsReadInItsDeclaredCharset) {
  auto r = testing_util::ReadString(
      InputFormat::kCsv,
      "id,text\n1,\"<html><head><meta charset=windows-1251></head><body><p>"
      "\xCC\xEE\xF1\xEA\xE2\xE0</p></body></html>\"\n");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_NE(r[0].doc.text.find("Москва"), std::string::npos) << r[0].doc.text;
  EXPECT_TRUE(r[0].doc.flags.transcoded);
}

TEST(DeclaredHtmlCharsetTest, ReadsMetaCharsetAndHttpEquiv) {
  using internal::DeclaredHtmlCharset;
  EXPECT_EQ(DeclaredHtmlCharset("<meta charset=\"UTF-8\">"), "utf-8");
  EXPECT_EQ(DeclaredHtmlCharset("<META CHARSET=iso-8859-15>"), "iso-8859-15");
  EXPECT_EQ(DeclaredHtmlCharset("<meta http-equiv=\"content-type\" "
                                "content=\"text/html; charset=Shift_JIS\">"),
            "shift_jis");
  EXPECT_EQ(DeclaredHtmlCharset("<p>charset=koi8-r</p>"), std::nullopt);
  EXPECT_EQ(DeclaredHtmlCharset("<meta name=\"x\">"), std::nullopt);
}

}  // namespace
}  // namespace storysift
