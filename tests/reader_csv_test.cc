#include <string>

#include "gtest/gtest.h"
#include "reader_test_util.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using testing_util::ReadString;

std::vector<ReadRecord> Csv(const std::string& data, ReaderOptions o = {}) {
  return ReadString(InputFormat::kCsv, data, o, "/tmp/x/news.csv");
}

TEST(CsvReaderTest, FakeAndRealNewsShapeReads) {
  auto r = Csv(
      "title,text,subject,date\n"
      "\"Sessions, again\",\"He said \"\"no\"\".\nThen left.\",politicsNews,"
      "\"December 31, 2017 \"\n"
      "Plain,Body two,worldnews,\"Mar 2, 2017\"\n");
  ASSERT_EQ(r.size(), 2u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.title, "Sessions, again");
  EXPECT_EQ(r[0].doc.text, "He said \"no\".\nThen left.");
  EXPECT_EQ(r[0].doc.source, "politicsNews");
  EXPECT_EQ(r[0].doc.published, 1514678400);
  EXPECT_EQ(r[0].doc.id, "/tmp/x/news.csv:1");
  EXPECT_EQ(r[0].origin.line, 2u);
  // The record after a quoted newline starts on line 4.
  EXPECT_EQ(r[1].doc.id, "/tmp/x/news.csv:2");
  EXPECT_EQ(r[1].origin.line, 4u);
  EXPECT_EQ(r[1].doc.published, 1488412800);
}

TEST(CsvReaderTest, HeaderNamesMatchCaseInsensitivelyWithIdColumn) {
  auto r = Csv(" ID ,Headline,Content,URL\nk1,T,Body,http://a\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.id, "k1");
  EXPECT_EQ(r[0].doc.title, "T");
  EXPECT_EQ(r[0].doc.text, "Body");
  EXPECT_EQ(r[0].doc.url, "http://a");
}

TEST(CsvReaderTest, BlankIdFallsBackToPathAndRecordNumber) {
  auto r = Csv(std::string("id,text\n,a\n\0,b\n", 15));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.id, "/tmp/x/news.csv:1");
  EXPECT_EQ(r[1].doc.id, "/tmp/x/news.csv:2");
}

TEST(CsvReaderTest, CrlfAndBomAreHandled) {
  auto r = Csv("\xEF\xBB\xBFtext,date\r\n\"a\r\nb\",2017-03-02\r\nplain,\r\n");
  ASSERT_EQ(r.size(), 2u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.text, "a\r\nb");  // Inside quotes, kept as is.
  EXPECT_EQ(r[0].doc.published, 1488412800);
  EXPECT_EQ(r[1].doc.text, "plain");
  EXPECT_FALSE(r[1].doc.published.has_value());
  EXPECT_FALSE(r[1].doc.flags.date_unparsed);
}

TEST(CsvReaderTest, LastRecordWithoutNewlineAndCrIsRead) {
  auto r = Csv("title,text\nt,last\r");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.text, "last");
}

