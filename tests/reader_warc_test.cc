// WARC input: response records are documents (HTTP headers stripped), other
// records are counted skips; .warc.gz with one gzip member a record (as
// Common Crawl writes it) reads the same.
#include <zlib.h>

#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "reader_test_util.h"
#include "storysift/reader.h"

namespace storysift {
namespace {

using testing_util::Drain;
using testing_util::TempDir;
using testing_util::WriteFile;

std::string Record(const std::string& type, const std::string& uri, const std::string& id,
                   const std::string& block) {
  return "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri +
         "\r\nWARC-Date: 2017-03-02T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:" + id +
         ">\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
         std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
}

std::string Http(const std::string& status, const std::string& type, const std::string& body,
                 const std::string& extra = "") {
  return "HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\n" + extra + "\r\n" + body;
}

// One gzip member (RFC 1952) of `data`.
std::string GzipMember(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(compressBound(data.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = data.size();
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = out.size();
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::vector<std::string> Segment() {
  return {
      Record("warcinfo", "", "0", "software: test\r\n"),
      Record("request", "http://news.example/a", "1", "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"),
      Record("response", "http://news.example/a", "2",
             Http("200 OK", "text/html; charset=utf-8",
                  "<html><head><title>Senator met envoy</title></head><body><p>The senator "
                  "met the Russian ambassador twice last year, officials said.</p></body></html>")),
      Record("metadata", "http://news.example/a", "3", "fetchTimeMs: 12\r\n"),
      Record("response", "http://news.example/logo.png", "4",
             Http("200 OK", "image/png", "\x89PNG....")),
      Record("response", "http://news.example/gone", "5",
             Http("404 Not Found", "text/html", "<html>not here</html>")),
      Record("response", "http://news.example/b", "6",
             Http("200 OK", "text/html",
                  "1e\r\n<p>Markets rallied on news</p>\r\n5\r\n rose\r\n0\r\n\r\n",
                  "Transfer-Encoding: chunked\r\n")),
  };
}

std::vector<ReadRecord> ReadPath(const std::string& path, ReaderOptions o = {}) {
  auto reader = OpenReader(path, o);
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return {};
  return Drain(reader->get());
}

void CheckSegment(const std::vector<ReadRecord>& r, const std::string& path) {
  ASSERT_EQ(r.size(), 7u) << path;
  EXPECT_EQ(r[0].skip_reason, kSkipWarcNotResponse);
  EXPECT_EQ(r[0].message, "WARC-Type: warcinfo");
  EXPECT_EQ(r[1].skip_reason, kSkipWarcNotResponse);
  ASSERT_FALSE(r[2].skipped()) << r[2].message;
  EXPECT_EQ(r[2].doc.id, "urn:uuid:2");
  EXPECT_EQ(r[2].doc.url, "http://news.example/a");
  EXPECT_EQ(r[2].doc.title, "Senator met envoy");
  EXPECT_TRUE(r[2].doc.text.starts_with("<html>")) << r[2].doc.text;  // No HTTP headers.
  ASSERT_TRUE(r[2].doc.published.has_value());
  EXPECT_EQ(*r[2].doc.published, 1488448800);
  EXPECT_EQ(r[2].origin.file, path);
  EXPECT_EQ(r[3].skip_reason, kSkipWarcNotResponse);
  EXPECT_EQ(r[4].skip_reason, kSkipWarcNotPage);
  EXPECT_EQ(r[5].skip_reason, kSkipWarcNotPage);
  EXPECT_NE(r[5].message.find("404"), std::string::npos);
  ASSERT_FALSE(r[6].skipped()) << r[6].message;
  EXPECT_EQ(r[6].doc.text, "<p>Markets rallied on news</p> rose");
}

TEST(WarcReaderTest, ResponsesAreDocumentsAndOtherRecordsCountedSkips) {
  const TempDir tmp;
  std::string warc;
  for (const std::string& rec : Segment()) warc += rec;
  const std::string path = tmp.path() + "/crawl.warc";
  WriteFile(path, warc);
  ReaderOptions o;
  o.keep_raw = true;
  const auto r = ReadPath(path, o);
  CheckSegment(r, path);
  const std::vector<std::string> seg = Segment();
  EXPECT_EQ(r[2].doc.raw + "\r\n\r\n", seg[2]);  // The whole record.
  // Line numbers point at each record's "WARC/1.0".
  size_t line = 1;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r[i].origin.line, line) << i;
    line += std::count(seg[i].begin(), seg[i].end(), '\n');
  }
}

// A limit beyond what memory holds is no limit: max_doc_bytes + the
// header slack, or + 3 for a code point, wrapped to a few bytes, and a
// page came back cut to them.
TEST(WarcReaderTest, LargestMaxDocBytesCutsNothing) {
  const TempDir tmp;
  // Past the 1 MiB of header slack the wrapped sum came to.
  const std::string body = "<p>" + std::string(1200000, 'a') + " tail</p>";
  const std::string path = tmp.path() + "/crawl.warc";
  WriteFile(path, Record("response", "http://x.test/a", "1", Http("200 OK", "text/html", body)));
  constexpr size_t kLargest = std::numeric_limits<size_t>::max();
  for (size_t limit : {kLargest, kLargest - 2}) {
    ReaderOptions o;
    o.max_doc_bytes = limit;
    const auto r = testing_util::ReadPath(path, o);
    ASSERT_EQ(r.size(), 1u);
    ASSERT_FALSE(r[0].skipped()) << r[0].message;
    EXPECT_FALSE(r[0].doc.flags.truncated) << limit;
    EXPECT_NE(r[0].doc.text.find("tail"), std::string::npos) << limit;
  }
}

// A response without a WARC-Record-ID is named by its place, the path as
// given and the line of its "WARC/1.0" (was the base name: two crawls'
// segments of one name gave one id to two pages).
TEST(WarcReaderTest, ResponseWithoutARecordIdIsNamedByPathAndLine) {
  const TempDir tmp;
  std::string page = Record("response", "http://news.example/a", "x",
                            Http("200 OK", "text/html", "<p>An article without a record id</p>"));
  const size_t id_line = page.find("WARC-Record-ID");
  page.erase(id_line, page.find("\r\n", id_line) + 2 - id_line);
  const std::string path = tmp.path() + "/seg.warc";
  WriteFile(path, Segment()[0] + page);
  const auto r = ReadPath(path);
  ASSERT_EQ(r.size(), 2u);
  ASSERT_FALSE(r[1].skipped()) << r[1].message;
  EXPECT_EQ(r[1].doc.id, path + ":" + std::to_string(r[1].origin.line));
  EXPECT_EQ(r[1].doc.flags.id_origin, IdOrigin::kPosition);
  EXPECT_EQ(r[1].doc.url, "http://news.example/a");
}

TEST(WarcReaderTest, GzipMemberPerRecordReadsTheSame) {
  const TempDir tmp;
  std::string gz;
  for (const std::string& rec : Segment()) gz += GzipMember(rec);
  const std::string path = tmp.path() + "/CC-MAIN-x.warc.gz";
  WriteFile(path, gz);
  CheckSegment(ReadPath(path), path);
  // Found by content too (no extension).
  const std::string bare = tmp.path() + "/segment";
  WriteFile(bare, gz);
  CheckSegment(ReadPath(bare), bare);
}

TEST(WarcReaderTest, GzipContentEncodingOfThePayloadIsUndone) {
  const TempDir tmp;
  const std::string path = tmp.path() + "/wget.warc";
  WriteFile(path, Record("response", "http://x/c", "7",
                         Http("200 OK", "text/html", GzipMember("<p>compressed page body</p>"),
                              "Content-Encoding: gzip\r\n")) +
                      Record("response", "http://x/d", "8",
                             Http("200 OK", "text/html", "opaque", "Content-Encoding: br\r\n")));
  const auto r = ReadPath(path);
  ASSERT_EQ(r.size(), 2u);
  ASSERT_FALSE(r[0].skipped()) << r[0].message;
  EXPECT_EQ(r[0].doc.text, "<p>compressed page body</p>");
  EXPECT_EQ(r[1].skip_reason, kSkipWarcNotPage);
  EXPECT_NE(r[1].message.find("br"), std::string::npos);
}

TEST(WarcReaderTest, TruncatedRecordAndJunkAreSkipsNotSilence) {
  const TempDir tmp;
  const std::vector<std::string> seg = Segment();
  const std::string path = tmp.path() + "/cut.warc";
  WriteFile(path, "junk line\r\n" + seg[2] + seg[6].substr(0, seg[6].size() / 2));
  const auto r = ReadPath(path);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].skip_reason, kSkipInvalidWarc);
  EXPECT_EQ(r[0].origin.line, 1u);
  EXPECT_FALSE(r[1].skipped()) << r[1].message;
  EXPECT_EQ(r[1].origin.line, 2u);
  EXPECT_EQ(r[2].skip_reason, kSkipInvalidWarc);
  EXPECT_NE(r[2].message.find("ends inside"), std::string::npos);
}

}  // namespace
}  // namespace storysift
