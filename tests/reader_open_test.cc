// OpenReader dispatch, the single-text-file reader, stdin sniffing, ReadAll.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "reader_test_util.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using internal::SniffFormat;
using testing_util::Drain;
using testing_util::TempDir;
using testing_util::WriteFile;

TEST(ParseInputFormatTest, KnownNamesAndError) {
  EXPECT_EQ(*ParseInputFormat("auto"), InputFormat::kAuto);
  EXPECT_EQ(*ParseInputFormat("jsonl"), InputFormat::kJsonl);
  EXPECT_EQ(*ParseInputFormat("json"), InputFormat::kJsonl);
  EXPECT_EQ(*ParseInputFormat("csv"), InputFormat::kCsv);
  EXPECT_EQ(*ParseInputFormat("dir"), InputFormat::kDirectory);
  EXPECT_EQ(*ParseInputFormat("text"), InputFormat::kText);
  absl::StatusOr<InputFormat> bad = ParseInputFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("xml"), absl::string_view::npos);
}

TEST(OpenReaderTest, MissingPathIsNotFoundNamingIt) {
  const TempDir tmp;
  const std::string path = tmp / "nope.jsonl";
  auto reader = OpenReader(path, ReaderOptions());
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(reader.status().message().find(path), absl::string_view::npos);
}

TEST(OpenReaderTest, DirectoryWithFileFormatIsInvalidArgument) {
  ReaderOptions o;
  o.format = InputFormat::kJsonl;
  const TempDir tmp;
  auto reader = OpenReader(tmp.path(), o);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OpenReaderTest, SingleTextFileIsOneDocumentNamedByItsPath) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/story.txt", " date 2017-03-02 Headline\nBody.\n");
  auto reader = OpenReader(dir + "/story.txt", ReaderOptions());
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto r = Drain(reader->get());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.id, dir + "/story.txt");  // As given: d1/a.txt and d2/a.txt differ.
  EXPECT_EQ(r[0].doc.flags.id_origin, IdOrigin::kPosition);
  EXPECT_EQ(r[0].doc.text, "Headline\nBody.\n");
  EXPECT_EQ(r[0].doc.published, 1488412800);
}

TEST(OpenReaderTest, EmptyFilesOfEachFormat) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  for (const char* name : {"e.jsonl", "e.csv", "e.txt", "e"}) {
    WriteFile(dir + "/" + name, "");
    auto reader = OpenReader(dir + "/" + name, ReaderOptions());
    ASSERT_TRUE(reader.ok()) << reader.status();
    auto r = Drain(reader->get());
    // A .txt file is one document, so an empty one is an empty_text skip; a
    // file of unknown kind is sniffed, and nothing in it is no record.
    if (!std::string_view(name).ends_with(".txt")) {
      EXPECT_TRUE(r.empty()) << name;
    } else {
      ASSERT_EQ(r.size(), 1u) << name;
      EXPECT_EQ(r[0].skip_reason, "empty_text") << name;
    }
  }
}

TEST(OpenReaderTest, FiftyMegabyteDocumentReadsWhole) {
  const TempDir tmp;
  const std::string path = tmp / "huge.txt";
  {
    std::string chunk;
    for (int i = 0; chunk.size() < (1 << 20); ++i) {
      chunk += "word" + std::to_string(i % 997) + " caf\xC3\xA9 ";
    }
    chunk.resize(1 << 20);
    chunk.back() = '\n';
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    for (int i = 0; i < 50; ++i) {
      ASSERT_EQ(std::fwrite(chunk.data(), 1, chunk.size(), f), chunk.size());
    }
    std::fclose(f);
  }
  auto reader = OpenReader(path, ReaderOptions());
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto r = Drain(reader->get());
  std::filesystem::remove(path);
  ASSERT_EQ(r.size(), 1u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.text.size(), size_t{50} << 20);
  EXPECT_FALSE(r[0].doc.flags.truncated);
}

