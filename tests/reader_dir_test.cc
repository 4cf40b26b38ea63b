#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "reader_test_util.h"
#include "storysift/date.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using testing_util::ReadPath;
using testing_util::TempDir;
using testing_util::WriteFile;

TEST(DirectoryReaderTest, SeedsGiveThreeDocsInPathOrder) {
  auto r = ReadPath(testing_util::ProjectData("seeds"));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].doc.id, "000_8648b8e4cc17f650.txt");
  EXPECT_EQ(r[1].doc.id, "001_b1bb489c0326580c.txt");
  EXPECT_EQ(r[2].doc.id, "002_7b26a201a710dbff.txt");
  for (const ReadRecord& rec : r) {
    EXPECT_FALSE(rec.skipped()) << rec.message;
    EXPECT_EQ(rec.origin.line, 0u);
    EXPECT_FALSE(rec.doc.flags.utf8_repaired);
  }
  EXPECT_TRUE(r[0].doc.text.starts_with("moscow  reuters"));
  EXPECT_FALSE(r[0].doc.published.has_value());
}

TEST(DirectoryReaderTest, SeedDateLineSetsPublishedAndIsRemoved) {
  auto r = ReadPath(testing_util::ProjectData("seeds"));
  ASSERT_EQ(r.size(), 3u);
  const Document& d = r[2].doc;
  ASSERT_TRUE(d.published.has_value());
  EXPECT_EQ(FormatDate(*d.published), "2017-01-03T00:00:00Z");
  EXPECT_TRUE(d.text.starts_with("Photo: Pete Marovich")) << d.text.substr(0, 40);
  EXPECT_FALSE(d.flags.date_unparsed);
}

TEST(DirectoryReaderTest, RecursesFiltersExtensionsAndUsesSlashIds) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/b/z.TXT", "upper case extension");
  WriteFile(dir + "/b/a.md", "# Markdown");
  WriteFile(dir + "/a.html",
            "<html><head><TITLE>\n  Big   news </TITLE></head>body</html>");
  WriteFile(dir + "/c.htm", "<p>no title</p>");
  WriteFile(dir + "/d.json", "{\"text\":\"a record file, read by its own reader\"}");
  WriteFile(dir + "/notes", "no extension");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[4].doc.id, "d.json:1");
  EXPECT_EQ(r[0].doc.id, "a.html");
  EXPECT_EQ(r[0].doc.title, "Big news");
  EXPECT_NE(r[0].doc.text.find("<TITLE>"), std::string::npos);  // Not stripped.
  EXPECT_EQ(r[1].doc.id, "b/a.md");
  EXPECT_EQ(r[2].doc.id, "b/z.TXT");
  EXPECT_EQ(r[3].doc.id, "c.htm");
  EXPECT_EQ(r[3].doc.title, "");
  EXPECT_EQ(r[1].origin.file, dir + "/b/a.md");
}

TEST(DirectoryReaderTest, EmptyBinaryAndUnreadableFilesAreSkips) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/1_empty.txt", "");
  WriteFile(dir + "/2_blank.txt", " \n\t\n");
  WriteFile(dir + "/3_binary.txt", std::string("PK\x03\x04\0\0data", 10));
  WriteFile(dir + "/4_good.txt", "fine");
  WriteFile(dir + "/5_locked.txt", "secret");
  ::chmod((dir + "/5_locked.txt").c_str(), 0);
  const bool root = ::geteuid() == 0;  // Root reads mode-0 files anyway.
  auto r = ReadPath(dir);
  ::chmod((dir + "/5_locked.txt").c_str(), 0644);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].skip_reason, "empty_text");
  EXPECT_EQ(r[1].skip_reason, "empty_text");
  EXPECT_EQ(r[2].skip_reason, "binary");
  EXPECT_FALSE(r[3].skipped());
  if (!root) {
    EXPECT_EQ(r[4].skip_reason, "unreadable");
    EXPECT_EQ(r[4].message, "Permission denied");
  }
}

TEST(DirectoryReaderTest, SymlinkedDirectoryLoopIsNotFollowed) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/sub/a.txt", "one");
  std::filesystem::create_directory_symlink(dir, dir + "/sub/loop");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.id, "sub/a.txt");
}

TEST(DirectoryReaderTest, DatePrefixNeedsAnIsoDate) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/a.txt", "date night in Paris\nbody");
  WriteFile(dir + "/b.txt", "\n\nDate: 2017-03-02 Story starts\nmore");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FALSE(r[0].doc.published.has_value());
  EXPECT_EQ(r[0].doc.text, "date night in Paris\nbody");
  EXPECT_EQ(r[1].doc.published, 1488412800);
  EXPECT_EQ(r[1].doc.text, "Story starts\nmore");
}

TEST(DirectoryReaderTest, FilesOverMaxDocBytesAreTruncated) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/a.txt", std::string(100, 'a') + "\xE2\x82\xAC" + "tail");
  ReaderOptions o;
  o.max_doc_bytes = 101;  // Inside the 3-byte euro sign.
  auto r = ReadPath(dir, o);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.text, std::string(100, 'a'));
  EXPECT_TRUE(r[0].doc.flags.truncated);
  EXPECT_FALSE(r[0].doc.flags.utf8_repaired);
}

TEST(DirectoryReaderTest, EmptyDirectoryHasNoRecords) {
  const TempDir tmp;
  EXPECT_TRUE(ReadPath(tmp.path()).empty());
}

}  // namespace
}  // namespace storysift
