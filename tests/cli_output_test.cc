// End-to-end: output files appear under their final name only when a run
// succeeds (written to a temporary file and renamed into place), and a
// failed run leaves neither the final file nor a temporary one behind.
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

std::string Doc(const std::string& id) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += id + "word" + std::to_string(i) + " ";
  return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}\n";
}

void ExpectNoTempFiles(const TempDir& dir) {
  for (const std::string& name : dir.List()) {
    EXPECT_EQ(name.find(".tmp."), std::string::npos) << "left behind: " << name;
  }
}

TEST(CliOutputTest, SuccessfulRunLeavesOnlyTheFinalFile) {
  TempDir dir;
  WriteFile(dir / "in.jsonl", Doc("a") + Doc("b"));
  const CliResult r = RunCli({"dedup", dir / "in.jsonl", "-o", dir / "out.jsonl", "--report",
                              dir / "report.json"},
                             dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"in.jsonl", "out.jsonl", "report.json"}));
  EXPECT_EQ(SplitLines(ReadFileOrEmpty(dir / "out.jsonl")).size(), 2u);
}

TEST(CliOutputTest, RunFailingAfterOutputWasOpenedLeavesNoFile) {
  TempDir dir;
  // The missing text column is found on the first read, after -o is open.
  WriteFile(dir / "bad.csv", "id,title\n1,Hello\n");
  for (const char* command : {"dedup", "normalize"}) {
    const CliResult r = RunCli({command, dir / "bad.csv", "-o", dir / "out"}, dir.path());
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_NE(r.err.find("bad.csv"), std::string::npos) << r.err;
    EXPECT_EQ(dir.List(), std::vector<std::string>{"bad.csv"}) << command;
  }
}

TEST(CliOutputTest, FailedRunKeepsAnEarlierOutputIntact) {
  TempDir dir;
  WriteFile(dir / "good.jsonl", Doc("a"));
  WriteFile(dir / "bad.jsonl", Doc("b") + "not json\n");
  ASSERT_EQ(RunCli({"dedup", dir / "good.jsonl", "-o", dir / "out.jsonl"}, dir.path()).exit_code,
            0);
  const std::string before = ReadFileOrEmpty(dir / "out.jsonl");
  ASSERT_NE(before, "");
  const CliResult r =
      RunCli({"dedup", "--strict", dir / "bad.jsonl", "-o", dir / "out.jsonl"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(ReadFileOrEmpty(dir / "out.jsonl"), before);
  ExpectNoTempFiles(dir);
}

TEST(CliOutputTest, UnwritableOutputPathFailsNamingIt) {
  TempDir dir;
  WriteFile(dir / "in.jsonl", Doc("a"));
  const std::string out = dir / "no/such/dir/out.jsonl";
  const CliResult r = RunCli({"dedup", dir / "in.jsonl", "-o", out}, dir.path());
  // A usage error found before anything is read (exit 1, when the run had
  // found it, before session 24).
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("-o " + out + " cannot be created: its directory " +
                       (dir / "no/such/dir") + " does not exist"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "no"));
}

}  // namespace
}  // namespace storysift::cli_test
