// JSON arrays streamed element by element, field aliases, dotted paths and
// fields the user named that no record has.
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "reader_test_util.h"
#include "simdjson.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using testing_util::Drain;
using testing_util::ReadString;
using testing_util::SharedData;
using testing_util::TempDir;
using testing_util::WriteFile;

std::vector<std::string> ReutersLines(size_t n) {
  std::ifstream in(SharedData("reuters21578/reuters.jsonl"));
  std::vector<std::string> out;
  std::string line;
  while (out.size() < n && std::getline(in, line)) out.push_back(line);
  return out;
}

TEST(JsonArrayTest, PrettyPrintedArrayGivesTheDocumentsOfTheJsonLines) {
  const std::vector<std::string> lines = ReutersLines(300);
  if (lines.empty()) GTEST_SKIP() << "shared data not found";
  std::string jsonl, array = "[\n";
  std::vector<uint64_t> starts;
  uint64_t line_no = 2;
  for (size_t i = 0; i < lines.size(); ++i) {
    jsonl += lines[i] + "\n";
    // Pretty-printed the crude way: a line break after every comma between
    // fields, so each element spans several lines.
    std::string pretty = "  ";
    bool in_string = false, escape = false;
    for (char c : lines[i]) {
      pretty += c;
      if (escape) { escape = false; continue; }
      if (c == '\\') { escape = true; continue; }
      if (c == '"') in_string = !in_string;
      if (c == ',' && !in_string) pretty += "\n    ";
    }
    starts.push_back(line_no);
    line_no += std::count(pretty.begin(), pretty.end(), '\n') + 1;
    array += pretty + (i + 1 < lines.size() ? ",\n" : "\n");
  }
  array += "]\n";
  ReaderOptions o;
  o.keep_raw = true;
  const auto want = ReadString(InputFormat::kJsonl, jsonl, o);
  const auto got = ReadString(InputFormat::kJsonl, array, o, "day.json");
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_FALSE(got[i].skipped()) << got[i].origin.ToString() << " " << got[i].message;
    EXPECT_EQ(got[i].doc.id, want[i].doc.id);
    EXPECT_EQ(got[i].doc.text, want[i].doc.text);
    EXPECT_EQ(got[i].doc.published, want[i].doc.published);
    EXPECT_EQ(got[i].origin.line, starts[i]);
    EXPECT_EQ(want[i].doc.raw, lines[i] + "\n");  // JSONL raw: the line as it was.
    EXPECT_TRUE(got[i].doc.raw.starts_with("{\"id\"")) << got[i].doc.raw.substr(0, 20);
    EXPECT_TRUE(got[i].doc.raw.ends_with("}"));
  }
}

TEST(JsonArrayTest, BadElementsAreSkippedWithTheirLineAndTheRestIsRead) {
  const std::string array =
      "[\n"
      "  {\"id\":\"a\",\"text\":\"good one, with ] and } in a string \\\" too\"},\n"
      "  {\"id\":\"b\",\"text\":},\n"
      "  42,\n"
      "  ,\n"
      "  {\"id\":\"c\",\"nested\":{\"x\":[1,{\"y\":2}]},\"text\":\"good two\"}\n"
      "]\n"
      "[{\"id\":\"d\",\"text\":\"a second array\"}]\n";
  const auto r = ReadString(InputFormat::kJsonl, array);
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].doc.id, "a");
  EXPECT_EQ(r[0].doc.text, "good one, with ] and } in a string \" too");
  EXPECT_EQ(r[1].skip_reason, kSkipInvalidJson);
  EXPECT_EQ(r[1].origin.line, 3u);
  EXPECT_EQ(r[2].skip_reason, kSkipNotObject);
  EXPECT_EQ(r[2].origin.line, 4u);
  EXPECT_EQ(r[3].skip_reason, kSkipInvalidJson);  // The empty element.
  EXPECT_EQ(r[4].doc.id, "c");
  EXPECT_EQ(r[4].origin.line, 6u);
  EXPECT_EQ(r[5].doc.id, "d");
}

