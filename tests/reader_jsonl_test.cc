#include <filesystem>
#include <optional>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/utf8.h"
#include "reader_test_util.h"
#include "storysift/date.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using testing_util::ReadString;

std::vector<ReadRecord> Jsonl(const std::string& data, ReaderOptions o = {}) {
  return ReadString(InputFormat::kJsonl, data, o, "dir/feed.jsonl");
}

TEST(JsonlReaderTest, ReadsFieldsByFirstPresentName) {
  auto r = Jsonl(
      R"({"doc_id":"a1","headline":"H","content":"Body text","site":"S","link":"http://x","published":"2017-03-02"})"
      "\n");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  const Document& d = r[0].doc;
  EXPECT_EQ(d.id, "a1");
  EXPECT_EQ(d.title, "H");
  EXPECT_EQ(d.text, "Body text");
  EXPECT_EQ(d.source, "S");
  EXPECT_EQ(d.url, "http://x");
  EXPECT_EQ(d.published, 1488412800);
  EXPECT_EQ(d.origin.ToString(), "dir/feed.jsonl:1");
  EXPECT_EQ(r[0].origin.ToString(), "dir/feed.jsonl:1");
}

TEST(JsonlReaderTest, EarlierNameInListWinsOverLaterOne) {
  auto r = Jsonl(R"({"body":"second","text":"first","content":null})" "\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.text, "first");
}

TEST(JsonlReaderTest, NullFieldFallsThroughToNextName) {
  auto r = Jsonl(R"({"text":null,"body":"from body"})" "\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.text, "from body");
}

TEST(JsonlReaderTest, NumericIdAndEpochDate) {
  auto r = Jsonl(R"({"id":12,"text":"t","date":1488412800})" "\n"
                 R"({"id":1.5,"text":"t","date":1488412800.9})" "\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.id, "12");
  EXPECT_EQ(r[0].doc.published, 1488412800);
  EXPECT_EQ(r[1].doc.id, "1.5");
  EXPECT_EQ(r[1].doc.published, 1488412800);
}

// A JSON number is a date by the rule for a bare number (ParseDate): its
// value counts (2017.0 is the year 2017), and a fraction is allowed only on
// epoch seconds or milliseconds. 2017.9 was floored to 2017-01-01 while the
// string "2017.9" was unparsed, and 1488448800123.5 was unparsed.
TEST(JsonlReaderTest, NumberDateFollowsTheBareNumberRule) {
  constexpr int64_t kMar2At10 = 1488448800;  // 2017-03-02T10:00:00Z
  struct Case {
    std::string date;  // As written in the JSON line.
    std::optional<int64_t> published;
  };
  const std::vector<Case> cases = {
      {"2017.9", std::nullopt},          // Not a year: a year has no fraction.
      {"\"2017.9\"", std::nullopt},      // The same as a string.
      {"20170302.5", std::nullopt},      // Nor a compact date.
      {"2017.0", 1483228800},            // The value 2017: a year.
      {"2.017e3", 1483228800},
      {"20170302.0", 1488412800},        // A compact date.
      {"1488448800.5", kMar2At10},       // Epoch seconds, the fraction dropped.
      {"1.4884488e9", kMar2At10},
      {"1488448800123.5", kMar2At10},    // Epoch milliseconds, likewise.
      {"\"1488448800123.5\"", kMar2At10},
      {"1488448800123.0", kMar2At10},
      {"-100000000.5", -100000001},      // Toward -infinity, as a string is.
      {"12345678.9", std::nullopt},      // 8 integer digits: no epoch seconds.
      {"0.5", std::nullopt},
      {"-1488448800123.5", std::nullopt},  // Negative milliseconds, as integers.
      {"1e15", std::nullopt},
  };
  std::string lines;
  for (const Case& c : cases) {
    lines += R"({"text":"t","date":)" + c.date + "}\n";
  }
  auto r = Jsonl(lines);
  ASSERT_EQ(r.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(r[i].doc.published, cases[i].published) << cases[i].date;
    EXPECT_EQ(r[i].doc.flags.date_unparsed, !cases[i].published.has_value()) << cases[i].date;
  }
}

// The base name alone ("feed.jsonl:2") made two files of one name in one
// run give one id to two records.
TEST(JsonlReaderTest, MissingIdIsThePathAsGivenAndLine) {
  auto r = Jsonl("\n" R"({"text":"a"})" "\n\n" R"({"text":"b","id":[1]})" "\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.id, "dir/feed.jsonl:2");
  EXPECT_EQ(r[0].doc.flags.id_origin, IdOrigin::kPosition);
  EXPECT_EQ(r[1].doc.id, "dir/feed.jsonl:4");
  EXPECT_EQ(r[1].origin.line, 4u);
}

TEST(JsonlReaderTest, BlankIdFallsBackToPathAndLine) {
  auto r = Jsonl(R"({"text":"a","id":""})" "\n" R"({"text":"b","id":"\u0000"})" "\n"
                 R"({"text":"c","id":"c1"})");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].doc.id, "dir/feed.jsonl:1");
  EXPECT_EQ(r[1].doc.id, "dir/feed.jsonl:2");
  EXPECT_EQ(r[2].doc.flags.id_origin, IdOrigin::kRecord);
}

// Where ids are matched across runs: a record without an id is named by its
// place and its content, so tomorrow's other article at the same line is
// another id, and the same record read again the same one.
TEST(JsonlReaderTest, ContentInPositionalIdsNamesThePlaceAndTheContent) {
  ReaderOptions o;
  o.content_in_positional_ids = true;
  const std::string storm = R"({"text":"storm"})" "\n";
  auto a = Jsonl(storm + R"({"text":"x","id":"own"})" "\n", o);
  auto again = Jsonl(storm, o);
  auto other = Jsonl(R"({"text":"tax bill"})" "\n", o);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(again.size(), 1u);
  ASSERT_EQ(other.size(), 1u);
  const std::string& id = a[0].doc.id;
  ASSERT_TRUE(id.starts_with("dir/feed.jsonl:1#")) << id;
  EXPECT_EQ(id.size(), std::string("dir/feed.jsonl:1#").size() + 12) << id;
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef", id.find('#') + 1), std::string::npos) << id;
  EXPECT_EQ(a[0].doc.flags.id_origin, IdOrigin::kPositionAndContent);
  EXPECT_EQ(a[1].doc.id, "own");  // A record's own id is its identity.
  EXPECT_EQ(again[0].doc.id, id);
  EXPECT_NE(other[0].doc.id, id);
  EXPECT_TRUE(other[0].doc.id.starts_with("dir/feed.jsonl:1#")) << other[0].doc.id;
  // What an earlier version called the record: its file's base name and line.
  EXPECT_EQ(internal::LegacyPositionalId(a[0].doc), "feed.jsonl:1");
  EXPECT_EQ(internal::LegacyPositionalId(a[1].doc), "");
  // Adding the content again changes nothing.
  Document doc = a[0].doc;
  internal::AddContentToPositionalId(&doc);
  EXPECT_EQ(doc.id, id);
}

TEST(JsonlReaderTest, BlankLinesAndCrlfAndBomAreTolerated) {
  auto r = Jsonl("\xEF\xBB\xBF{\"text\":\"a\"}\r\n  \r\n\t\n{\"text\":\"b\"}");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.text, "a");
  EXPECT_EQ(r[1].doc.text, "b");
  EXPECT_EQ(r[1].origin.line, 4u);
}

TEST(JsonlReaderTest, EachBadLineIsOneSkipWithItsReason) {
  // Line 8 holds a raw NUL, so it is appended with an explicit length.
  std::string data =
      "{\"text\": \"ok\"}\n"
      "{\"text\": \"unterminated}\n"
      "[1, 2, 3]\n"
      "\"just a string\"\n"
      "{\"title\": \"no body\"}\n"
      "{\"text\": 42}\n"
      "{\"text\": \"  \\n\\t \"}\n";
  data += std::string("{\"text\": \"a\0b\"}\n", 16);
  data += "{\"text\": \"last\"}\n";
  auto r = Jsonl(data);
  ASSERT_EQ(r.size(), 9u);
  const char* want[] = {"",           "invalid_json", "not_object",
                        "not_object", "missing_text", "missing_text",
                        "empty_text", "binary",       ""};
  for (size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(r[i].skip_reason, want[i]) << "line " << i + 1;
    EXPECT_EQ(r[i].origin.line, i + 1);
  }
  EXPECT_NE(r[1].message.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(r[8].doc.text, "last");
}

TEST(JsonlReaderTest, InvalidUtf8IsReadAsWindows1252AndFlagged) {
  auto r = Jsonl("{\"text\":\"caf\xE9 ok\",\"title\":\"t\xFF\"}\n"
                 "{\"text\":\"clean caf\xC3\xA9\"}\n"
                 "{\"text\":\"undefined \x81 byte\"}\n");
  ASSERT_EQ(r.size(), 3u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.text, "caf\xC3\xA9 ok");  // é
  EXPECT_EQ(r[0].doc.title, "t\xC3\xBF");     // ÿ
  EXPECT_TRUE(r[0].doc.flags.transcoded);
  EXPECT_FALSE(r[0].doc.flags.utf8_repaired);
  EXPECT_FALSE(r[1].doc.flags.transcoded || r[1].doc.flags.utf8_repaired);
  // 0x81 is not Windows-1252 either: U+FFFD.
  EXPECT_EQ(r[2].doc.text, "undefined \xEF\xBF\xBD byte");
  EXPECT_TRUE(r[2].doc.flags.utf8_repaired);
}

// "\u0000" is valid JSON and valid UTF-8: the NUL is removed and flagged as
// what it is, not as invalid UTF-8.
TEST(JsonlReaderTest, EscapedNulIsRemovedAndFlaggedAsNul) {
  auto r = Jsonl(R"({"text":"a\u0000b"})" "\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.text, "ab");
  EXPECT_TRUE(r[0].doc.flags.nul_removed);
  EXPECT_FALSE(r[0].doc.flags.utf8_repaired);
}

// The reader skips MakeUtf8's validation for parsed JSON strings: they are
// valid UTF-8 (a lone surrogate escape is invalid JSON) and a NUL escape,
// the one way in for a NUL, still sends a field through MakeUtf8.
TEST(JsonlReaderTest, ParsedStringsAreValidUtf8AndLoseTheirNuls) {
  auto r = Jsonl(R"({"text":"x \ud800\udc00 \u00e9"})" "\n"
                 R"({"text":"x \udc00 y"})" "\n"
                 R"({"text":"x \ud800 y"})" "\n"
                 R"({"text":"t","title":"a\u0000b","source":"s\u0000","url":"\u0000u"})" "\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].doc.text, "x \xF0\x90\x80\x80 \xC3\xA9");
  EXPECT_FALSE(r[0].doc.flags.utf8_repaired);
  EXPECT_EQ(r[1].skip_reason, "invalid_json");
  EXPECT_EQ(r[2].skip_reason, "invalid_json");
  EXPECT_EQ(r[3].doc.title, "ab");
  EXPECT_EQ(r[3].doc.source, "s");
  EXPECT_EQ(r[3].doc.url, "u");
  EXPECT_TRUE(r[3].doc.flags.nul_removed);
  EXPECT_FALSE(r[3].doc.flags.utf8_repaired);
}

// Field names are tried in their list's order whatever the keys' order (the
// key filter only skips names the record lacks): an earlier name wins, a
// null passes to the next, a literal dotted key beats the nested path.
TEST(JsonlReaderTest, FieldNamesKeepTheirOrderAmongManyKeys) {
  auto r = Jsonl(R"({"headline":"second","k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,)"
                 R"("k7":7,"k8":8,"title":"first","body":"b","text":"t","link":"l",)"
                 R"("url":null,"source":{"name":"nested"},"source.name":"literal"})" "\n"
                 R"({"k1":1,"description":"d","source":{"name":"nested"}})" "\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.title, "first");
  EXPECT_EQ(r[0].doc.text, "t");
  EXPECT_EQ(r[0].doc.url, "l");
  EXPECT_EQ(r[0].doc.source, "literal");
  EXPECT_EQ(r[1].doc.text, "d");
  EXPECT_EQ(r[1].doc.source, "nested");
}

TEST(JsonlReaderTest, UnparsedDateKeepsDocumentAndFlagsIt) {
  auto r = Jsonl(R"({"text":"a","date":"sometime soon"})" "\n"
                 R"({"text":"b","date":true})" "\n"
                 R"({"text":"c","date":""})" "\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_FALSE(r[0].skipped());
  EXPECT_TRUE(r[0].doc.flags.date_unparsed);
  EXPECT_FALSE(r[0].doc.published.has_value());
  EXPECT_TRUE(r[1].doc.flags.date_unparsed);
  EXPECT_FALSE(r[2].doc.flags.date_unparsed);  // Empty is "no date".
}

TEST(JsonlReaderTest, ObjectOrArrayDateIsCountedAsUnparsed) {
  auto r = Jsonl(R"({"text":"a","date":{"y":2017}})" "\n"
                 R"({"text":"b","date":["2017-03-02"]})" "\n"
                 R"({"text":"c","date":null})" "\n"
                 R"({"text":"d","date":{"y":2017},"published":"2017-03-02"})" "\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_TRUE(r[0].doc.flags.date_unparsed);
  EXPECT_TRUE(r[1].doc.flags.date_unparsed);
  EXPECT_FALSE(r[2].doc.flags.date_unparsed);  // null is "no date".
  EXPECT_FALSE(r[3].doc.flags.date_unparsed);  // A later name holds the date.
  EXPECT_EQ(r[3].doc.published, 1488412800);
}

// keep_raw: each line with its own line break (LF, CRLF, a lone CR at the
// end, or none), so --keep-first can write it back as it was.
TEST(JsonlReaderTest, KeepRawHoldsEachLinesOwnLineBreak) {
  ReaderOptions o;
  o.keep_raw = true;
  const std::string a = R"({"text":"a"})", b = R"({"text":"b"} )", c = R"({"text":"c"})";
  auto r = Jsonl(a + "\r\n" + b + "\n\r\n" + c + "\r", o);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].doc.raw, a + "\r\n");
  EXPECT_EQ(r[1].doc.raw, b + "\n");
  EXPECT_EQ(r[2].doc.raw, c + "\r");
  r = Jsonl(a + "\n" + c, o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].doc.raw, c);
}

// Valid JSON with numbers simdjson cannot hold (beyond 64 bits, beyond the
// double range) keeps its record: such a number reads as no value.
TEST(JsonlReaderTest, NumbersBeyondRangeKeepTheRecord) {
  ReaderOptions o;
  o.keep_raw = true;
  const std::string first =
      R"({"id":"a","views":18446744073709551616,"text":"kept one","note":"1e400 \" 9e999"})";
  auto r = Jsonl(first + "\n" +
                     R"({"id":"b","date":99999999999999999999,"text":"kept two","x":-1e400})" "\n"
                     R"({"id":123456789012345678901234,"text":"kept three"})" "\n"
                     R"({"id":"c","text":1e400})" "\n"
                     R"({"id":"d","text":"bad", "n":1e400 x})" "\n",
                 o);
  ASSERT_EQ(r.size(), 5u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.id, "a");
  EXPECT_EQ(r[0].doc.text, "kept one");
  // What --keep-first writes: the bytes as they were, line break included.
  EXPECT_EQ(r[0].doc.raw, first + "\n");
  ASSERT_FALSE(r[1].skipped()) << r[1].message;
  EXPECT_TRUE(r[1].doc.flags.date_unparsed);
  EXPECT_FALSE(r[1].doc.published.has_value());
  ASSERT_FALSE(r[2].skipped()) << r[2].message;
  EXPECT_EQ(r[2].doc.id, "dir/feed.jsonl:3");
  EXPECT_EQ(r[3].skip_reason, kSkipMissingText);  // A number is not a text.
  EXPECT_EQ(r[4].skip_reason, kSkipInvalidJson);  // Still invalid after the rewrite.
}

TEST(JsonlReaderTest, LongBodyIsTruncatedAtCodePointBoundary) {
  ReaderOptions o;
  o.max_doc_bytes = 10;
  // "aaaaaaaaa" + "é" (2 bytes): cutting at 10 would split the é.
  auto r = Jsonl("{\"text\":\"aaaaaaaaa\xC3\xA9tail\"}\n{\"text\":\"short\"}\n", o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.text, "aaaaaaaaa");
  EXPECT_TRUE(r[0].doc.flags.truncated);
  EXPECT_FALSE(r[0].doc.flags.utf8_repaired);
  EXPECT_FALSE(r[1].doc.flags.truncated);
}

// max_line_bytes + 1 wrapped to 0 for the largest limit: every line longer
// than the read buffer was skipped as too long.
TEST(JsonlReaderTest, LargestMaxLineBytesSkipsNothing) {
  ReaderOptions o;
  o.max_line_bytes = std::numeric_limits<size_t>::max();
  const std::string text(1 << 20, 'a');  // Past the source's buffer.
  auto r = Jsonl("{\"text\":\"" + text + "\"}\n", o);
  ASSERT_EQ(r.size(), 1u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.text.size(), text.size());
}

TEST(JsonlReaderTest, LineOverMaxLineBytesIsSkippedAndReadingGoesOn) {
  ReaderOptions o;
  o.max_line_bytes = 1000;
  std::string data = "{\"text\":\"" + std::string(3 << 20, 'x') + "\"}\n";
  data += "{\"text\":\"after\"}\n";
  auto r = Jsonl(data, o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, "line_too_long");
  EXPECT_NE(r[0].message.find("1000"), std::string::npos);
  EXPECT_EQ(r[1].doc.text, "after");
  EXPECT_EQ(r[1].origin.line, 2u);
}

TEST(JsonlReaderTest, EmptyInputHasNoRecords) {
  EXPECT_TRUE(Jsonl("").empty());
  EXPECT_TRUE(Jsonl("\n\n  \n").empty());
}

TEST(JsonlReaderTest, RecordsOutEqualNonBlankLinesIn) {
  std::string data;
  size_t non_blank = 0;
  for (int i = 0; i < 500; ++i) {
    switch (i % 5) {
      case 0: data += "{\"text\":\"doc " + std::to_string(i) + "\"}\n"; break;
      case 1: data += "not json\n"; break;
      case 2: data += "\n"; --non_blank; break;
      case 3: data += "{\"text\":\"\"}\n"; break;
      case 4: data += "{\"id\":" + std::to_string(i) + ",\"text\":\"x\"}\n"; break;
    }
    ++non_blank;
  }
  auto r = Jsonl(data);
  EXPECT_EQ(r.size(), non_blank);
  size_t docs = 0;
  for (const auto& rec : r) docs += !rec.skipped();
  EXPECT_EQ(docs, 200u);
}

TEST(JsonlReaderTest, EcbPlusCorpusReadsCompletely) {
  ReaderOptions o;
  std::vector<Document> docs;
  std::vector<ReadRecord> skipped;
  ASSERT_TRUE(ReadAll({testing_util::ProjectData("ecbplus/ecbplus_topics_1-25.jsonl")},
                      o, &docs, &skipped)
                  .ok());
  EXPECT_EQ(docs.size(), 535u);
  EXPECT_TRUE(skipped.empty());
  EXPECT_EQ(docs[0].id, "1_10ecb");
}

TEST(JsonlReaderTest, ReutersCorpusReadsWithEveryDateParsed) {
  const std::string path = testing_util::SharedData("reuters21578/reuters.jsonl");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " absent";
  auto reader = OpenReader(path, ReaderOptions());
  ASSERT_TRUE(reader.ok()) << reader.status();
  size_t docs = 0, skipped = 0, unparsed = 0, repaired = 0;
  ReadRecord r;
  std::string first_id, first_date;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&r);
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    if (r.skipped()) {
      ++skipped;
      continue;
    }
    if (docs++ == 0) {
      first_id = r.doc.id;
      first_date = FormatDate(r.doc.published.value_or(0));
    }
    unparsed += r.doc.flags.date_unparsed;
    repaired += r.doc.flags.utf8_repaired;
    ASSERT_TRUE(internal::IsCleanUtf8(r.doc.text));
  }
  EXPECT_EQ(docs + skipped, 19043u);
  EXPECT_EQ(skipped, 0u);
  EXPECT_EQ(unparsed, 0u);
  EXPECT_EQ(first_id, "1");
  EXPECT_EQ(first_date, "1987-02-26T15:01:01Z");
}

}  // namespace
}  // namespace storysift
