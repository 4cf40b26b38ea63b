// End-to-end input handling through the storysift binary: compressed stdin,
// runs that read nothing, named fields that no record has, --encoding,
// progress on stderr only, and skipped records bounded in memory but listed
// in full in --report.
#include <cstdlib>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "storysift/report.h"

namespace storysift::cli_test {
namespace {

const char kTwoDocs[] =
    "{\"id\":\"a\",\"text\":\"The senator met the Russian ambassador twice last year.\"}\n"
    "{\"id\":\"b\",\"text\":\"Markets rallied after the central bank held rates.\"}\n";

TEST(CliInputTest, GzipOnStdinGivesTheSameDedupOutputAsThePlainFile) {
  const TempDir tmp;
  const std::string plain = tmp.path() + "/day.jsonl";
  WriteFile(plain, kTwoDocs);
  const std::string gz = tmp.path() + "/day.bin";
  ASSERT_EQ(std::system(("gzip -c '" + plain + "' > '" + gz + "'").c_str()), 0);
  const CliResult a = RunCli({"dedup", plain, "-q"}, tmp.path());
  const CliResult b = RunCli({"dedup", "-", "-q"}, tmp.path(), gz);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(SplitLines(a.out).size(), 2u);
}

TEST(CliInputTest, RunThatReadsNoDocumentExitsOneNamingEachInputAndWhy) {
  const TempDir tmp;
  const std::string bad = tmp.path() + "/day.json";
  WriteFile(bad, "[1, 2, 3]");
  const std::string empty = tmp.path() + "/empty.jsonl";
  WriteFile(empty, "");
  for (const char* command : {"cluster", "dedup", "stats", "normalize"}) {
    const CliResult r = RunCli({command, bad, empty}, tmp.path());
    EXPECT_EQ(r.exit_code, 1) << command << ": " << r.err;
    EXPECT_NE(r.err.find("day.json: 0 documents (3 records skipped: not_object)"),
              std::string::npos)
        << command << ": " << r.err;
    EXPECT_NE(r.err.find("empty.jsonl: 0 documents (no records)"), std::string::npos) << r.err;
  }
  // An empty input beside a good one is named, and the run succeeds.
  const std::string good = tmp.path() + "/good.jsonl";
  WriteFile(good, kTwoDocs);
  const CliResult ok = RunCli({"dedup", good, empty}, tmp.path());
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.err.find("warning: " + empty + ": 0 documents"), std::string::npos) << ok.err;
}

TEST(CliInputTest, NamedFieldThatNoRecordHasExitsOneListingTheFieldsSeen) {
  const TempDir tmp;
  const std::string path = tmp.path() + "/day.jsonl";
  WriteFile(path, kTwoDocs);
  const CliResult r = RunCli({"dedup", path, "--title-field", "nosuch"}, tmp.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no record has the field \"nosuch\"; fields seen: id, text"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty());
  const CliResult dotted = RunCli({"stats", path, "--date-field", "meta.date", "-q"}, tmp.path());
  EXPECT_EQ(dotted.exit_code, 1) << dotted.err;
}

TEST(CliInputTest, EncodingFlagTranscodesAndAnUnknownNameIsAUsageError) {
  const TempDir tmp;
  const std::string path = tmp.path() + "/latin.txt";
  WriteFile(path, "\xA3" "100 caf\xE9 prices rose in the market today");
  const CliResult r = RunCli({"normalize", path, "--encoding", "windows-1252", "--json"},
                             tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("caf\xC3\xA9"), std::string::npos) << r.out;
  const CliResult bad = RunCli({"stats", path, "--encoding", "klingon"}, tmp.path());
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("klingon"), std::string::npos);
}

