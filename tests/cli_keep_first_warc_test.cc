// dedup --keep-first with WARC and whole-file inputs: records written back
// whole (beyond --max-doc-bytes too), as a WARC file that reads back; the
// formats that cannot go together fail before anything is written.
#include <fstream>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "keep_first_test_util.h"

namespace storysift::cli_test {
namespace {

// WARC records beside JSON lines would make a file neither reader reads.
TEST_F(KeepFirstTest, WarcBesideJsonLinesFailsBeforeWritingAnything) {
  const std::string warc = tmp_ / "a.warc";
  const std::string page = "<html><head><title>T</title></head><body><p>" + Body("pi") +
                           "</p></body></html>";
  const std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page;
  WriteFile(warc, "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.test/a\r\n"
                  "WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response"
                  "\r\nContent-Length: " + std::to_string(http.size()) + "\r\n\r\n" + http +
                  "\r\n\r\n");
  const std::string jsonl = tmp_ / "b.jsonl";
  WriteFile(jsonl, "{\"text\":\"" + Body("rho") + "\"}\n");
  const std::string out = tmp_ / "mixed.out";
  CliResult r = RunCli({"dedup", warc, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;  // The WARC alone reads.
  ASSERT_NE(r.out.find("WARC/1.0"), std::string::npos) << r.out;
  r = RunCli({"dedup", warc, jsonl, "--keep-first", "-o", out}, tmp_.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("is a JSON line but"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

// A WARC record is written back whole and ended as ISO 28500 ends one, so
// the output is a WARC file that reads back.
TEST_F(KeepFirstTest, WarcRecordsAreWrittenBackAsAWarcFile) {
  auto record = [](const std::string& id, const std::string& topic) {
    const std::string http = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>" +
                             Body(topic) + "</p>\n";
    return "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:" + id +
           ">\r\nContent-Length: " + std::to_string(http.size()) + "\r\n\r\n" + http +
           "\r\n\r\n";
  };
  const std::string a = record("1", "sigma"), b = record("2", "sigma"), c = record("3", "tau");
  const std::string warc = tmp_ / "crawl.warc";
  WriteFile(warc, a + b + c);
  const std::string kept = tmp_ / "kept.warc";
  CliResult r = RunCli({"dedup", warc, "--keep-first", "-q", "-o", kept}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFileOrEmpty(kept), a + c);
  r = RunCli({"dedup", kept, "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> verdicts = NonEmptyLines(r.out);
  ASSERT_EQ(verdicts.size(), 2u) << r.out;
  EXPECT_EQ(JsonField(verdicts[1], "id"), "urn:uuid:3");
}

TEST_F(KeepFirstTest, TextFilesBecomeJsonLinesBesideJsonLines) {
  const std::string dir = tmp_ / "pages";
  WriteFile(dir + "/a.txt", Body("xi"));
  WriteFile(dir + "/b.txt", Body("xi"));
  const std::string jsonl = tmp_ / "more.jsonl";
  const std::string line = "{\"id\":\"m\",\"text\":\"" + Body("omicron") + "\",\"lang\":\"en\"}";
  WriteFile(jsonl, line + "\n");
  const CliResult r = RunCli({"dedup", dir, jsonl, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> out = NonEmptyLines(r.out);
  ASSERT_EQ(out.size(), 2u) << r.out;
  EXPECT_EQ(JsonField(out[0], "id"), "a.txt");
  EXPECT_EQ(out[1], line);
}

// A text file's date header is the line's "date"; one whose date is no
// real date is out of the text too (a warning), and its date goes on as
// written, so the kept line reads back with the same warning, not undated
// in silence.
TEST_F(KeepFirstTest, TextFileDateHeaderGoesToTheDateFieldEvenWhenUnparsed) {
  const std::string dir = tmp_ / "pages";
  WriteFile(dir + "/a.txt", "date 2017-03-02\n" + Body("xi"));
  WriteFile(dir + "/b.txt", "Date: 2017-02-30\n" + Body("pi"));
  const std::string kept = tmp_ / "kept.jsonl";
  CliResult r = RunCli({"dedup", dir, "--keep-first", "-o", kept}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("b.txt: date not understood"), std::string::npos) << r.err;
  const std::vector<std::string> out = NonEmptyLines(ReadFileOrEmpty(kept));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(JsonField(out[0], "date"), "2017-03-02T00:00:00Z");
  EXPECT_EQ(JsonField(out[1], "date"), "2017-02-30");
  EXPECT_EQ(JsonField(out[1], "text"), "\\n" + Body("pi"));  // The header's line break stays.
  r = RunCli({"dedup", kept, "--strict", "-q"}, tmp_.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("kept.jsonl:2: date not understood"), std::string::npos) << r.err;
}

// A WARC record larger than --max-doc-bytes plus the reader's 1 MiB of
// header slack is read cut short, but its raw bytes go on to disk: the kept
// record is written whole under its own Content-Length, from a .warc and a
// .warc.gz (not seekable) alike, and the output reads back.
TEST_F(KeepFirstTest, WarcRecordBeyondMaxDocBytesIsWrittenWhole) {
  std::string page = "<html><body><p>";
  for (int i = 0; page.size() < (size_t{5} << 19); ++i) page += "w" + std::to_string(i) + " ";
  page += "</p></body></html>\n";
  const std::string big = WarcResponse("big", page);
  const std::string b = WarcResponse("b", "<p>" + Body("upsilon") + "</p>\n");
  const std::string b_copy = WarcResponse("b2", "<p>" + Body("upsilon") + "</p>\n");
  const std::string plain = tmp_ / "crawl.warc";
  WriteFile(plain, big + b + b_copy);
  const std::string packed = tmp_ / "crawl.warc.gz";
  for (const std::string* record : {&big, &b, &b_copy}) {
    AppendGzipMember(packed, *record, tmp_ / "member");
  }
  for (const std::string& input : {plain, packed}) {
    const std::string kept = tmp_ / "kept.warc";
    CliResult r = RunCli({"dedup", input, "--keep-first", "--max-doc-bytes", "1000", "-q",
                          "-o", kept},
                         tmp_.path());
    ASSERT_EQ(r.exit_code, 0) << input << ": " << r.err;
    const std::string out = ReadFileOrEmpty(kept);
    EXPECT_EQ(out.size(), big.size() + b.size()) << input;
    EXPECT_TRUE(out == big + b) << input << ": the kept records differ from the input's";
    r = RunCli({"dedup", kept, "--max-doc-bytes", "1000", "-q"}, tmp_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> verdicts = NonEmptyLines(r.out);
    ASSERT_EQ(verdicts.size(), 2u) << r.out;
    EXPECT_EQ(JsonField(verdicts[0], "id"), "urn:uuid:big");
    EXPECT_EQ(JsonField(verdicts[1], "id"), "urn:uuid:b");
  }
}

// JSON lines and CSV records longer than --max-doc-bytes (but within
// --max-line-bytes) are cut for the detectors only: --keep-first writes
// them whole.
TEST_F(KeepFirstTest, RecordsLongerThanMaxDocBytesAreWrittenWhole) {
  const std::string long_text = Body("chi") + Body("psi") + Body("omega");
  const std::string line = "{\"id\":\"l\",\"text\":\"" + long_text + "\"}";
  const std::string jsonl = tmp_ / "long.jsonl";
  WriteFile(jsonl, line + "\n");
  CliResult r = RunCli({"dedup", jsonl, "--keep-first", "--max-doc-bytes", "100", "-q"},
                       tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, line + "\n");
  const std::string csv = tmp_ / "long.csv";
  const std::string row = "l,\"" + long_text + "\"";
  WriteFile(csv, "id,text\n" + row + "\n");
  r = RunCli({"dedup", csv, "--keep-first", "--max-doc-bytes", "100", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "id,text\n" + row + "\n");
}

// A whole-file document is written as a JSON line of its fields; one cut
// to --max-doc-bytes has lost the rest of its text, so keeping it fails
// naming the file, with nothing written. Cut and found a copy, it is not
// written, and the run goes on.
TEST_F(KeepFirstTest, WholeFileCutToMaxDocBytesFailsWhenKept) {
  const std::string dir = tmp_ / "pages";
  WriteFile(dir + "/a.txt", Body("alpha"));
  WriteFile(dir + "/b.txt", Body("alpha") + " " + Body("beta") + Body("gamma"));
  const std::string limit = std::to_string(Body("alpha").size() + 1);
  CliResult r = RunCli({"dedup", dir, "--keep-first", "--max-doc-bytes", limit, "-q"},
                       tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> out = NonEmptyLines(r.out);
  ASSERT_EQ(out.size(), 1u) << r.out;
  EXPECT_EQ(JsonField(out[0], "id"), "a.txt");

  const std::string kept = tmp_ / "kept.jsonl";
  const std::string big = tmp_ / "big.txt";
  WriteFile(big, Body("delta") + Body("eps"));
  r = RunCli({"dedup", big, "--keep-first", "--max-doc-bytes", "200", "-q", "-o", kept},
             tmp_.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(big + " is longer than --max-doc-bytes"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(kept));
}

}  // namespace
}  // namespace storysift::cli_test