TEST(CsvReaderTest, WrongColumnCountIsBadColumnsWithLine) {
  auto r = Csv("title,text,date\na,b\na,b,c,d\n\nx,y,\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].skip_reason, "bad_columns");
  EXPECT_EQ(r[0].origin.line, 2u);
  EXPECT_NE(r[0].message.find("line 2 has 2 fields; the header has 3"),
            std::string::npos)
      << r[0].message;
  EXPECT_EQ(r[1].skip_reason, "bad_columns");
  EXPECT_EQ(r[1].origin.line, 3u);
  EXPECT_FALSE(r[2].skipped());  // Blank line 4 is not a record.
  EXPECT_EQ(r[2].origin.line, 5u);
  EXPECT_EQ(r[2].doc.id, "/tmp/x/news.csv:3");
}

TEST(CsvReaderTest, UnbalancedQuoteAtEofNamesStartingLine) {
  auto r = Csv("title,text\nok,fine\n\"never closed\nmore,lines\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].doc.text, "fine");
  EXPECT_EQ(r[1].skip_reason, "unbalanced_quote");
  EXPECT_EQ(r[1].origin.line, 3u);
  EXPECT_NE(r[1].message.find("line 3"), std::string::npos);
  // The quote costs its own line only: the next line is a record again.
  EXPECT_EQ(r[2].doc.text, "lines");
  EXPECT_EQ(r[2].origin.line, 4u);
}

TEST(CsvReaderTest, StrayQuoteAtFieldStartCostsOnlyItsRecord) {
  // Eleven records; the stray quote in record 4 would swallow records 5-11
  // as one quoted field if quotes were always honoured.
  std::string data = "id,title,text\n";
  for (int i = 1; i <= 11; ++i) {
    const std::string n = std::to_string(i);
    data += i == 4 ? n + ",\"Stray quote title,body " + n + "\n"
                   : n + ",Title " + n + ",body " + n + "\n";
  }
  auto r = Csv(data);
  ASSERT_EQ(r.size(), 11u);
  for (int i = 0; i < 11; ++i) {
    ASSERT_FALSE(r[i].skipped()) << i << ": " << r[i].message;
    EXPECT_EQ(r[i].doc.id, std::to_string(i + 1));
    EXPECT_EQ(r[i].doc.text, "body " + std::to_string(i + 1));
    EXPECT_EQ(r[i].origin.line, static_cast<uint64_t>(i + 2));
  }
  // Read with literal quotes: the title keeps its quote.
  EXPECT_EQ(r[3].doc.title, "\"Stray quote title");
}

TEST(CsvReaderTest, StrayQuoteThatCannotBeReadCostsOneLine) {
  // Record 2's stray quote leaves it one field short even read literally.
  auto r = Csv("id,title,text\n1,a,x\n2,\"b\n3,c,z\n4,\"quoted,\nfield\",w\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].doc.id, "1");
  // Honouring the quote gives 3 fields by accident (it closes at record 4),
  // but text after the closing quote, lines later, gives the stray away.
  EXPECT_EQ(r[1].skip_reason, "bad_columns");
  EXPECT_NE(r[1].message.find("quotes read literally"), std::string::npos) << r[1].message;
  EXPECT_EQ(r[1].origin.line, 3u);
  EXPECT_EQ(r[2].doc.id, "3");
  // A real multi-line quoted field is still one field.
  ASSERT_FALSE(r[3].skipped()) << r[3].message;
  EXPECT_EQ(r[3].doc.title, "quoted,\nfield");
  EXPECT_EQ(r[3].doc.text, "w");
}

// A well-quoted field over two lines in a record of too many fields was
// re-read line by line with literal quotes: two invented records (ids "4"
// and `line"`), even under --strict. Python's csv reads one row of three.
TEST(CsvReaderTest, WellQuotedRecordOfTheWrongFieldCountIsOneBadColumnsSkip) {
  auto r = Csv("id,text\n4,\"multi\nline\",extra\n5,five\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, "bad_columns");
  EXPECT_EQ(r[0].origin.line, 2u);
  EXPECT_NE(r[0].message.find("line 2 (to line 3) has 3 fields; the header has 2"),
            std::string::npos)
      << r[0].message;
  ASSERT_FALSE(r[1].skipped()) << r[1].message;
  EXPECT_EQ(r[1].doc.id, "5");
  EXPECT_EQ(r[1].origin.line, 4u);
  // Too few fields on one line: not split at the quoted comma into three.
  auto few = Csv("id,title,text\n1,\"a, b\"\n2,t,x\n");
  ASSERT_EQ(few.size(), 2u);
  EXPECT_EQ(few[0].skip_reason, "bad_columns");
  EXPECT_EQ(few[1].doc.id, "2");
}

// `id,text,text` read the first text column and dropped the second.
TEST(CsvReaderTest, ColumnNamedTwiceIsAnErrorNamingFileLineAndColumns) {
  for (const char* header : {"id,text,text", "id,Text,TEXT", "text,id,id"}) {
    auto source = internal::ByteSource::FromString(std::string(header) + "\n1,a,b\n", "d/x.csv");
    auto reader = internal::NewCsvReader(std::move(source), ReaderOptions());
    ReadRecord r;
    absl::StatusOr<bool> more = reader->Next(&r);
    ASSERT_FALSE(more.ok()) << header;
    EXPECT_EQ(more.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(more.status().message());
    EXPECT_TRUE(message.starts_with("d/x.csv:1: the CSV header names column")) << message;
    EXPECT_NE(message.find("more than once: columns"), std::string::npos) << message;
  }
  // Columns storysift does not read may share a name.
  auto ok = Csv("id,text,extra,extra\n1,body,a,b\n");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].doc.text, "body");
  // A field flag spelled as one of them names that one; one spelled as
  // neither cannot tell them apart.
  ReaderOptions named;
  named.fields.text = {"Text"};
  named.fields.required = {"Text"};
  auto chosen = Csv("id,text,Text\n1,lower,upper\n", named);
  ASSERT_EQ(chosen.size(), 1u);
  EXPECT_EQ(chosen[0].doc.text, "upper");
  named.fields.text = named.fields.required = {"TEXT"};
  auto source = internal::ByteSource::FromString("id,text,Text\n1,lower,upper\n", "y.csv");
  ReadRecord r;
  EXPECT_FALSE(internal::NewCsvReader(std::move(source), named)->Next(&r).ok());
}

TEST(CsvReaderTest, StrayQuotesAreKeptLiterally) {
  auto r = Csv("title,text\n5\" screen,\"quoted\"tail\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.title, "5\" screen");
  EXPECT_EQ(r[0].doc.text, "quotedtail");
}

TEST(CsvReaderTest, EmptyTextIsSkippedEmptyText) {
  auto r = Csv("title,text\nt,\nt,\"  \"\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, "empty_text");
  EXPECT_EQ(r[1].skip_reason, "empty_text");
}

TEST(CsvReaderTest, HeaderWithoutTextColumnSkipsEveryRecordOfThatFile) {
  // A CSV without a header row: its first record reads as the header.
  auto r = Csv("1,Some title,Some body\n2,Other,More body\n3,Third,Body\n");
  ASSERT_EQ(r.size(), 2u);
  for (const ReadRecord& rec : r) {
    EXPECT_EQ(rec.skip_reason, "no_text_column");
    EXPECT_NE(rec.message.find("found 1, Some title, Some body"), std::string::npos)
        << rec.message;
    EXPECT_NE(rec.message.find("--text-field"), std::string::npos) << rec.message;
  }
  EXPECT_EQ(r[0].origin.line, 2u);
  EXPECT_EQ(r[1].origin.line, 3u);
}

TEST(CsvReaderTest, NamedFieldMissingFromHeaderIsInvalidArgumentListingColumns) {
  ReaderOptions o;
  o.fields.title = {"nosuch"};
  o.fields.required = {"nosuch"};
  auto source = internal::ByteSource::FromString("id,title,text\n1,t,x\n", "x.csv");
  auto reader = internal::NewCsvReader(std::move(source), o);
  ReadRecord r;
  absl::StatusOr<bool> more = reader->Next(&r);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(more.status().message().find("no column \"nosuch\""), absl::string_view::npos)
      << more.status();
  EXPECT_NE(more.status().message().find("id, title, text"), absl::string_view::npos)
      << more.status();
}

TEST(CsvReaderTest, KeepRawGivesEachRecordAndTheHeaderAsRead) {
  ReaderOptions o;
  o.keep_raw = true;
  const std::string head = "\xEF\xBB\xBF" "id,text,extra";
  const std::string row1 = "a,\"multi\r\nline \"\"q\"\"\",x";
  const std::string row2 = "b,plain,";
  auto r = Csv(head + "\r\n" + row1 + "\r\n\r\n" + row2, o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.raw, row1 + "\r\n");  // Its line break as it was.
  EXPECT_EQ(r[1].doc.raw, row2);            // The last line has none.
  ASSERT_NE(r[0].doc.raw_header, nullptr);
  // The BOM is the byte layer's.
  EXPECT_EQ(*r[0].doc.raw_header, head.substr(3) + "\r\n");
  EXPECT_EQ(r[0].doc.raw_header, r[1].doc.raw_header);  // Shared.
  EXPECT_TRUE(Csv(head + "\n" + row2 + "\n")[0].doc.raw.empty());  // Not asked for.
}

TEST(CsvReaderTest, EmptyFileAndHeaderOnlyHaveNoRecords) {
  EXPECT_TRUE(Csv("").empty());
  EXPECT_TRUE(Csv("title,text\n").empty());
}

TEST(CsvReaderTest, RecordOverMaxLineBytesIsSkippedAndNextIsRead) {
  ReaderOptions o;
  o.max_line_bytes = 100;
  auto r = Csv("title,text\nt,\"" + std::string(5000, 'y') + "\n,x\"\nt2,ok\n", o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, "line_too_long");
  EXPECT_EQ(r[1].doc.text, "ok");
  EXPECT_EQ(r[1].origin.line, 4u);
}

TEST(CsvReaderTest, RecordOfOnlyDelimitersOverMaxLineBytesIsSkipped) {
  // No field bytes at all, but the record itself is over the limit.
  ReaderOptions o;
  o.max_line_bytes = 100;
  o.keep_raw = true;
  auto r = Csv("title,text\n" + std::string(5000, ',') + "\nt2,ok\n", o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, "line_too_long");
  EXPECT_EQ(r[1].doc.text, "ok");
  EXPECT_EQ(r[1].doc.raw, "t2,ok\n");
}

TEST(CsvReaderTest, RecordsSpanningBufferRefillsAreIntact) {
  // Fields far larger than the 1 MiB chunk, with quotes at awkward places.
  const std::string big(3 << 19, 'z');  // 1.5 MiB.
  std::string data = "id,text\n";
  for (int i = 0; i < 3; ++i) {
    data += std::to_string(i) + ",\"" + big + "\"\"" + big + "\"\n";
  }
  // Through a file, so the reader refills its 1 MiB buffer mid-field.
  const testing_util::TempDir tmp;
  const std::string path = tmp / "big.csv";
  testing_util::WriteFile(path, data);
  auto reader = OpenReader(path, ReaderOptions());
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto r = testing_util::Drain(reader->get());
  ASSERT_EQ(r.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r[i].doc.id, std::to_string(i));
    EXPECT_EQ(r[i].doc.text.size(), 2 * big.size() + 1);
    EXPECT_EQ(r[i].doc.text[big.size()], '"');
  }
}

TEST(CsvReaderTest, RecordsOutEqualRecordsIn) {
  std::string data = "id,title,text\n";
  for (int i = 0; i < 300; ++i) {
    if (i % 3 == 0) data += std::to_string(i) + ",t,\"multi\nline\"\n";
    if (i % 3 == 1) data += std::to_string(i) + ",too,many,fields\n";
    if (i % 3 == 2) data += std::to_string(i) + ",t,\n";
  }
  auto r = Csv(data);
  ASSERT_EQ(r.size(), 300u);
  size_t docs = 0;
  for (const auto& rec : r) docs += !rec.skipped();
  EXPECT_EQ(docs, 100u);
}

}  // namespace
}  // namespace storysift