TEST(SniffFormatTest, PicksJsonlCsvOrText) {
  const FieldNames f;
  EXPECT_EQ(SniffFormat("  {\"text\":1}", f), InputFormat::kJsonl);
  EXPECT_EQ(SniffFormat("\xEF\xBB\xBF{", f), InputFormat::kJsonl);
  EXPECT_EQ(SniffFormat("title,text,subject,date\r\n", f), InputFormat::kCsv);
  EXPECT_EQ(SniffFormat("\"id\",\"Body\"\n1,x", f), InputFormat::kCsv);
  EXPECT_EQ(SniffFormat("a,b\n", f), InputFormat::kText);  // No text column.
  EXPECT_EQ(SniffFormat("Well, the text is here.\n", f), InputFormat::kText);
  EXPECT_EQ(SniffFormat("plain article", f), InputFormat::kText);
  // Blank input holds no record: JSON lines, where it reads as none.
  EXPECT_EQ(SniffFormat("", f), InputFormat::kJsonl);
  EXPECT_EQ(SniffFormat(" \r\n\n", f), InputFormat::kJsonl);
}

// Feeds `data` through a pipe (not seekable) to OpenReaderFromStream.
std::vector<ReadRecord> ReadPipe(const std::string& data,
                                 ReaderOptions o = {}) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fds[1], data.data() + done, data.size() - done);
      if (n <= 0) break;
      done += n;
    }
    ::close(fds[1]);
  });
  FILE* in = ::fdopen(fds[0], "rb");
  std::vector<ReadRecord> r;
  {
    auto reader = internal::OpenReaderFromStream(in, "stdin", o);
    EXPECT_TRUE(reader.ok()) << reader.status();
    if (reader.ok()) r = Drain(reader->get());
  }
  writer.join();
  std::fclose(in);
  return r;
}

TEST(StdinTest, SniffsJsonlFromPipe) {
  auto r = ReadPipe("\n{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.text, "a");
  EXPECT_EQ(r[0].doc.id, "stdin:2");
  EXPECT_EQ(r[1].doc.text, "b");
}

TEST(StdinTest, SniffsCsvFromPipe) {
  auto r = ReadPipe("title,text\nT,\"x, y\"\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.title, "T");
  EXPECT_EQ(r[0].doc.text, "x, y");
}

TEST(StdinTest, EmptyOrBlankPipeHasNoRecords) {
  EXPECT_TRUE(ReadPipe("").empty());
  EXPECT_TRUE(ReadPipe("\n  \r\n").empty());
}

TEST(StdinTest, PlainTextFromPipeIsOneDocument) {
  const std::string body = "Hello, world.\n" + std::string(200000, 'w');
  auto r = ReadPipe(body);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.id, "stdin");
  EXPECT_EQ(r[0].doc.text, body);
}

TEST(StdinTest, ExplicitFormatSkipsSniffing) {
  ReaderOptions o;
  o.format = InputFormat::kText;
  auto r = ReadPipe("{\"text\":\"a\"}", o);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.text, "{\"text\":\"a\"}");
}

TEST(ReadAllTest, SplitsDocsAndSkipsAcrossPaths) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/a.jsonl", "{\"text\":\"a\"}\nbad\n");
  WriteFile(dir + "/b.csv", "text\nb\n");
  std::vector<Document> docs;
  std::vector<ReadRecord> skipped;
  ASSERT_TRUE(ReadAll({dir + "/a.jsonl", dir + "/b.csv",
                       testing_util::ProjectData("seeds")},
                      ReaderOptions(), &docs, &skipped)
                  .ok());
  ASSERT_EQ(docs.size(), 5u);
  EXPECT_EQ(docs[0].text, "a");
  EXPECT_EQ(docs[1].text, "b");
  EXPECT_EQ(docs[2].id, "000_8648b8e4cc17f650.txt");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].origin.ToString(), dir + "/a.jsonl:2");
  absl::Status missing =
      ReadAll({dir + "/missing"}, ReaderOptions(), &docs, &skipped);
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace storysift
