// `cluster --state --report`: every record of the day's input is accounted
// for, also those the state already holds, which the run does not read
// again (they are skips of their own reasons, counted in the report and the
// summary, listed in the report, passed by --strict).
#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "state_test_util.h"

namespace storysift::state_test {
namespace {

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t p = text.find(part); p != std::string::npos; p = text.find(part, p + 1)) ++n;
  return n;
}

// The lines of `path`.
std::vector<std::string> Lines(const std::string& path) {
  return cli_test::SplitLines(cli_test::ReadFileOrEmpty(path));
}

std::vector<std::string> StateRun(const std::string& day, const std::string& state,
                                  const std::string& report) {
  return {"cluster", day, "--state", state, "-o", "/dev/null", "--report", report};
}

// A day run again read its records, found them all in the state and left
// them out of the report: "read 20, processed 20" were the state's own
// documents, and the day's 20 records were nowhere.
TEST(CliStateReportTest, SameDayAgainCountsEveryRecordAsUnchanged) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 20);
  const std::string state = tmp / "state";
  const CliResult first = RunWithFault(StateRun(tmp / "d1.jsonl", state, tmp / "r1"), tmp.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(cli_test::ReadFileOrEmpty(tmp / "r1")
                .find("\"state\":{\"state_documents\":0,\"unchanged\":0,\"archived_unchanged\":0,"
                      "\"updated\":0}"),
            std::string::npos);

  std::vector<std::string> again = StateRun(tmp / "d1.jsonl", state, tmp / "r2");
  again.push_back("--strict");  // Nothing of them is lost: --strict passes them.
  const CliResult r = RunWithFault(again, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string report = cli_test::ReadFileOrEmpty(tmp / "r2");
  EXPECT_EQ(report.rfind("{\"read\":40,\"processed\":20,\"skipped\":20,\"skipped_by_reason\":{"
                         "\"unchanged\":20}",
                         0),
            0u)
      << report;
  EXPECT_EQ(Count(report, "\"reason\":\"unchanged\""), 20u) << report;
  EXPECT_NE(report.find("d1.jsonl:20\""), std::string::npos) << report;
  EXPECT_NE(report.find("\"state\":{\"state_documents\":20,\"unchanged\":20,"
                        "\"archived_unchanged\":0,\"updated\":0}"),
            std::string::npos)
      << report;
  // Counted on stderr, not listed one by one: nothing is wrong with them.
  EXPECT_NE(r.err.find("read 40, processed 20, skipped 20 (unchanged: 20)"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("storysift: skipped "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("more skipped"), std::string::npos) << r.err;
}

// Tomorrow's feed repeats four of today's items unchanged and one edited:
// the four are unchanged skips, the edited one an update; the report's
// counts add up to the state's documents and every record of the input.
TEST(CliStateReportTest, DayOverlappingYesterdayCountsTheRecordsItRepeats) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 20);
  WriteDay(tmp / "d2.jsonl", 2, 20);
  const std::vector<std::string> yesterday = Lines(tmp / "d1.jsonl");
  {
    std::ofstream out(tmp / "d2o.jsonl");
    for (int i = 0; i < 4; ++i) out << yesterday[i] << "\n";
    std::string edited = yesterday[4];
    edited.replace(edited.find("\"text\":\""), 8, "\"text\":\"Corrected. ");
    out << edited << "\n";
    for (const std::string& line : Lines(tmp / "d2.jsonl")) out << line << "\n";
  }
  const std::string state = tmp / "state";
  ASSERT_EQ(RunWithFault(StateRun(tmp / "d1.jsonl", state, tmp / "r1"), tmp.path()).exit_code, 0);
  const CliResult r = RunWithFault(StateRun(tmp / "d2o.jsonl", state, tmp / "r2"), tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string report = cli_test::ReadFileOrEmpty(tmp / "r2");
  // 19 stored documents (the edited one's old version is replaced) and the
  // day's 25 records: 20 new, 1 update, 4 unchanged.
  EXPECT_EQ(report.rfind("{\"read\":44,\"processed\":40,\"skipped\":4,\"skipped_by_reason\":{"
                         "\"unchanged\":4}",
                         0),
            0u)
      << report;
  for (int line = 1; line <= 4; ++line) {
    EXPECT_NE(report.find(absl::StrCat("d2o.jsonl:", line, "\"")), std::string::npos)
        << line << ": " << report;
  }
  EXPECT_EQ(report.find("d2o.jsonl:5\""), std::string::npos) << report;
  EXPECT_NE(report.find("\"state\":{\"state_documents\":19,\"unchanged\":4,"
                        "\"archived_unchanged\":0,\"updated\":1}"),
            std::string::npos)
      << report;
  EXPECT_NE(r.err.find("read 44, processed 40, skipped 4 (unchanged: 4)"), std::string::npos)
      << r.err;
}

// A day run again after its stories were archived: its records are known
// as archived, counted as archived_unchanged.
TEST(CliStateReportTest, DayAgainAfterArchivingCountsItsRecordsAsArchivedUnchanged) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 20);
  WriteDay(tmp / "d9.jsonl", 9, 20);  // Eight days on: day 1's stories are archived.
  const std::string state = tmp / "state";
  ASSERT_EQ(RunWithFault(StateRun(tmp / "d1.jsonl", state, tmp / "r1"), tmp.path()).exit_code, 0);
  ASSERT_EQ(RunWithFault(StateRun(tmp / "d9.jsonl", state, tmp / "r9"), tmp.path()).exit_code, 0);
  const CliResult r = RunWithFault(StateRun(tmp / "d1.jsonl", state, tmp / "r1b"), tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string report = cli_test::ReadFileOrEmpty(tmp / "r1b");
  EXPECT_EQ(report.rfind("{\"read\":40,\"processed\":20,\"skipped\":20,\"skipped_by_reason\":{"
                         "\"archived_unchanged\":20}",
                         0),
            0u)
      << report;
  EXPECT_NE(report.find("\"state\":{\"state_documents\":20,\"unchanged\":0,"
                        "\"archived_unchanged\":20,\"updated\":0}"),
            std::string::npos)
      << report;
}

}  // namespace
}  // namespace storysift::state_test
