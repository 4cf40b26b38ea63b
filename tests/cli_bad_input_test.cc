// End-to-end: every kind of bad input through the storysift binary. Each bad
// record gets a message naming file, line and reason, the rest is processed,
// the output holds every input record exactly once and the report's counts
// add up; --strict fails before writing anything.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

// ~60 distinct words, so copies of it are found by word 5-shingles.
std::string Prose(const std::string& topic) {
  std::string s;
  for (int i = 0; i < 60; ++i) {
    s += topic + std::to_string(i * 7919 % 1000) + (i % 9 == 8 ? ". " : " ");
  }
  return s;
}

std::string JsonDoc(const std::string& id, const std::string& text,
                    const std::string& extra = "") {
  return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"" + extra + "}\n";
}

// Limits the corpus is run with, so the long-line and truncation cases stay
// small (a real 200 MB line is checked by hand: see tests/fuzz/README.md).
constexpr int kMaxLineBytes = 1000000;
constexpr int kMaxDocBytes = 2000;

struct BadCorpus {
  std::vector<std::string> inputs;
  // Ids of the documents that must be processed, in input order.
  std::vector<std::string> processed_ids;
  std::map<std::string, int> skipped_by_reason;
  // "<file>:<line>" suffix and reason of each skip or warning message.
  std::vector<std::pair<std::string, std::string>> skip_messages;
  std::vector<std::pair<std::string, std::string>> warning_messages;
};

