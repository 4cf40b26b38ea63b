// Directories of every format: each file goes through its own reader
// (compressed or not), in path order; a broken file costs only itself; a
// deep tree reads under a small open-file limit.
#include <sys/resource.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "reader_test_util.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using testing_util::ReadPath;
using testing_util::ReadFileOrEmpty;
using testing_util::TempDir;
using testing_util::WriteFile;

void Compress(const std::string& tool, const std::string& path) {
  const std::string cmd = tool + " '" + path + "'";  // Replaces path by path.<ext>.
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST(DirectoryFormatsTest, MixedTreeReadsEveryFileThroughItsReaderInPathOrder) {
  const TempDir tmp;
  const std::string d = tmp.path();
  WriteFile(d + "/a/day.jsonl",
            "{\"id\":\"j1\",\"text\":\"first jsonl\"}\n{\"id\":\"j2\",\"text\":\"second jsonl\"}\n");
  WriteFile(d + "/a/b/arr.json",
            "[\n {\"id\":\"r1\",\"text\":\"array one\"},\n {\"id\":\"r2\",\"text\":\"array two\"}\n]");
  Compress("gzip", d + "/a/b/arr.json");
  WriteFile(d + "/c/feed.csv", "id,title,text\nc1,T,\"csv, quoted\"\n");
  WriteFile(d + "/d/page.html", "<html><title>Page</title><p>html body</p></html>");
  Compress("zstd -q --rm", d + "/d/page.html");
  const std::string block =
      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>from a crawl</p>";
  WriteFile(d + "/e/crawl.warc", "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <w1>\r\n"
                                 "Content-Length: " + std::to_string(block.size()) +
                                 "\r\n\r\n" + block + "\r\n\r\n");
  Compress("xz", d + "/e/crawl.warc");
  WriteFile(d + "/notes", "no extension: not read, but counted");
  WriteFile(d + "/z.txt", "plain text file");
  ReaderOptions o;
  o.keep_raw = true;
  auto r = ReadPath(d, o);
  ASSERT_EQ(r.size(), 9u);
  EXPECT_EQ(r[7].skip_reason, kSkipUnrecognisedFile);
  EXPECT_EQ(r[7].origin.file, d + "/notes");
  r.erase(r.begin() + 7);
  std::vector<std::string> ids;
  for (const ReadRecord& rec : r) {
    EXPECT_FALSE(rec.skipped()) << rec.origin.ToString() << ": " << rec.message;
    ids.push_back(rec.doc.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"r1", "r2", "j1", "j2", "c1", "d/page.html.zst", "w1",
                                           "z.txt"}));
  EXPECT_EQ(r[0].origin.file, d + "/a/b/arr.json.gz");
  EXPECT_EQ(r[0].origin.line, 2u);
  EXPECT_EQ(r[5].doc.title, "Page");
  EXPECT_EQ(r[7].doc.raw, "plain text file");
  EXPECT_EQ(r[2].doc.raw, "{\"id\":\"j1\",\"text\":\"first jsonl\"}\n");
}

TEST(DirectoryFormatsTest, BrokenFileIsASkipAndTheOthersAreRead) {
  const TempDir tmp;
  const std::string d = tmp.path();
  WriteFile(d + "/a.jsonl", "{\"id\":\"a\",\"text\":\"" + std::string(5000, 'x') + " end\"}\n");
  Compress("gzip", d + "/a.jsonl");
  const std::string gz = ReadFileOrEmpty(d + "/a.jsonl.gz");
  WriteFile(d + "/a.jsonl.gz", gz.substr(0, gz.size() / 2));
  WriteFile(d + "/b.jsonl", "{\"id\":\"b\",\"text\":\"good\"}\n");
  const auto r = ReadPath(d);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, kSkipUnreadable);
  EXPECT_EQ(r[0].origin.file, d + "/a.jsonl.gz");
  EXPECT_NE(r[0].message.find("truncated gzip"), std::string::npos) << r[0].message;
  EXPECT_EQ(r[1].doc.id, "b");
}

// Files whose names said no format were passed over without a word: gzip
// JSON lines named b.gz, f.jsonlines, a .bz2 file (20 records gone).
TEST(DirectoryFormatsTest, FilesWithoutADocumentExtensionAreSniffedOrCounted) {
  const TempDir tmp;
  const std::string d = tmp.path();
  std::string lines;
  for (int i = 0; i < 5; ++i) {
    lines += "{\"id\":\"n" + std::to_string(i) + "\",\"text\":\"record " + std::to_string(i) + "\"}\n";
  }
  WriteFile(d + "/b", lines);
  Compress("gzip", d + "/b");  // b.gz: JSON lines in gzip.
  WriteFile(d + "/f.jsonlines", "{\"id\":\"f\",\"text\":\"jsonlines\"}\n");
  WriteFile(d + "/g.dat", "id,text\ng1,comma separated\n");
  // bzip2's header and binary bytes: a compression storysift does not decode.
  WriteFile(d + "/e.jsonl.bz2", std::string("BZh91AY&SY\x8f\0\0\x01\x02\0\x80", 17));
  WriteFile(d + "/README", "What this crawl holds.\n");
  // The system's and tools' own: not records, and nothing to count.
  WriteFile(d + "/.DS_Store", std::string("\0\0\0\1Bud1", 8));
  WriteFile(d + "/.git/HEAD", "ref: refs/heads/main\n");
  // A hidden file that holds records is read all the same.
  WriteFile(d + "/.hidden", "{\"id\":\"h\",\"text\":\"hidden records\"}\n");
  const auto r = ReadPath(d);
  std::vector<std::string> ids, skipped;
  for (const ReadRecord& rec : r) {
    if (rec.skipped()) {
      EXPECT_EQ(rec.skip_reason, kSkipUnrecognisedFile) << rec.message;
      skipped.push_back(rec.origin.file.substr(d.size() + 1));
    } else {
      ids.push_back(rec.doc.id);
    }
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"h", "n0", "n1", "n2", "n3", "n4", "f", "g1"}));
  EXPECT_EQ(skipped, (std::vector<std::string>{"README", "e.jsonl.bz2"}));
  for (const ReadRecord& rec : r) {
    if (rec.origin.file.ends_with(".bz2")) {
      EXPECT_NE(rec.message.find("binary"), std::string::npos) << rec.message;
    }
  }
}

TEST(DirectoryFormatsTest, DeepTreeReadsUnderASmallOpenFileLimit) {
  const TempDir tmp;
  std::string dir = tmp.path();
  constexpr int kDepth = 150;
  for (int i = 0; i < kDepth; ++i) {
    dir += "/d";
    WriteFile(dir + "/f.txt", "level " + std::to_string(i));
  }
  rlimit old;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
  rlimit low = old;
  low.rlim_cur = 32;  // Far below the depth: one fd a level would fail.
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  const auto r = ReadPath(tmp.path());
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
  ASSERT_EQ(r.size(), static_cast<size_t>(kDepth));
  for (const ReadRecord& rec : r) EXPECT_FALSE(rec.skipped()) << rec.message;
  // Byte order of paths: "d/d/..." sorts before "d/f.txt", deepest first.
  EXPECT_EQ(r[0].doc.text, "level " + std::to_string(kDepth - 1));
  EXPECT_EQ(r[kDepth - 1].doc.text, "level 0");
}

}  // namespace
}  // namespace storysift
