// Compressed input: gzip, zstd and xz are recognised by their magic bytes
// (never by the name), streamed, and give exactly the documents of the plain
// file; damage is a DataLoss error naming the file and the offset.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "reader_test_util.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using testing_util::Drain;
using testing_util::ReadPath;
using testing_util::ReadFileOrEmpty;
using testing_util::SharedData;
using testing_util::TempDir;
using testing_util::WriteFile;

// The first `n` lines of the Reuters corpus, or "" when it is absent.
std::string ReutersSlice(size_t n) {
  std::ifstream in(SharedData("reuters21578/reuters.jsonl"));
  std::string out, line;
  for (size_t i = 0; i < n && std::getline(in, line); ++i) out += line + "\n";
  return out;
}

// Runs `tool` (e.g. "gzip -c") over `in` into `out`.
void Compress(const std::string& tool, const std::string& in, const std::string& out) {
  const std::string cmd = tool + " < '" + in + "' > '" + out + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

absl::Status ReadError(const std::string& path) {
  auto reader = OpenReader(path, ReaderOptions());
  if (!reader.ok()) return reader.status();
  ReadRecord r;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next(&r);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
  }
}

void ExpectSameDocuments(const std::vector<ReadRecord>& a, const std::vector<ReadRecord>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].doc.id, b[i].doc.id);
    EXPECT_EQ(a[i].doc.title, b[i].doc.title);
    EXPECT_EQ(a[i].doc.text, b[i].doc.text);
    EXPECT_EQ(a[i].doc.published, b[i].doc.published);
    EXPECT_EQ(a[i].origin.line, b[i].origin.line);
  }
}

class CompressedReutersTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CompressedReutersTest, GivesTheDocumentsOfThePlainFile) {
  const std::string slice = ReutersSlice(400);
  if (slice.empty()) GTEST_SKIP() << "shared data not found";
  const TempDir tmp;
  const std::string plain = tmp.path() + "/r.jsonl";
  WriteFile(plain, slice);
  // Named .jsonl on purpose: content decides, not the extension.
  const std::string packed = tmp.path() + "/packed.jsonl";
  Compress(std::string(GetParam()) + " -c", plain, packed);
  const std::vector<ReadRecord> want = ReadPath(plain);
  ASSERT_EQ(want.size(), 400u);
  ExpectSameDocuments(ReadPath(packed), want);
  // And through a pipe-like stream with no name to go by.
  FILE* f = std::fopen(packed.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  ReaderOptions o;
  auto reader = internal::OpenReaderFromStream(f, "stdin", o);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ExpectSameDocuments(Drain(reader->get()), want);
  std::fclose(f);
}

TEST_P(CompressedReutersTest, TruncatedDataIsDataLossNamingFileAndOffset) {
  const std::string slice = ReutersSlice(300);
  if (slice.empty()) GTEST_SKIP() << "shared data not found";
  const TempDir tmp;
  const std::string plain = tmp.path() + "/r.jsonl";
  WriteFile(plain, slice);
  const std::string packed = tmp.path() + "/r.jsonl.z";
  Compress(std::string(GetParam()) + " -c", plain, packed);
  const std::string bytes = ReadFileOrEmpty(packed);
  const std::string cut = tmp.path() + "/cut.jsonl.z";
  WriteFile(cut, bytes.substr(0, bytes.size() * 2 / 3));
  const absl::Status s = ReadError(cut);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find(cut), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("compressed byte"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("truncated"), absl::string_view::npos) << s;
}

TEST_P(CompressedReutersTest, CorruptDataIsDataLossNotSilence) {
  const std::string slice = ReutersSlice(300);
  if (slice.empty()) GTEST_SKIP() << "shared data not found";
  const TempDir tmp;
  const std::string plain = tmp.path() + "/r.jsonl";
  WriteFile(plain, slice);
  const std::string packed = tmp.path() + "/r.jsonl.z";
  Compress(std::string(GetParam()) + " -c", plain, packed);
  std::string bytes = ReadFileOrEmpty(packed);
  for (size_t i = bytes.size() / 3; i < bytes.size() / 3 + 64; ++i) bytes[i] ^= 0x5a;
  const std::string bad = tmp.path() + "/bad.jsonl.z";
  WriteFile(bad, bytes);
  const absl::Status s = ReadError(bad);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << s;
  EXPECT_NE(s.message().find(bad), absl::string_view::npos) << s;
}

// pzstd starts its output with a skippable frame (magic 0x184D2A50).
INSTANTIATE_TEST_SUITE_P(Tools, CompressedReutersTest,
                         ::testing::Values("gzip", "zstd -q", "pzstd -q -c -p 2", "xz"));

TEST(CompressedInputTest, ZstdFramesAfterASkippableFrameAreRead) {
  const TempDir tmp;
  WriteFile(tmp.path() + "/a.jsonl", "{\"id\":\"a\",\"text\":\"behind a skippable frame\"}\n");
  Compress("zstd -q -c", tmp.path() + "/a.jsonl", tmp.path() + "/a.zst");
  // Magic 0x184D2A5F little-endian, a 3-byte payload, then the real frame.
  const std::string skippable("\x5f\x2a\x4d\x18\x03\x00\x00\x00xyz", 11);
  WriteFile(tmp.path() + "/s.jsonl.zst", skippable + ReadFileOrEmpty(tmp.path() + "/a.zst"));
  const auto r = ReadPath(tmp.path() + "/s.jsonl.zst");
  ASSERT_EQ(r.size(), 1u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.id, "a");
  EXPECT_EQ(r[0].doc.text, "behind a skippable frame");
}

TEST(CompressedInputTest, ConcatenatedGzipMembersAreOneStream) {
  const TempDir tmp;
  WriteFile(tmp.path() + "/a.jsonl", "{\"id\":\"a\",\"text\":\"first member\"}\n");
  WriteFile(tmp.path() + "/b.jsonl", "{\"id\":\"b\",\"text\":\"second member\"}\n");
  Compress("gzip -c", tmp.path() + "/a.jsonl", tmp.path() + "/a.gz");
  Compress("gzip -c", tmp.path() + "/b.jsonl", tmp.path() + "/b.gz");
  WriteFile(tmp.path() + "/ab.jsonl.gz",
            ReadFileOrEmpty(tmp.path() + "/a.gz") + ReadFileOrEmpty(tmp.path() + "/b.gz"));
  const auto r = ReadPath(tmp.path() + "/ab.jsonl.gz");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].doc.id, "a");
  EXPECT_EQ(r[1].doc.id, "b");
  EXPECT_EQ(r[1].origin.line, 2u);
}

TEST(CompressedInputTest, GarbageAfterTheLastGzipMemberIsAnError) {
  const TempDir tmp;
  WriteFile(tmp.path() + "/a.jsonl", "{\"id\":\"a\",\"text\":\"first member\"}\n");
  Compress("gzip -c", tmp.path() + "/a.jsonl", tmp.path() + "/a.gz");
  WriteFile(tmp.path() + "/x.jsonl.gz", ReadFileOrEmpty(tmp.path() + "/a.gz") + "trailing junk");
  EXPECT_EQ(ReadError(tmp.path() + "/x.jsonl.gz").code(), absl::StatusCode::kDataLoss);
}

TEST(CompressedInputTest, CompressedSeedTextFilesReadLikeThePlainOnes) {
  const std::string seed = testing_util::ProjectData("seeds/000_8648b8e4cc17f650.txt");
  const TempDir tmp;
  const std::string gz = tmp.path() + "/000.txt.gz";
  Compress("gzip -c", seed, gz);
  const auto plain = ReadPath(seed);
  const auto packed = ReadPath(gz);
  ASSERT_EQ(plain.size(), 1u);
  ASSERT_EQ(packed.size(), 1u);
  EXPECT_EQ(packed[0].doc.text, plain[0].doc.text);
  EXPECT_FALSE(packed[0].skipped());
}

}  // namespace
}  // namespace storysift
