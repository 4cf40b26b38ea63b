// TSV: tab-separated with a header, plain (quotes literal, the usual dump)
// or quoted; by extension, --input-format tsv, or a sniffed header.
#include <string>

#include "gtest/gtest.h"
#include "reader_test_util.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

std::vector<ReadRecord> Tsv(const std::string& data, ReaderOptions o = {}) {
  return testing_util::ReadString(InputFormat::kTsv, data, o, "/tmp/x/news.tsv");
}

TEST(TsvReaderTest, PlainTsvKeepsQuotesLiterally) {
  auto r = Tsv("id\ttitle\ttext\n"
               "1\t\"Hello,\" he said\tShe said \"no\" twice, then \"yes\n"
               "2\t5\" screen\t\"Quoted start\" and more\n"
               "3\tPlain\tbody, with commas\n");
  ASSERT_EQ(r.size(), 3u);
  for (const ReadRecord& rec : r) ASSERT_FALSE(rec.skipped()) << rec.message;
  EXPECT_EQ(r[0].doc.title, "\"Hello,\" he said");
  EXPECT_EQ(r[0].doc.text, "She said \"no\" twice, then \"yes");
  EXPECT_EQ(r[1].doc.title, "5\" screen");
  EXPECT_EQ(r[1].doc.text, "\"Quoted start\" and more");
  EXPECT_EQ(r[2].doc.text, "body, with commas");
  EXPECT_EQ(r[2].origin.line, 4u);
}

TEST(TsvReaderTest, QuotedTsvFieldsMayHoldTabsAndNewlines) {
  auto r = Tsv("id\ttext\tdate\n"
               "1\t\"a\tb\nc \"\"d\"\"\"\t2017-03-02\n"
               "2\tnext\t\n");
  ASSERT_EQ(r.size(), 2u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.text, "a\tb\nc \"d\"");
  EXPECT_EQ(r[0].doc.published, 1488412800);
  EXPECT_EQ(r[1].doc.text, "next");
  EXPECT_EQ(r[1].origin.line, 4u);
}

TEST(TsvReaderTest, WrongColumnCountIsBadColumns) {
  auto r = Tsv("id\ttext\n1\ta\textra\n2\tb\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, "bad_columns");
  EXPECT_EQ(r[1].doc.text, "b");
}

TEST(TsvReaderTest, ExtensionFlagAndSniffingPickTsv) {
  EXPECT_EQ(*ParseInputFormat("tsv"), InputFormat::kTsv);
  FieldNames f;
  EXPECT_EQ(internal::SniffFormat("id\ttitle\ttext\n1\tx\ty\n", f), InputFormat::kTsv);
  EXPECT_EQ(internal::SniffFormat("ID\tBody\r\n", f), InputFormat::kTsv);
  // A tab in an article's first line does not make it a table.
  EXPECT_EQ(internal::SniffFormat("The minister\tsaid on Monday that it rained.\n", f),
            InputFormat::kText);
  const testing_util::TempDir tmp;
  const std::string path = tmp / "dump.TSV";
  testing_util::WriteFile(path, "title\ttext\nT\tBody text\n");
  auto reader = OpenReader(path, ReaderOptions());
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto r = testing_util::Drain(reader->get());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.title, "T");
  EXPECT_EQ(r[0].doc.text, "Body text");
}

}  // namespace
}  // namespace storysift
