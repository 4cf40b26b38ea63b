// dedup --keep-first writes the kept records byte for byte as they were
// read (JSON lines, CSV/TSV rows under their original header), in input
// order; which record of a copy group is kept follows --keep (first by
// default). Generated inputs with known copies, then Reuters and BBC.
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "keep_first_test_util.h"

namespace storysift::cli_test {
namespace {

TEST_F(KeepFirstTest, CsvRowsAreWrittenAsReadUnderTheOriginalHeader) {
  // Row 3 copies row 1 and is dated earlier; extra columns, a quoted
  // multi-line field, a CRLF-free odd date, doubled quotes.
  const std::string header = "ID,Headline,Content,Published,topic_codes,extra";
  const std::string r1 = "n1,\"First, story\",\"" + Body("alpha") + "\",26-FEB-1987 15:01:01.79,grain,x";
  const std::string r2 = "n2,Other,\"" + Body("beta") + "\nsecond \"\"line\"\"\",1987-03-02T10:00:41,,y";
  const std::string r3 = "n3,Copy,\"" + Body("alpha") + "\",1987-01-01,grain;wheat,z";
  const std::string r4 = "n4,Third,\"" + Body("gamma") + "\",,trade,";
  const std::string path = tmp_ / "news.csv";
  WriteFile(path, header + "\n" + r1 + "\n" + r2 + "\n" + r3 + "\n" + r4 + "\n");

  CliResult r = RunCli({"dedup", path, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, header + "\n" + r1 + "\n" + r2 + "\n" + r4 + "\n");

  // --keep earliest keeps the earlier-dated copy, still in input order.
  r = RunCli({"dedup", path, "--keep-first", "--keep", "earliest", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, header + "\n" + r2 + "\n" + r3 + "\n" + r4 + "\n");
}

TEST_F(KeepFirstTest, CrlfCsvKeepsItsFieldsAndHeaderBytes) {
  const std::string header = "\xEF\xBB\xBFtitle,text,date";
  const std::string r1 = "A,\"" + Body("delta") + "\",\"March 2, 2017\"";
  const std::string r2 = "B,\"" + Body("delta") + "\",2017";
  const std::string path = tmp_ / "crlf.csv";
  WriteFile(path, header + "\r\n" + r1 + "\r\n" + r2 + "\r\n");
  const CliResult r = RunCli({"dedup", path, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The header's own bytes as they were, the byte order mark and line
  // breaks included.
  EXPECT_EQ(r.out, header + "\r\n" + r1 + "\r\n");
}

// Each record keeps its own line break, whatever the others have; a last
// line without one gets the break written before it, so a CRLF file stays
// CRLF. A quoted field's line breaks are its own bytes.
TEST_F(KeepFirstTest, CsvRecordsKeepTheirOwnLineBreaks) {
  const std::string header = "id,title,text";
  const std::string r1 = "c1,One,\"" + Body("alpha") + "\r\nsecond line\nthird\"";
  const std::string r2 = "c2,Two," + Body("beta");
  const std::string r3 = "c3,Copy," + Body("alpha");
  const std::string r4 = "c4,Four," + Body("gamma");
  const std::string r5 = "c5,Five," + Body("delta");
  const std::string path = tmp_ / "mixed.csv";
  WriteFile(path, header + "\r\n" + r1 + "\r\n" + r2 + "\n" + r3 + "\r\n" + r4 + "\r\n" + r5);
  CliResult r = RunCli({"dedup", path, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, header + "\r\n" + r1 + "\r\n" + r2 + "\n" + r4 + "\r\n" + r5 + "\r\n");

  // The same header with other line breaks is the same header: the first
  // file's is written, each record keeps its own.
  const std::string lf = tmp_ / "lf.csv";
  const std::string r6 = "c6,Six," + Body("eps");
  WriteFile(lf, header + "\n" + r6 + "\n");
  r = RunCli({"dedup", lf, path, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, header + "\n" + r6 + "\n" + r1 + "\r\n" + r2 + "\n" + r4 + "\r\n" + r5 +
                       "\r\n");
}

// JSON lines with CRLF, LF and no line break at the end: each kept line is
// written with its own bytes, from a plain file, a compressed one (gzip,
// zstd, xz) or a directory alike.
TEST_F(KeepFirstTest, JsonLinesKeepTheirOwnLineBreaksInEveryContainer) {
  const std::string j1 = "{\"id\":\"j1\",\"text\":\"" + Body("eta") + "\"}";
  const std::string j2 = "{\"id\":\"j2\",\"text\":\"" + Body("theta") + "\"} ";
  const std::string j3 = "{\"id\":\"j3\",\"text\":\"" + Body("eta") + "\"}";
  const std::string j4 = "{\"id\":\"j4\",\r\"text\":\"" + Body("iota") + "\"}";
  const std::string j5 = "{\"id\":\"j5\",\"text\":\"" + Body("kappa") + "\"}";
  const std::string input =
      j1 + "\r\n" + j2 + "\n" + j3 + "\r\n" + "\r\n" + j4 + "\r\n" + j5;
  const std::string want = j1 + "\r\n" + j2 + "\n" + j4 + "\r\n" + j5 + "\r\n";
  const std::string plain = tmp_ / "docs.jsonl";
  WriteFile(plain, input);
  CliResult r = RunCli({"dedup", plain, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, want);
  for (const std::string tool : {"gzip", "zstd -q", "xz"}) {
    const std::string packed = tmp_ / "packed.jsonl";
    const std::string cmd = tool + " -c < " + ShellQuote(plain) + " > " + ShellQuote(packed);
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    r = RunCli({"dedup", packed, "--keep-first", "-q"}, tmp_.path());
    ASSERT_EQ(r.exit_code, 0) << tool << ": " << r.err;
    EXPECT_EQ(r.out, want) << tool;
  }
  const std::string dir = tmp_ / "day";
  WriteFile(dir + "/a.jsonl", input);
  WriteFile(dir + "/b.jsonl", j2 + "\n");  // A copy of a.jsonl's j2.
  r = RunCli({"dedup", dir, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, want);
}

// JSON lines after an array keep their line breaks too; the array's
// elements, which end at a comma, are lines written with the break before.
TEST_F(KeepFirstTest, LinesAfterAnArrayKeepTheirLineBreaks) {
  const std::string e1 = "{\"id\":\"a1\",\r\n \"text\":\"" + Body("lambda") + "\"}";
  const std::string l2 = "{\"id\":\"l2\",\"text\":\"" + Body("rho") + "\"}";
  const std::string l3 = "{\"id\":\"l3\",\"text\":\"" + Body("phi") + "\"}";
  const std::string path = tmp_ / "mixed.json";
  WriteFile(path, "[" + e1 + "]\r\n" + l2 + "\r\n" + l3 + "\n");
  const CliResult r = RunCli({"dedup", path, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string flat = e1;
  flat.replace(flat.find("\r\n"), 2, "  ");
  EXPECT_EQ(r.out, flat + "\n" + l2 + "\r\n" + l3 + "\n");
}

TEST_F(KeepFirstTest, TsvRowsAreWrittenAsRead) {
  const std::string header = "id\ttitle\ttext\tcategory";
  const std::string r1 = "t1\t\"Quoted\" title\t" + Body("eps") + "\tbusiness";
  const std::string r2 = "t2\tCopy\t" + Body("eps") + "\tsport";
  const std::string r3 = "t3\tOther\t" + Body("zeta") + "\ttech";
  const std::string path = tmp_ / "news.tsv";
  WriteFile(path, header + "\n" + r1 + "\n" + r2 + "\n" + r3 + "\n");
  const CliResult r = RunCli({"dedup", path, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, header + "\n" + r1 + "\n" + r3 + "\n");
}

TEST_F(KeepFirstTest, JsonLinesKeepUserFieldsDatesAndBytes) {
  const std::vector<std::string> lines = {
      "{\"id\":\"j1\", \"date\":\"1987-02-26T15:01:41\",\"topics\":[\"grain\"],\"text\":\"" +
          Body("eta") + "\"}",
      "{\"text\":\"" + Body("theta") + "\",\"places\":[\"usa\"],\"dateline\":\"NEW YORK\"}",
      "{\"id\":\"j3\",\"text\":\"" + Body("eta") + "\",\"date\":\"1987-01-01\"}",
      "{\"id\":\"j4\",\"text\":\"caf\xE9 \xA3" "100 " + Body("iota") + "\"}",  // Windows-1252.
  };
  std::string data;
  for (const std::string& l : lines) data += l + "\n";
  const std::string path = tmp_ / "docs.jsonl";
  WriteFile(path, data);
  const CliResult r = RunCli({"dedup", path, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, lines[0] + "\n" + lines[1] + "\n" + lines[3] + "\n");
}

TEST_F(KeepFirstTest, MixedShapesOrHeadersFailBeforeWritingAnything) {
  const std::string csv = tmp_ / "a.csv";
  const std::string csv2 = tmp_ / "b.csv";
  const std::string jsonl = tmp_ / "c.jsonl";
  WriteFile(csv, "title,text\nA," + Body("kappa") + "\n");
  WriteFile(csv2, "text,title\n" + Body("lambda") + ",B\n");
  WriteFile(jsonl, "{\"text\":\"" + Body("mu") + "\"}\n");
  const std::string out = tmp_ / "out.csv";
  CliResult r = RunCli({"dedup", csv, jsonl, "--keep-first", "-o", out}, tmp_.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("separate runs"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  r = RunCli({"dedup", csv, csv2, "--keep-first", "-o", out}, tmp_.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("different headers"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  // Two CSVs with the same header make one file.
  const std::string csv3 = tmp_ / "d.csv";
  WriteFile(csv3, "title,text\nD," + Body("nu") + "\n");
  r = RunCli({"dedup", csv, csv3, "--keep-first", "-q"}, tmp_.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "title,text\nA," + Body("kappa") + "\nD," + Body("nu") + "\n");
}

// A pretty-printed array's elements span lines: each is written as one JSON
// line (its line breaks were whitespace), which reads back whole.
TEST_F(KeepFirstTest, PrettyArrayElementsBecomeOneLineEach) {
  const std::string array = tmp_ / "a.json";
  WriteFile(array, "[\n  {\n    \"id\": \"j1\",\n    \"views\": 7,\n    \"text\": \"" +
                       Body("xi") + "\"\n  },\r\n  {\"id\": \"j2\", \"text\": \"" + Body("xi") +
                       "\"},\n  {\n    \"id\": \"j3\",\n    \"text\": \"" + Body("omicron") +
                       "\"\n  }\n]\n");
  const std::string out = tmp_ / "kept.jsonl";
  CliResult r = RunCli({"dedup", array, "--keep-first", "-q", "-o", out}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = NonEmptyLines(ReadFileOrEmpty(out));
  ASSERT_EQ(lines.size(), 2u) << ReadFileOrEmpty(out);
  EXPECT_NE(lines[0].find("\"id\": \"j1\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("\"views\": 7"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("\"id\": \"j3\""), std::string::npos) << lines[1];
  r = RunCli({"stats", out, "--report", tmp_ / "r.json", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadFileOrEmpty(tmp_ / "r.json").find("\"read\":2,\"processed\":2,\"skipped\":0"),
            std::string::npos);
}

// The output is UTF-8 and starts with a byte order mark where the input of
// its first record did (a UTF-16 input's BOM too: its records come out as
// UTF-8), never in the middle; a CSV's BOM comes before its header.
TEST_F(KeepFirstTest, ByteOrderMarkOfTheFirstInputIsWrittenBack) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string j1 = "{\"id\":\"j1\",\"text\":\"" + Body("alpha") + "\"}";
  const std::string j2 = "{\"id\":\"j2\",\"text\":\"" + Body("beta") + "\"}";
  const std::string with_bom = tmp_ / "bom.jsonl";
  const std::string without = tmp_ / "plain.jsonl";
  WriteFile(with_bom, bom + j1 + "\n");
  WriteFile(without, j2 + "\n");
  CliResult r = RunCli({"dedup", with_bom, without, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, bom + j1 + "\n" + j2 + "\n");
  r = RunCli({"dedup", without, with_bom, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, j2 + "\n" + j1 + "\n");
  // A text file becomes a JSON line of its fields: its BOM is not written.
  const std::string text = tmp_ / "note.txt";
  WriteFile(text, bom + Body("zeta"));
  r = RunCli({"dedup", text, with_bom, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("{\"id\":")) << r.out;
  EXPECT_EQ(r.out.find(bom), std::string::npos) << r.out;

  // A UTF-16LE CSV with its BOM: UTF-8 out, with a UTF-8 BOM, header once.
  const std::string header = "title,text";
  const std::string row = "Caf\xC3\xA9," + Body("gamma");
  const std::string utf8 = header + "\r\n" + row + "\r\n";
  std::string utf16 = "\xFF\xFE";
  for (unsigned char c : std::string("title,text\r\nCaf")) utf16 += std::string{char(c), '\0'};
  utf16 += std::string("\xE9\0", 2);  // U+00E9.
  for (unsigned char c : "," + Body("gamma") + "\r\n") utf16 += std::string{char(c), '\0'};
  const std::string csv = tmp_ / "sheet.csv";
  WriteFile(csv, utf16);
  r = RunCli({"dedup", csv, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, bom + utf8);
}

// `-o` naming a compressed file gets one: gzip, zstd or xz by its name, the
// same bytes inside as a plain output; a .warc.gz holds a gzip member a
// record, as WARC tools expect, and reads back.
TEST_F(KeepFirstTest, OutputIsCompressedAsItsNameSays) {
  const std::string j1 = "{\"id\":\"j1\",\"text\":\"" + Body("alpha") + "\"}";
  const std::string j2 = "{\"id\":\"j2\",\"text\":\"" + Body("alpha") + "\"}";
  const std::string j3 = "{\"id\":\"j3\",\"text\":\"" + Body("beta") + "\"}";
  const std::string jsonl = tmp_ / "day.jsonl";
  WriteFile(jsonl, j1 + "\n" + j2 + "\n" + j3 + "\n");
  const std::string plain = tmp_ / "kept.jsonl";
  const std::string unpacked = tmp_ / "unpacked";
  struct Format {
    std::string suffix, decompress, magic;
  };
  for (const Format& f : {Format{".gz", "gzip -dc", "\x1f\x8b"},
                          Format{".zst", "zstd -dcq", "\x28\xb5\x2f\xfd"},
                          Format{".XZ", "xz -dc", "\xfd" "7zXZ"}}) {
    const std::string packed = plain + f.suffix;
    CliResult r = RunCli({"dedup", jsonl, "--keep-first", "-q", "-o", packed}, tmp_.path());
    ASSERT_EQ(r.exit_code, 0) << f.suffix << ": " << r.err;
    EXPECT_TRUE(ReadFileOrEmpty(packed).starts_with(f.magic)) << f.suffix;
    const std::string cmd = f.decompress + " < " + ShellQuote(packed) + " > " + ShellQuote(unpacked);
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    EXPECT_EQ(ReadFileOrEmpty(unpacked), j1 + "\n" + j3 + "\n") << f.suffix;
  }
  // Standard output and other names stay plain.
  CliResult r = RunCli({"dedup", jsonl, "--keep-first", "-q"}, tmp_.path());
  EXPECT_EQ(r.out, j1 + "\n" + j3 + "\n");

  const std::string a = WarcResponse("a", "<p>" + Body("gamma") + "</p>\n");
  const std::string b = WarcResponse("b", "<p>" + Body("delta") + "</p>\n");
  const std::string warc = tmp_ / "crawl.warc";
  WriteFile(warc, a + b + a);
  const std::string kept = tmp_ / "kept.warc.gz";
  r = RunCli({"dedup", warc, "--keep-first", "-q", "-o", kept}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // One member a record: two gzip headers, the records inside.
  const std::string packed = ReadFileOrEmpty(kept);
  size_t members = 0;
  for (size_t at = packed.find("\x1f\x8b\x08"); at != std::string::npos;
       at = packed.find("\x1f\x8b\x08", at + 1)) {
    ++members;
  }
  EXPECT_EQ(members, 2u);
  const std::string cmd = "gzip -dc < " + ShellQuote(kept) + " > " + ShellQuote(unpacked);
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  EXPECT_EQ(ReadFileOrEmpty(unpacked), a + b);
  r = RunCli({"dedup", kept, "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(NonEmptyLines(r.out).size(), 2u) << r.out;
}

// Bytes a reader repairs or drops from a field stay in the record written:
// invalid UTF-8, a NUL, a CR inside a quoted field.
TEST_F(KeepFirstTest, CsvFieldBytesStayAsTheyWere) {
  const std::string header = "id,text";
  static constexpr char kOdd[] = " caf\xE9 a\0b\rc\"";  // Windows-1252, NUL, CR.
  const std::string r1 = "c1,\"" + Body("alpha") + std::string(kOdd, sizeof(kOdd) - 1);
  const std::string r2 = "c2," + Body("beta");
  const std::string path = tmp_ / "odd.csv";
  WriteFile(path, header + "\n" + r1 + "\n" + r2);
  const CliResult r = RunCli({"dedup", path, "--keep-first", "-q"}, tmp_.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, header + "\n" + r1 + "\n" + r2 + "\n");
}

// Every output line is an input line, in input order, and their number is
// the records that dedup --keep first does not call copies (or skip).
void ExpectFaithfulSubset(const std::string& corpus, const std::string& scratch,
                          const std::vector<std::string>& must_keep_fields) {
  if (!fs::exists(corpus)) GTEST_SKIP() << corpus << " is absent";
  const CliResult kept = RunCli({"dedup", corpus, "--keep-first", "-q"}, scratch);
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  const CliResult roles = RunCli({"dedup", corpus, "--keep", "first", "-q"}, scratch);
  ASSERT_EQ(roles.exit_code, 0) << roles.err;
  size_t copies = 0, skipped = 0;
  for (const std::string& l : NonEmptyLines(roles.out)) {
    copies += JsonField(l, "role") == "copy";
    skipped += JsonField(l, "role") == "skipped";
  }
  ASSERT_GT(copies, 0u);
  std::ifstream in(corpus);
  std::vector<std::string> input;
  for (std::string l; std::getline(in, l);) input.push_back(l);
  const std::vector<std::string> out = NonEmptyLines(kept.out);
  EXPECT_EQ(out.size(), input.size() - copies - skipped);
  size_t at = 0;
  for (const std::string& l : out) {
    while (at < input.size() && input[at] != l) ++at;
    ASSERT_LT(at, input.size()) << "not an input line, or out of order: " << l.substr(0, 200);
    ++at;
  }
  for (const std::string& field : must_keep_fields) {
    EXPECT_NE(out.front().find("\"" + field + "\""), std::string::npos) << field;
  }
}

TEST_F(KeepFirstTest, ReutersKeepsTopicsPlacesDatelineAndDates) {
  ExpectFaithfulSubset(std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.jsonl",
                       tmp_.path(), {"topics", "places", "dateline", "date"});
}

TEST_F(KeepFirstTest, BbcKeepsCategory) {
  ExpectFaithfulSubset(std::string(STORYSIFT_SHARED_DATA_DIR) + "/bbc/bbc.jsonl", tmp_.path(),
                       {"category"});
}

}  // namespace
}  // namespace storysift::cli_test