// A JSON lines file whose first line happens to be an array: the lines
// after it are records each, none swallowed into one skip.
TEST(JsonArrayTest, LinesAfterTheArraysAreReadAsJsonLines) {
  const std::string data =
      "[{\"id\":\"x\",\"text\":\"in the array\"}]\n"
      "{\"id\":\"a\",\"text\":\"first line\"}\r\n"
      "\n"
      "{\"id\":\"b\",\"text\":\"a ] and [ { in a string\"}\n"
      "not json {\n"
      "[{\"id\":\"y\",\"text\":\"an array line\"}]\n"
      "{\"id\":\"c\",\"text\":\"last line, no newline\"}";
  const auto r = ReadString(InputFormat::kJsonl, data);
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[0].doc.id, "x");
  EXPECT_EQ(r[1].doc.id, "a");
  EXPECT_EQ(r[1].origin.line, 2u);
  EXPECT_EQ(r[2].doc.id, "b");
  EXPECT_EQ(r[2].doc.text, "a ] and [ { in a string");
  EXPECT_EQ(r[2].origin.line, 4u);
  EXPECT_EQ(r[3].skip_reason, kSkipInvalidJson);
  EXPECT_EQ(r[3].origin.line, 5u);
  EXPECT_EQ(r[4].skip_reason, kSkipNotObject);  // As the lines reader reads one.
  EXPECT_EQ(r[4].origin.line, 6u);
  EXPECT_EQ(r[5].doc.id, "c");
  EXPECT_EQ(r[5].origin.line, 7u);
  // An empty array first, then lines.
  const auto e = ReadString(InputFormat::kJsonl, "[]\n{\"id\":\"a\",\"text\":\"t\"}\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].doc.id, "a");
  EXPECT_EQ(e[0].origin.line, 2u);
}

TEST(JsonArrayTest, TruncatedArrayKeepsWhatCameBeforeAndSaysSo) {
  const auto r = ReadString(InputFormat::kJsonl,
                            "[{\"id\":\"a\",\"text\":\"whole\"},{\"id\":\"b\",\"text\":\"cut of");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.id, "a");
  EXPECT_EQ(r[1].skip_reason, kSkipInvalidJson);
  EXPECT_NE(r[1].message.find("ends inside"), std::string::npos);
  EXPECT_TRUE(ReadString(InputFormat::kJsonl, "  [ ]  ").empty());
}

// Elements without ids: the path as given and the line, "#k" for the k-th
// element starting on one line; with the content's hash after that where
// ids are matched across runs.
TEST(JsonArrayTest, ElementsWithoutIdsAreNamedByPathLineAndPlaceOnTheLine) {
  const std::string data = "[{\"text\":\"a\"},{\"text\":\"b\"},\n{\"text\":\"c\"}]\n";
  const auto r = ReadString(InputFormat::kJsonl, data, {}, "d1/day.json");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].doc.id, "d1/day.json:1");
  EXPECT_EQ(r[1].doc.id, "d1/day.json:1#2");
  EXPECT_EQ(r[2].doc.id, "d1/day.json:2");
  ReaderOptions o;
  o.content_in_positional_ids = true;
  const auto c = ReadString(InputFormat::kJsonl, data, o, "d1/day.json");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_TRUE(c[0].doc.id.starts_with("d1/day.json:1#")) << c[0].doc.id;
  EXPECT_TRUE(c[1].doc.id.starts_with("d1/day.json:1#2#")) << c[1].doc.id;
  EXPECT_EQ(c[1].doc.id.size(), std::string("d1/day.json:1#2#").size() + 12) << c[1].doc.id;
  EXPECT_EQ(internal::LegacyPositionalId(c[0].doc), "day.json:1");
  EXPECT_EQ(internal::LegacyPositionalId(c[1].doc), "day.json:1#2");
}

// The input ended after the last element, without the array's ']': that
// whole element was skipped as "input ends inside an array element".
TEST(JsonArrayTest, UnclosedArrayKeepsItsLastWholeElementAndNamesTheArray) {
  const auto r = ReadString(InputFormat::kJsonl,
                            "[{\"id\":\"x\",\"text\":\"a b c\"},\n{\"id\":\"y\",\"text\":\"second\"}\n",
                            {}, "arr2.json");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].doc.id, "x");
  ASSERT_FALSE(r[1].skipped()) << r[1].message;
  EXPECT_EQ(r[1].doc.id, "y");
  EXPECT_EQ(r[1].doc.text, "second");
  EXPECT_EQ(r[2].skip_reason, kSkipInvalidJson);
  EXPECT_EQ(r[2].origin.ToString(), "arr2.json:1");  // Where the array opened.
  EXPECT_NE(r[2].message.find("the array opened at line 1 is not closed"), std::string::npos)
      << r[2].message;
  // After a comma: no element is lost, the array is named all the same.
  const auto comma = ReadString(InputFormat::kJsonl, "\n[{\"id\":\"x\",\"text\":\"a\"},\n");
  ASSERT_EQ(comma.size(), 2u);
  EXPECT_EQ(comma[0].doc.id, "x");
  EXPECT_EQ(comma[1].origin.line, 2u);
  EXPECT_NE(comma[1].message.find("array opened at line 2"), std::string::npos)
      << comma[1].message;
  // A nested object left open is still a cut element.
  const auto cut = ReadString(InputFormat::kJsonl, "[{\"id\":\"x\",\"m\":{\"text\":\"a\"}\n");
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_NE(cut[0].message.find("ends inside an array element"), std::string::npos);
}

