// The JSON-lines reader parses each line where it lies in the read buffer
// (line_source.h) and InputStream reuses the records handed back to it:
// both must give what a fresh copy of each line and record gives.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ingest/byte_source.h"
#include "reader_test_util.h"
#include "storysift/input_stream.h"
#include "storysift/reader.h"
#include "temp_dir.h"

namespace storysift {
namespace {

using testing_util::ReadString;
using testing_util::TempDir;

std::string Line(const std::string& id, const std::string& text, const char* end = "\n") {
  return absl::StrCat("{\"id\":\"", id, "\",\"text\":\"", text, "\"}", end);
}

// The reader's chunks start after the first 4,096 bytes (the format sniff)
// and every ByteSource::kChunkBytes after; a line ending at or a byte
// either side of those edges, a "\r\n" split by one, and lines longer than
// a chunk all read as their own text. Invalid UTF-8 near an edge (the
// repair copies the line) too.
TEST(JsonLinesChunksTest, LinesAtEveryPlaceAroundTheChunkEdgesReadWhole) {
  constexpr size_t kSniffBytes = 4096;
  const size_t edges[] = {kSniffBytes, kSniffBytes + internal::ByteSource::kChunkBytes};
  for (size_t edge : edges) {
    for (int shift = -3; shift <= 3; ++shift) {
      // One long line that ends `shift` bytes from the edge, then short ones.
      const std::string probe = Line("p", "", "\r\n");
      const size_t long_text = edge + shift - probe.size();
      std::string data = Line("long", std::string(long_text, 'a'), "\r\n");
      const std::vector<std::string> texts = {"b", std::string(5000, 'c'), "caf\xE9", "last"};
      for (size_t i = 0; i < texts.size(); ++i) {
        data += Line(absl::StrCat("s", i), texts[i], i + 1 < texts.size() ? "\r\n" : "");
      }
      std::vector<ReadRecord> r = ReadString(InputFormat::kJsonl, data);
      ASSERT_EQ(r.size(), 1 + texts.size()) << "edge " << edge << " shift " << shift;
      EXPECT_EQ(r[0].doc.text.size(), long_text);
      EXPECT_EQ(r[0].doc.id, "long");
      for (size_t i = 0; i < texts.size(); ++i) {
        const ReadRecord& rec = r[1 + i];
        ASSERT_FALSE(rec.skipped()) << rec.message;
        EXPECT_EQ(rec.doc.id, absl::StrCat("s", i));
        EXPECT_EQ(rec.origin.line, 2 + i);
        if (i == 2) {
          EXPECT_EQ(rec.doc.text, "caf\xC3\xA9");  // Windows-1252, converted.
          EXPECT_TRUE(rec.doc.flags.transcoded);
        } else {
          EXPECT_EQ(rec.doc.text, texts[i]);
        }
      }
    }
  }
}

TEST(JsonLinesChunksTest, LineLongerThanTwoChunksReadsWhole) {
  const std::string big(2 * internal::ByteSource::kChunkBytes + 17, 'z');
  std::vector<ReadRecord> r =
      ReadString(InputFormat::kJsonl, Line("a", "x") + Line("big", big) + Line("b", "y"));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].doc.text, big);
  EXPECT_EQ(r[2].doc.text, "y");
  EXPECT_EQ(r[2].origin.line, 3u);
}

// The parser looks for a raw NUL only in lines simdjson rejects: a NUL at
// any place of a line (in a key, a string, a number, between tokens, after
// the object, beside invalid UTF-8) still makes it a "binary" skip.
TEST(JsonLinesChunksTest, RawNulAnywhereInALineIsBinary) {
  const std::vector<std::string> lines = {
      "{\"id\":\"a1\",\"text\":\"plain words\",\"date\":1488412800,\"n\":[1.5,true,null]}",
      "{\"text\":\"caf\xE9 \\u00e9\"}",
      "  {\"text\" : \"x\"}  ",
  };
  for (const std::string& line : lines) {
    for (size_t at = 0; at <= line.size(); ++at) {
      std::string bad = line;
      bad.insert(at, 1, '\0');
      std::vector<ReadRecord> r = ReadString(InputFormat::kJsonl, bad + "\n" + Line("ok", "y"));
      ASSERT_EQ(r.size(), 2u) << line << " at " << at;
      EXPECT_EQ(r[0].skip_reason, "binary") << line << " at " << at;
      EXPECT_EQ(r[1].doc.text, "y");
    }
  }
}

struct Seen {
  std::string id, title, text, source, url, skip_reason, message;
  std::optional<int64_t> published;
  bool date_unparsed, utf8_repaired, transcoded, truncated;
  uint64_t line;
  bool operator==(const Seen&) const = default;
};

Seen Describe(const ReadRecord& r) {
  const Document& d = r.doc;
  return {d.id,          d.title,
          d.text,        d.source,
          d.url,         r.skip_reason,
          r.message,     d.published,
          d.flags.date_unparsed, d.flags.utf8_repaired,
          d.flags.transcoded,    d.flags.truncated,
          r.origin.line};
}

// NextBatch refills the records it is given (their buffers are reused):
// nothing of a record may leak into the next one read into its place.
TEST(InputStreamTest, RecycledRecordsReadAsFreshOnes) {
  const std::string rich =
      "{\"id\":\"r\",\"title\":\"T\",\"text\":\"body\",\"source\":\"S\",\"url\":\"u\","
      "\"date\":\"2017-03-02\"}\n";
  const std::vector<std::string> lines = {
      rich,
      "{\"text\":\"no other field\"}\n",
      "{\"id\":\"bad\",\"text\":\"caf\xE9\"}\n",
      "{\"id\":\"d\",\"text\":\"odd date\",\"date\":\"someday\"}\n",
      "not json\n",
      rich,
      "{\"id\":7,\"text\":\"" + std::string((1 << 20) + 5, 'h') + "\"}\n",
      "{\"text\":\"\"}\n",
      "{\"id\":\"e\",\"text\":\"end\"}\n",
  };
  std::string data;
  for (int round = 0; round < 3; ++round) {
    for (const std::string& line : lines) data += line;
  }
  TempDir dir;
  const std::string path = dir.Write("in.jsonl", data);
  std::vector<Seen> fresh;
  for (const ReadRecord& r : testing_util::ReadPath(path)) fresh.push_back(Describe(r));

  for (size_t batch : {1, 2, 4, 5}) {
    absl::StatusOr<InputStream> input = InputStream::Open({path}, ReaderOptions());
    ASSERT_TRUE(input.ok()) << input.status();
    std::vector<ReadRecord> records;  // Reused batch after batch.
    std::vector<Seen> recycled;
    while (true) {
      absl::StatusOr<bool> more = input->NextBatch(batch, &records);
      ASSERT_TRUE(more.ok()) << more.status();
      if (!*more) break;
      for (const ReadRecord& r : records) recycled.push_back(Describe(r));
    }
    ASSERT_EQ(recycled.size(), fresh.size()) << "batch " << batch;
    for (size_t i = 0; i < fresh.size(); ++i) {
      EXPECT_TRUE(recycled[i] == fresh[i]) << "batch " << batch << ", record " << i;
    }
  }
}

}  // namespace
}  // namespace storysift