TEST(CliInputTest, EncodingIsNotAppliedToTheStatesOwnUtf8Documents) {
  const TempDir tmp;
  const std::string state = tmp.path() + "/state";
  WriteFile(tmp.path() + "/d1/a.txt", "Caf\xE9 owners in Paris protest the new tax on terraces");
  WriteFile(tmp.path() + "/d2/b.txt", "Farmers block roads near Lyon over fuel prices today");
  for (const char* day : {"/d1", "/d2"}) {
    const CliResult r = RunCli({"cluster", tmp.path() + day, "--state", state, "--encoding",
                                "windows-1252", "-o", tmp.path() + day + ".out", "-q"},
                               tmp.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string all;
  for (const auto& entry : fs::recursive_directory_iterator(state)) {
    if (entry.is_regular_file()) all += testing_util::ReadFileOrEmpty(entry.path().string());
  }
  EXPECT_NE(all.find("Caf\xC3\xA9 owners"), std::string::npos);
  EXPECT_EQ(all.find("Caf\xC3\x83"), std::string::npos);  // Not decoded twice.
}

TEST(CliInputTest, ProgressGoesToStderrOnlyWhenAskedAndQuietSilencesIt) {
  const TempDir tmp;
  std::string many;
  for (int i = 0; i < 200000; ++i) {
    many += "{\"id\":\"" + std::to_string(i) + "\",\"text\":\"word" + std::to_string(i) +
            " alpha beta gamma delta " + std::to_string(i * 31) + "\"}\n";
  }
  const std::string path = tmp.path() + "/many.jsonl";
  WriteFile(path, many);
  const CliResult plain = RunCli({"stats", path, "--json"}, tmp.path());
  const CliResult shown = RunCli({"stats", path, "--json", "--progress"}, tmp.path());
  const CliResult quiet = RunCli({"stats", path, "--json", "--progress", "-q"}, tmp.path());
  ASSERT_EQ(plain.exit_code, 0);
  ASSERT_EQ(shown.exit_code, 0);
  EXPECT_EQ(plain.out, shown.out);  // Never on stdout.
  EXPECT_EQ(plain.err.find("\rstorysift:"), std::string::npos);  // Not a terminal.
  EXPECT_TRUE(quiet.err.empty()) << quiet.err;
  // The meter draws every 250 ms; a run this short may end before the
  // first line, so its format is checked only when one was drawn.
  const size_t at = shown.err.find("\rstorysift: ");
  if (at != std::string::npos) {
    EXPECT_NE(shown.err.find(" records, ", at), std::string::npos) << shown.err;
    EXPECT_NE(shown.err.find("MB/s", at), std::string::npos) << shown.err;
  }
}

TEST(CliInputTest, DeepDirectoryOfJsonLinesReadsUnderUlimitN64) {
  const TempDir tmp;
  std::string dir = tmp.path() + "/tree";
  constexpr int kDepth = 200;
  for (int i = 0; i < kDepth; ++i) {
    dir += "/level";
    WriteFile(dir + "/day.jsonl", "{\"id\":\"d" + std::to_string(i) +
                                      "\",\"text\":\"story number " + std::to_string(i) +
                                      " about markets\"}\n");
  }
  const std::string cmd = "ulimit -n 64 && " + ShellQuote(STORYSIFT_CLI_PATH) + " stats " +
                          ShellQuote(tmp.path() + "/tree") + " --json > " +
                          ShellQuote(tmp.path() + "/out.json") + " 2>&1";
  ASSERT_EQ(std::system(("bash -c " + ShellQuote(cmd)).c_str()), 0)
      << testing_util::ReadFileOrEmpty(tmp.path() + "/out.json");
  const std::string out = testing_util::ReadFileOrEmpty(tmp.path() + "/out.json");
  EXPECT_NE(out.find("\"processed\":200"), std::string::npos) << out;
  EXPECT_NE(out.find("\"skipped\":0"), std::string::npos) << out;
}

TEST(CliInputTest, ManySkippedRecordsAreAllInTheReportButFewInMemory) {
  const TempDir tmp;
  std::string lines;
  constexpr int kBad = 50000;
  for (int i = 0; i < kBad; ++i) lines += "not json " + std::to_string(i) + "\n";
  lines += kTwoDocs;
  const std::string path = tmp.path() + "/noisy.jsonl";
  WriteFile(path, lines);
  const std::string report = tmp.path() + "/report.json";
  const CliResult r = RunCli({"stats", path, "--report", report, "-q"}, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string json = testing_util::ReadFileOrEmpty(report);
  EXPECT_NE(json.find("\"skipped\":50000"), std::string::npos);
  size_t listed = 0;
  for (size_t p = json.find("\"reason\":\"invalid_json\""); p != std::string::npos;
       p = json.find("\"reason\":\"invalid_json\"", p + 1)) {
    ++listed;
  }
  EXPECT_EQ(listed, static_cast<size_t>(kBad));
  EXPECT_NE(json.find("\"origin\":\"" + path + ":50000\""), std::string::npos);
  // In memory: the first few examples a reason, not every message.
  RunReport in_memory;
  ReadRecord skip;
  skip.skip_reason = "invalid_json";
  skip.message = "invalid JSON: a long explanation that is not kept for every record";
  for (int i = 0; i < kBad; ++i) {
    skip.origin = {path, static_cast<uint64_t>(i + 1)};
    in_memory.AddSkipped(skip);
  }
  EXPECT_EQ(in_memory.skipped(), kBad);
  EXPECT_EQ(in_memory.skip_examples().size(), RunReport::kMaxSkipExamples);
  EXPECT_EQ(in_memory.skipped_origin(kBad - 1).line, static_cast<uint64_t>(kBad));
  EXPECT_EQ(in_memory.skipped_reason(kBad - 1), "invalid_json");
}

}  // namespace
}  // namespace storysift::cli_test