TEST(JsonArrayTest, OversizedElementIsSkippedWithoutBeingHeld) {
  ReaderOptions o;
  o.max_line_bytes = 100;
  const std::string big(500, 'x');
  const auto r = ReadString(InputFormat::kJsonl,
                            "[{\"text\":\"" + big + "\"},{\"id\":\"s\",\"text\":\"small\"}]", o);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, kSkipLineTooLong);
  EXPECT_EQ(r[1].doc.id, "s");
}

TEST(JsonArrayTest, ArrayFileIsFoundByContentInFilesAndByExtension) {
  const TempDir tmp;
  WriteFile(tmp.path() + "/feed", "\n  [{\"id\":\"a\",\"text\":\"no extension\"}]");
  WriteFile(tmp.path() + "/feed.json", "[{\"id\":\"b\",\"text\":\"json extension\"}]");
  for (const char* name : {"/feed", "/feed.json"}) {
    auto reader = OpenReader(tmp.path() + name, ReaderOptions());
    ASSERT_TRUE(reader.ok()) << reader.status();
    const auto r = Drain(reader->get());
    ASSERT_EQ(r.size(), 1u) << name;
    EXPECT_FALSE(r[0].skipped()) << name << ": " << r[0].message;
  }
}

TEST(JsonFieldsTest, UsualAliasesAndDottedPathsAreRead) {
  const std::string jsonl =
      "{\"headline\":\"H\",\"articleBody\":\"body one\",\"publishedAt\":\"2017-03-02T10:00:00Z\","
      "\"link\":\"http://x/1\",\"source\":{\"id\":null,\"name\":\"Wire\"}}\n"
      "{\"title\":\"T\",\"content\":\"body two\",\"pubDate\":\"Thu, 02 Mar 2017 10:00:00 GMT\"}\n"
      "{\"text\":\"body three\",\"created_at\":\"2017-03-02\"}\n";
  const auto r = ReadString(InputFormat::kJsonl, jsonl);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].doc.title, "H");
  EXPECT_EQ(r[0].doc.text, "body one");
  EXPECT_EQ(r[0].doc.url, "http://x/1");
  EXPECT_EQ(r[0].doc.source, "Wire");  // source.name, since source is an object.
  ASSERT_TRUE(r[0].doc.published.has_value());
  EXPECT_EQ(*r[0].doc.published, 1488448800);
  ASSERT_TRUE(r[1].doc.published.has_value());
  EXPECT_EQ(*r[1].doc.published, 1488448800);
  ASSERT_TRUE(r[2].doc.published.has_value());
  ReaderOptions o;
  o.fields.date = {"meta.date"};
  const auto nested = ReadString(
      InputFormat::kJsonl, "{\"text\":\"t\",\"meta\":{\"date\":\"2017-03-02\"}}\n", o);
  ASSERT_EQ(nested.size(), 1u);
  ASSERT_TRUE(nested[0].doc.published.has_value());
  EXPECT_EQ(*nested[0].doc.published, 1488412800);
}

TEST(JsonFieldsTest, NamedFieldThatNoRecordHasIsAnErrorListingTheFieldsSeen) {
  ReaderOptions o;
  o.fields.title = {"nosuch"};
  o.fields.required = {"nosuch"};
  auto source = internal::ByteSource::FromString(
      "{\"id\":\"1\",\"text\":\"a\",\"headline\":\"h\"}\n", "day.jsonl");
  auto reader = internal::NewJsonlReader(std::move(source), o);
  ReadRecord r;
  ASSERT_TRUE(reader->Next(&r).ok());
  const absl::StatusOr<bool> end = reader->Next(&r);
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(end.status().message().find("day.jsonl"), absl::string_view::npos);
  EXPECT_NE(end.status().message().find("\"nosuch\""), absl::string_view::npos);
  EXPECT_NE(end.status().message().find("headline, id, text"), absl::string_view::npos)
      << end.status();
  // Present in one record of the input is enough.
  o.fields.required = {"meta.date"};
  o.fields.date = {"meta.date"};
  const auto ok = ReadString(InputFormat::kJsonl,
                             "{\"text\":\"a\"}\n{\"text\":\"b\",\"meta\":{\"date\":\"2017\"}}\n", o);
  EXPECT_EQ(ok.size(), 2u);
}

}  // namespace
}  // namespace storysift

namespace storysift {
namespace {

TEST(JsonArraySniffTest, ArrayOfObjectsIsJsonAndABracketedHeadlineIsText) {
  const FieldNames f;
  EXPECT_EQ(internal::SniffFormat("\n [\n  {\"text\":\"a\"}", f), InputFormat::kJsonl);
  EXPECT_EQ(internal::SniffFormat("[]", f), InputFormat::kJsonl);
  EXPECT_EQ(internal::SniffFormat("[Reuters] Markets rallied\n", f), InputFormat::kText);
  EXPECT_EQ(internal::SniffFormat("WARC/1.0\r\n", f), InputFormat::kWarc);
}

}  // namespace
}  // namespace storysift