// Writes one of every kind of bad input under `dir`.
BadCorpus MakeBadCorpus(const std::string& dir) {
  BadCorpus c;
  std::string jsonl;
  jsonl += JsonDoc("j1", Prose("alpha"));                             // 1
  // 0x81 and 0x8D are neither UTF-8 nor Windows-1252: U+FFFD.
  jsonl += JsonDoc("j2", "broken \x81\x8d utf8 " + Prose("beta"));    // 2
  jsonl += "[1,2,3]\n";                                               // 3
  jsonl += "{\"id\":\"j4\",\"title\":\"no text field\"}\n";          // 4
  jsonl += JsonDoc("j5", "");                                         // 5
  jsonl += JsonDoc("j6", "  \\n\\t  ");                               // 6
  jsonl += JsonDoc("j1", Prose("gamma"));                             // 7
  jsonl += std::string("{\"id\":\"j8\",\"text\":\"nul\0byte\"}\n", 30);  // 8
  jsonl += "{\"id\":\"j9\",\"text\":\"unterminated\n";                // 9
  jsonl += JsonDoc("j10", Prose("delta"), ",\"date\":\"0001-01-01\"");  // 10
  jsonl += JsonDoc("j11", Prose("eps"), ",\"date\":\"9999-12-31T00:00:00Z\"");  // 11
  jsonl += JsonDoc("j12", std::string(3 * kMaxDocBytes, 'x') + " tail");  // 12
  jsonl += JsonDoc("j13", std::string(kMaxLineBytes + 10, 'y'));      // 13
  jsonl += "\n   \n";  // Blank lines are not records.                // 14, 15
  jsonl += JsonDoc("j16", Prose("alpha"));  // A copy of j1.           // 16
  WriteFile(dir + "/docs.jsonl", jsonl);
  c.inputs.push_back(dir + "/docs.jsonl");
  c.processed_ids = {"j1", "j2", "j1", "j10", "j11", "j12", "j16"};
  c.skip_messages = {{"docs.jsonl:3", "not_object"},   {"docs.jsonl:4", "missing_text"},
                     {"docs.jsonl:5", "empty_text"},   {"docs.jsonl:6", "empty_text"},
                     {"docs.jsonl:8", "binary"},       {"docs.jsonl:9", "invalid_json"},
                     {"docs.jsonl:13", "line_too_long"}};
  c.warning_messages = {{"docs.jsonl:2", "utf8_repaired"},
                        {"docs.jsonl:7", "duplicate_id"},
                        {"docs.jsonl:10", "unparsed_date"},
                        {"docs.jsonl:11", "unparsed_date"},
                        {"docs.jsonl:12", "truncated"}};

  // The quote opened in record c2 never closes; it costs c2 only, not c3.
  WriteFile(dir + "/news.csv", "id,title,text\nc1,Title," + Prose("zeta") +
                                   "\nc2,\"never closed\nc3,More,text\n");
  c.inputs.push_back(dir + "/news.csv");
  c.processed_ids.push_back("c1");
  c.processed_ids.push_back("c3");
  c.skip_messages.push_back({"news.csv:3", "unbalanced_quote"});

  const std::string files = dir + "/files";
  // A date line whose date is impossible: a warning, as docs.jsonl:10's.
  WriteFile(files + "/baddate.txt", "date 2017-02-30\n" + Prose("iota"));
  WriteFile(files + "/good.txt", Prose("eta"));
  WriteFile(files + "/page.html", "<html><body><p>" + Prose("theta") + "</p></body></html>");
  WriteFile(files + "/binary.txt", std::string("\x7f" "ELF\0\0\0\x01\x02", 9));
  WriteFile(files + "/blank.txt", " \n\t\n  ");
  fs::create_directories(files + "/subdir.txt");  // Not a file: not a record.
  fs::create_symlink(files + "/missing-target", files + "/dangling.txt");
  EXPECT_EQ(::mkfifo((files + "/fifo.txt").c_str(), 0644), 0);
  c.inputs.push_back(files);
  c.processed_ids.push_back("baddate.txt");
  c.warning_messages.push_back({"files/baddate.txt", "unparsed_date"});
  c.processed_ids.push_back("good.txt");
  c.processed_ids.push_back("page.html");
  // Directory files are read in byte order of their names.
  c.skip_messages.push_back({"files/binary.txt", "binary"});
  c.skip_messages.push_back({"files/blank.txt", "empty_text"});
  c.skip_messages.push_back({"files/dangling.txt", "unreadable"});
  c.skip_messages.push_back({"files/fifo.txt", "unreadable"});

  WriteFile(dir + "/blob.dat", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  c.inputs.push_back(dir + "/blob.dat");
  c.skip_messages.push_back({"blob.dat", "binary"});

  for (const auto& [origin, reason] : c.skip_messages) ++c.skipped_by_reason[reason];
  return c;
}

std::vector<std::string> Args(std::vector<std::string> head, const BadCorpus& c,
                              std::vector<std::string> tail = {}) {
  head.insert(head.end(), c.inputs.begin(), c.inputs.end());
  head.push_back("--max-line-bytes=" + std::to_string(kMaxLineBytes));
  head.push_back("--max-doc-bytes=" + std::to_string(kMaxDocBytes));
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

// The integer value of "key": in a JSON text (first occurrence).
int64_t JsonInt(const std::string& json, const std::string& key) {
  const std::string v = JsonField(json, key);
  return v.empty() ? -1 : std::stoll(v);
}

TEST(CliBadInputTest, EveryBadRecordIsReportedWithFileLineAndReason) {
  TempDir dir;
  const BadCorpus c = MakeBadCorpus(dir.path());
  const CliResult r = RunCli(Args({"dedup", "-o", dir / "out.jsonl"}, c), dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& [origin, reason] : c.skip_messages) {
    const std::regex line("storysift: skipped [^\n]*" + origin + ": [^\n]+ \\(" + reason +
                          "\\)\n");
    EXPECT_TRUE(std::regex_search(r.err, line)) << origin << " " << reason << "\n" << r.err;
  }
  for (const auto& [origin, reason] : c.warning_messages) {
    const std::regex line("storysift: warning [^\n]*" + origin + ": [^\n]+ \\(" + reason +
                          "\\)\n");
    EXPECT_TRUE(std::regex_search(r.err, line)) << origin << " " << reason << "\n" << r.err;
  }
  EXPECT_NE(r.err.find("id 'j1' already used"), std::string::npos) << r.err;
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex("docs.jsonl:13: line of 10000[0-9][0-9] bytes exceeds "
                        "max_line_bytes = 1000000 \\(line_too_long\\)")))
      << r.err;
}

