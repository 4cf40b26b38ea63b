#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ingest/dir_walk.h"
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
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[5].skip_reason, kSkipUnrecognisedFile);  // Counted, not read.
  EXPECT_EQ(r[5].origin.file, dir + "/notes");
  EXPECT_NE(r[5].message.find(".txt extension"), std::string::npos) << r[5].message;
  EXPECT_EQ(r[4].doc.id, dir + "/d.json:1");  // The path the walk gives: unique in a run.
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

// A link loop is entered once: the link back adds nothing (its directory was
// read), so it is no record, and the walk ends.
TEST(DirectoryReaderTest, SymlinkedDirectoryLoopIsWalkedOnce) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/sub/a.txt", "one");
  std::filesystem::create_directory_symlink(dir, dir + "/sub/loop");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.id, "sub/a.txt");
}

// Symlinked subdirectories are read (they were skipped without a word), by
// the link's path, in path order; a second link to one directory adds
// nothing, and the first path in byte order is the one read.
TEST(DirectoryReaderTest, SymlinkedDirectoriesAreReadOnce) {
  const TempDir tmp;
  const std::string dir = tmp / "top";
  WriteFile(dir + "/b.txt", "bee");
  WriteFile(tmp / "ext/e.txt", "external");
  WriteFile(tmp / "ext/deeper/f.jsonl", "{\"id\":\"f\",\"text\":\"eff\"}\n");
  std::filesystem::create_directory_symlink("../ext", dir + "/feeds");
  std::filesystem::create_directory_symlink(tmp / "ext", dir + "/also");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].doc.id, "f") << r[0].message;
  EXPECT_EQ(r[0].doc.origin.file, dir + "/also/deeper/f.jsonl");
  EXPECT_EQ(r[1].doc.id, "also/e.txt");
  EXPECT_EQ(r[1].doc.text, "external");
  EXPECT_EQ(r[2].doc.id, "b.txt");
}

// A directory's own path wins over a link to it, even one that sorts first.
TEST(DirectoryReaderTest, RealDirectoryIsReadByItsOwnPath) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/z/x.txt", "zed");
  std::filesystem::create_directory_symlink("z", dir + "/a");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.id, "z/x.txt");
}

// An unreadable subdirectory (EACCES through the walk's seam: root reads
// a mode-000 directory anyway) is one skipped record, and the walk goes on.
TEST(DirectoryReaderTest, UnreadableSubdirectoryIsOneSkippedRecord) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/a.txt", "first");
  WriteFile(dir + "/locked/inner.txt", "hidden");
  WriteFile(dir + "/m/locked2/deep.txt", "hidden too");
  WriteFile(dir + "/z.txt", "last");
  internal::TreeWalkOptions walk;
  walk.open_error = [&](const std::string& path) {
    return path == dir + "/locked" || path == dir + "/m/locked2" ? EACCES : 0;
  };
  auto reader = internal::NewDirectoryReader(dir, {}, walk);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto r = testing_util::Drain(reader->get());
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].doc.id, "a.txt");
  EXPECT_EQ(r[1].skip_reason, kSkipUnreadable);
  EXPECT_EQ(r[1].origin.file, dir + "/locked");
  EXPECT_EQ(r[1].message, "Permission denied");
  EXPECT_EQ(r[2].skip_reason, kSkipUnreadable);
  EXPECT_EQ(r[2].origin.file, dir + "/m/locked2");
  EXPECT_EQ(r[3].doc.id, "z.txt");
}

TEST(DirectoryReaderTest, UnreadableTopDirectoryIsAnError) {
  const TempDir tmp;
  WriteFile(tmp / "a.txt", "first");
  internal::TreeWalkOptions walk;
  walk.open_error = [](const std::string&) { return EACCES; };
  auto reader = internal::NewDirectoryReader(tmp.path(), {}, walk);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reader.status().message(), tmp.path() + ": Permission denied");
}

// The record's origin names the file; its message does not name it again.
TEST(DirectoryReaderTest, SkipMessagesSayThePathOnce) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/bad.jsonl.gz", std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03garbage!", 18));
  std::filesystem::create_symlink("gone.txt", dir + "/broken.txt");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].skip_reason, kSkipUnreadable);
  EXPECT_EQ(r[0].origin.file, dir + "/bad.jsonl.gz");
  EXPECT_EQ(r[0].message.find(dir), std::string::npos) << r[0].message;
  EXPECT_NE(r[0].message.find("gzip"), std::string::npos) << r[0].message;
  EXPECT_EQ(r[1].skip_reason, kSkipUnreadable);
  EXPECT_EQ(r[1].origin.file, dir + "/broken.txt");
  EXPECT_EQ(r[1].message, "broken symbolic link to gone.txt: No such file or directory");
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

// A first line of the date header's shape ("date YYYY-MM-DD") whose date
// is not a real one was kept as article text, the document silently
// undated: it is taken out as a good one is, and counted as a JSON
// record's bad date is (date_unparsed: a warning, --strict fails).
TEST(DirectoryReaderTest, DatePrefixWithAnImpossibleDateIsUnparsedAndTakenOut) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/a.txt", "date 2017-02-30\nCouncil approves the budget.");
  WriteFile(dir + "/b.txt", "  Date: 2017-13-45 Story starts\nmore");
  WriteFile(dir + "/c.txt", "date 1700-01-01\nbody");
  WriteFile(dir + "/d.txt", "date 2017-03-02T25:00:00Z\nbody");
  // Not the header's shape: text, as before.
  WriteFile(dir + "/e.txt", "date 2017-2018 season review\nbody");
  WriteFile(dir + "/f.txt", "date xxxx-xx-xx\nbody");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 6u);
  // As for a real date: the header and its blanks go, its line break stays.
  const std::vector<std::string> bodies = {"\nCouncil approves the budget.", "Story starts\nmore",
                                           "\nbody", "\nbody"};
  for (size_t i = 0; i < bodies.size(); ++i) {
    const Document& d = r[i].doc;
    ASSERT_FALSE(r[i].skipped()) << r[i].message;
    EXPECT_FALSE(d.published.has_value()) << d.id;
    EXPECT_TRUE(d.flags.date_unparsed) << d.id;
    EXPECT_EQ(d.text, bodies[i]) << d.id;
  }
  EXPECT_EQ(r[4].doc.text, "date 2017-2018 season review\nbody");
  EXPECT_EQ(r[5].doc.text, "date xxxx-xx-xx\nbody");
  for (size_t i : {4, 5}) {
    EXPECT_FALSE(r[i].doc.published.has_value());
    EXPECT_FALSE(r[i].doc.flags.date_unparsed) << r[i].doc.id;
  }
}

// An .html file's page date stands in for a date line that could not be
// read, as it does for a JSON record's unreadable date field.
TEST(DirectoryReaderTest, PageDateStandsInForAnUnparsedDateLine) {
  const TempDir tmp;
  const std::string& dir = tmp.path();
  WriteFile(dir + "/a.html",
            "date 2017-02-30\n<html><head><meta property=\"article:published_time\" "
            "content=\"2017-03-02\"></head><body><p>Council approves the budget.</p></body>"
            "</html>");
  auto r = ReadPath(dir);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].doc.published, 1488412800);
  EXPECT_FALSE(r[0].doc.flags.date_unparsed);
  EXPECT_EQ(r[0].doc.text.find("2017-02-30"), std::string::npos) << r[0].doc.text;
}

// max_doc_bytes + 3 wrapped to 0..2 for the largest limits: a text file
// came back cut to 2 bytes.
TEST(DirectoryReaderTest, LargestMaxDocBytesCutsNothing) {
  const TempDir tmp;
  WriteFile(tmp.path() + "/a.txt", "alpha bravo charlie");
  constexpr size_t kLargest = std::numeric_limits<size_t>::max();
  for (size_t limit : {kLargest, kLargest - 2}) {
    ReaderOptions o;
    o.max_doc_bytes = limit;
    auto r = ReadPath(tmp.path(), o);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].doc.text, "alpha bravo charlie") << limit;
    EXPECT_FALSE(r[0].doc.flags.truncated) << limit;
  }
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