TEST(CliBadInputTest, DedupOutputHoldsEveryRecordOnceAndCountsAddUp) {
  TempDir dir;
  const BadCorpus c = MakeBadCorpus(dir.path());
  const CliResult r = RunCli(
      Args({"dedup", "-o", dir / "out.jsonl", "--report", dir / "report.json"}, c),
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = SplitLines(ReadFileOrEmpty(dir / "out.jsonl"));
  const std::string report = ReadFileOrEmpty(dir / "report.json");

  int skipped_total = 0;
  for (const auto& [reason, n] : c.skipped_by_reason) skipped_total += n;
  const int64_t read = JsonInt(report, "read");
  EXPECT_EQ(read, static_cast<int64_t>(c.processed_ids.size()) + skipped_total) << report;
  EXPECT_EQ(JsonInt(report, "processed"), static_cast<int64_t>(c.processed_ids.size()));
  EXPECT_EQ(JsonInt(report, "skipped"), skipped_total);
  for (const auto& [reason, n] : c.skipped_by_reason) {
    const std::string by_reason = report.substr(report.find("\"skipped_by_reason\":"));
    EXPECT_EQ(JsonInt(by_reason, reason), n) << reason << "\n" << report;
  }
  EXPECT_EQ(JsonInt(report, "duplicate_ids"), 1);
  EXPECT_EQ(JsonInt(report, "unknown_dates"), 3);
  EXPECT_EQ(JsonInt(report, "truncated"), 1);
  EXPECT_EQ(JsonInt(report, "utf8_repaired"), 1);

  // One output line per record read, in input order.
  ASSERT_EQ(static_cast<int64_t>(lines.size()), read);
  std::vector<std::string> ids;
  std::vector<std::string> skipped_origins;
  for (const std::string& line : lines) {
    if (JsonField(line, "role") == "skipped") {
      skipped_origins.push_back(JsonField(line, "origin"));
    } else {
      ids.push_back(JsonField(line, "id"));
    }
  }
  EXPECT_EQ(ids, c.processed_ids);
  ASSERT_EQ(skipped_origins.size(), c.skip_messages.size());
  std::set<std::string> distinct(skipped_origins.begin(), skipped_origins.end());
  EXPECT_EQ(distinct.size(), skipped_origins.size());
  // The summary on stderr says the same.
  EXPECT_NE(r.err.find("storysift: read " + std::to_string(read) + ", processed " +
                       std::to_string(c.processed_ids.size()) + ", skipped " +
                       std::to_string(skipped_total)),
            std::string::npos)
      << r.err;
  // j16 repeats j1's text: the bad records around them did not stop dedup.
  for (const std::string& line : lines) {
    if (JsonField(line, "id") == "j16") {
      EXPECT_EQ(JsonField(line, "role"), "copy") << line;
      EXPECT_EQ(JsonField(line, "representative_id"), "j1") << line;
    }
  }
}

TEST(CliBadInputTest, ClusterOutputHoldsEveryProcessedDocumentOnce) {
  TempDir dir;
  const BadCorpus c = MakeBadCorpus(dir.path());
  const CliResult r = RunCli(
      Args({"cluster", "-o", dir / "stories.jsonl", "--report", dir / "report.json"}, c),
      dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string stories = ReadFileOrEmpty(dir / "stories.jsonl");
  std::vector<std::string> ids;
  const std::regex article("\\{\"id\":\"([^\"]*)\",\"novelty\"");
  for (auto it = std::sregex_iterator(stories.begin(), stories.end(), article);
       it != std::sregex_iterator(); ++it) {
    ids.push_back((*it)[1]);
  }
  std::vector<std::string> expected = c.processed_ids;
  std::sort(expected.begin(), expected.end());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, expected) << stories;
  const std::string report = ReadFileOrEmpty(dir / "report.json");
  EXPECT_EQ(JsonInt(report, "read"),
            JsonInt(report, "processed") + JsonInt(report, "skipped"));
  EXPECT_EQ(JsonInt(report, "processed"), static_cast<int64_t>(expected.size()));
}

TEST(CliBadInputTest, StrictFailsBeforeWritingAnyOutput) {
  TempDir dir;
  const BadCorpus c = MakeBadCorpus(dir.path());
  const CliResult r = RunCli(Args({"dedup", "--strict", "-o", dir / "out.jsonl"}, c),
                             dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--strict: 13 record(s) skipped; first at "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("docs.jsonl:3: line is JSON but not an object"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "out.jsonl"));
  for (const std::string& name : dir.List()) {
    EXPECT_EQ(name.find(".tmp."), std::string::npos) << name;
  }
  // To standard output: nothing either.
  const CliResult to_stdout = RunCli(Args({"dedup", "--strict"}, c), dir.path());
  EXPECT_EQ(to_stdout.exit_code, 1);
  EXPECT_EQ(to_stdout.out, "");
  const CliResult normalize = RunCli(Args({"normalize", "--strict"}, c), dir.path());
  EXPECT_EQ(normalize.exit_code, 1);
  EXPECT_EQ(normalize.out, "");
}

TEST(CliBadInputTest, StrictFailsOnWarningsAloneAndPassesCleanInput) {
  TempDir dir;
  // 0x81 is not UTF-8 and not Windows-1252 either: U+FFFD, a warning.
  WriteFile(dir / "repaired.jsonl", JsonDoc("a", "bad \x81 byte " + Prose("x")));
  const CliResult r = RunCli({"dedup", "--strict", dir / "repaired.jsonl"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--strict: 1 warning(s); first at "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("repaired.jsonl:1: invalid UTF-8"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");

  // A text file's date line with an impossible date, as the same date in a
  // JSON record (it passed, the line left in the text).
  WriteFile(dir / "day/a.txt", "date 2017-02-30\n" + Prose("x"));
  const CliResult bad_date = RunCli({"dedup", "--strict", dir / "day/a.txt"}, dir.path());
  EXPECT_EQ(bad_date.exit_code, 1) << bad_date.err;
  EXPECT_NE(bad_date.err.find("--strict: 1 warning(s); first at "), std::string::npos)
      << bad_date.err;
  EXPECT_NE(bad_date.err.find("a.txt: date not understood"), std::string::npos) << bad_date.err;
  EXPECT_EQ(bad_date.out, "");

  WriteFile(dir / "clean.jsonl", JsonDoc("a", Prose("x")) + JsonDoc("b", Prose("y")));
  const CliResult clean = RunCli({"dedup", "--strict", dir / "clean.jsonl"}, dir.path());
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(SplitLines(clean.out).size(), 2u);
}

// A NUL in text is valid input (JSON's \u0000; a 0 byte in CSV or a text
// file), not invalid UTF-8: it is removed and reported as what it is, with
// the record's place, in JSON lines, CSV and text files alike.
TEST(CliBadInputTest, NulCharactersAreRemovedAndReportedAsNul) {
  TempDir dir;
  WriteFile(dir / "nul.jsonl", JsonDoc("a", Prose("x")) +
                                   JsonDoc("b", "before\\u0000after " + Prose("y")));
  WriteFile(dir / "nul.csv", "id,text\nc," + Prose("z") + std::string("\0", 1) + "end\n");
  WriteFile(dir / "nul.txt", Prose("w") + std::string(9000, ' ') + std::string("\0", 1) + "end");
  const std::string report = dir / "report.json";
  const CliResult r = RunCli({"normalize", "--json", dir / "nul.jsonl", dir / "nul.csv",
                              dir / "nul.txt", "--report", report},
                             dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  EXPECT_NE(JsonField(lines[1], "clean").find("beforeafter"), std::string::npos) << lines[1];
  EXPECT_EQ(r.err.find("invalid UTF-8"), std::string::npos) << r.err;
  for (const char* origin : {"nul.jsonl:2: ", "nul.csv:2: ", "nul.txt: "}) {
    EXPECT_NE(r.err.find(std::string(origin) + "NUL character"), std::string::npos)
        << origin << "\n" << r.err;
  }
  const std::string json = ReadFileOrEmpty(report);
  EXPECT_EQ(JsonInt(json, "nul_removed"), 3) << json;
  EXPECT_EQ(JsonInt(json, "utf8_repaired"), 0) << json;
  EXPECT_NE(json.find("\"reason\":\"nul_removed\""), std::string::npos) << json;

  // --strict fails on it, naming it.
  const CliResult strict = RunCli({"dedup", "--strict", dir / "nul.jsonl"}, dir.path());
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("nul.jsonl:2: NUL character"), std::string::npos) << strict.err;
}

TEST(CliBadInputTest, MaxDocBytesTruncatesAndReports) {
  TempDir dir;
  WriteFile(dir / "long.jsonl", JsonDoc("long", std::string(5000, 'a') + " end"));
  const CliResult r = RunCli({"normalize", "--json", "--max-doc-bytes", "100",
                              dir / "long.jsonl"},
                             dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "clean"), std::string(100, 'a'));
  EXPECT_NE(r.err.find("long.jsonl:1: text truncated to 100 bytes"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("1 truncated"), std::string::npos) << r.err;
}

TEST(CliBadInputTest, UsageErrorsExitTwoAndInputErrorsExitOne) {
  TempDir dir;
  WriteFile(dir / "ok.jsonl", JsonDoc("a", Prose("x")));
  EXPECT_EQ(RunCli({"dedup"}, dir.path()).exit_code, 2);
  EXPECT_EQ(RunCli({"dedup", "--no-such-flag", dir / "ok.jsonl"}, dir.path()).exit_code, 2);
  EXPECT_EQ(RunCli({"frobnicate"}, dir.path()).exit_code, 2);
  const CliResult bad_value =
      RunCli({"dedup", "--threshold", "1.5", dir / "ok.jsonl"}, dir.path());
  EXPECT_EQ(bad_value.exit_code, 2);
  EXPECT_NE(bad_value.err.find("--threshold"), std::string::npos) << bad_value.err;
  EXPECT_EQ(RunCli({"dedup", "--method", "lsh", dir / "ok.jsonl"}, dir.path()).exit_code, 2);
  EXPECT_EQ(RunCli({"stats", "--input-format", "xml", dir / "ok.jsonl"}, dir.path()).exit_code, 2);

  const CliResult missing =
      RunCli({"dedup", dir / "ok.jsonl", dir / "no-such-file.jsonl"}, dir.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no-such-file.jsonl"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.out, "");

  // A CSV without a text column fails the run at the end, naming the file,
  // after the other inputs were read; nothing is written.
  WriteFile(dir / "no_text.csv", "id,title\n1,Hello\n");
  const CliResult no_text =
      RunCli({"dedup", dir / "no_text.csv", dir / "ok.jsonl", "--report", dir / "r.json"},
             dir.path());
  EXPECT_EQ(no_text.exit_code, 1);
  EXPECT_NE(no_text.err.find("no_text.csv: CSV header (line 1) has no text column"),
            std::string::npos)
      << no_text.err;
  EXPECT_EQ(no_text.out, "");
  const std::string report = ReadFileOrEmpty(dir / "r.json");
  EXPECT_NE(report.find("\"processed\":1"), std::string::npos) << report;
  EXPECT_NE(report.find("\"no_text_column\":1"), std::string::npos) << report;
}

// The tester's inputs: records neither invented nor lost, every file of a
// directory accounted for.
TEST(CliBadInputTest, WellQuotedCsvRowOfTooManyFieldsIsOneSkipNotTwoRecords) {
  TempDir dir;
  WriteFile(dir / "m.csv", "id,text\n4,\"multi\nline\",extra\n5,five\n");
  const CliResult strict = RunCli({"dedup", dir / "m.csv", "--strict"}, dir.path());
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
  EXPECT_EQ(strict.out, "");
  const CliResult r = RunCli({"dedup", dir / "m.csv", "--report", dir / "r.json"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(JsonField(lines[0], "reason"), "bad_columns");
  EXPECT_EQ(JsonField(lines[1], "id"), "5");
  const std::string report = ReadFileOrEmpty(dir / "r.json");
  EXPECT_NE(report.find("\"read\":2"), std::string::npos) << report;
}

TEST(CliBadInputTest, CsvHeaderNamingAColumnTwiceIsAnErrorNotASilentChoice) {
  TempDir dir;
  WriteFile(dir / "dup.csv", "id,text,text\n1,first body,second body\n");
  const CliResult r = RunCli({"dedup", dir / "dup.csv"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("dup.csv:1: the CSV header names column \"text\" more than once: "
                       "columns 2 (\"text\"), 3 (\"text\")"),
            std::string::npos)
      << r.err;
}

TEST(CliBadInputTest, ArrayWithoutItsClosingBracketKeepsItsLastElement) {
  TempDir dir;
  WriteFile(dir / "arr2.json",
            "[{\"id\":\"x\",\"text\":\"a b c\"},\n{\"id\":\"y\",\"text\":\"second\"}\n");
  const CliResult r = RunCli({"normalize", dir / "arr2.json", "--json"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(JsonField(lines[1], "id"), "y");
  EXPECT_NE(r.err.find("arr2.json:1: invalid JSON: the array opened at line 1 is not closed"),
            std::string::npos)
      << r.err;
}

TEST(CliBadInputTest, EveryFileOfADirectoryIsReadOrCountedInTheReport) {
  TempDir dir;
  const std::string crawl = dir / "crawl";
  WriteFile(crawl + "/b", JsonDoc("b1", Prose("gamma")) + JsonDoc("b2", Prose("delta")));
  ASSERT_EQ(std::system(("gzip '" + crawl + "/b'").c_str()), 0);
  WriteFile(crawl + "/f.jsonlines", JsonDoc("f1", Prose("epsilon")));
  WriteFile(crawl + "/notes", "Crawled on Monday.\n");
  WriteFile(crawl + "/.DS_Store", std::string("\0\0\0\1Bud1", 8));
  const CliResult r =
      RunCli({"stats", crawl, "--report", dir / "r.json"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string said = r.out + r.err;  // stats prints its accounting on stdout.
  EXPECT_NE(said.find("notes: not read: its name has no document extension"), std::string::npos)
      << said;
  const std::string report = ReadFileOrEmpty(dir / "r.json");
  EXPECT_NE(report.find("\"processed\":3"), std::string::npos) << report;
  EXPECT_NE(report.find("\"unrecognised_file\":1"), std::string::npos) << report;
  EXPECT_EQ(report.find("DS_Store"), std::string::npos) << report;
  EXPECT_EQ(RunCli({"stats", crawl, "--strict"}, dir.path()).exit_code, 1);
}

}  // namespace
}  // namespace storysift::cli_test
