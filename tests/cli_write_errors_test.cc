// End-to-end: a command whose standard output cannot be written (a full
// disk, `> /dev/full`) fails with exit 1 naming it, whatever the command and
// however it prints; `state recover`, which cannot be run again for the same
// report, puts its report on stderr instead.
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "state_test_util.h"

namespace storysift::cli_test {
namespace {

using state_test::WriteDay;

constexpr char kFull[] = "/dev/full";
constexpr char kCannotWrite[] = "cannot write standard output: No space left on device";

bool HaveDevFull() { return fs::exists(kFull); }

// The generation CURRENT names: DIR/gen-NNNNNN.
std::string LiveGeneration(const std::string& state) {
  const std::string current = ReadFileOrEmpty(state + "/CURRENT");
  return state + "/" + current.substr(0, current.find(' '));
}

TEST(CliWriteErrorsTest, EveryCommandThatPrintsFailsWhenStdoutCannotBeWritten) {
  if (!HaveDevFull()) GTEST_SKIP() << "no /dev/full here";
  TempDir tmp;
  const std::string day = tmp / "day.jsonl";
  WriteDay(day, 1, 20);
  const std::string index = tmp / "feed.idx", model = tmp / "model.bin", state = tmp / "st";
  ASSERT_EQ(RunCli({"index", "build", day, "-o", index, "-q"}, tmp.path()).exit_code, 0);
  ASSERT_EQ(RunCli({"idf", "build", day, "-o", model, "-q"}, tmp.path()).exit_code, 0);
  ASSERT_EQ(RunCli({"cluster", day, "--state", state, "-q", "-o", tmp / "s.jsonl"}, tmp.path())
                .exit_code,
            0);
  const std::vector<std::vector<std::string>> commands = {
      {"stats", day, "--json", "-q"}, {"stats", day, "-q"},       {"index", "info", index},
      {"idf", "info", model},         {"state", "verify", state}, {"dedup", day, "-q"},
      {"--help"},                     {"state", "recover", state}};
  for (const std::vector<std::string>& args : commands) {
    const std::string what = args[0] + (args.size() > 1 ? " " + args[1] : "");
    // Each works with a writable stdout...
    const CliResult fine = RunCli(args, tmp.path());
    ASSERT_EQ(fine.exit_code, 0) << what << ": " << fine.err;
    EXPECT_FALSE(fine.out.empty()) << what;
    // ...and fails, saying why once, when it is not.
    const CliResult full = RunCli(args, tmp.path(), "/dev/null", kFull);
    EXPECT_EQ(full.exit_code, 1) << what << ": " << full.err;
    const size_t said = full.err.find(kCannotWrite);
    EXPECT_NE(said, std::string::npos) << what << ": " << full.err;
    EXPECT_EQ(full.err.find(kCannotWrite, said + 1), std::string::npos) << what << ": " << full.err;
  }
}

// The recovery is committed before its report is printed, and a second
// `recover` finds nothing to recover: the list of what was lost must not go
// to a stdout that cannot take it and vanish.
TEST(CliWriteErrorsTest, StateRecoverPutsItsReportOnStderrWhenStdoutFails) {
  if (!HaveDevFull()) GTEST_SKIP() << "no /dev/full here";
  TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 20);
  WriteDay(tmp / "d2.jsonl", 2, 20);
  const std::string state = tmp / "st";
  for (const char* day : {"d1.jsonl", "d2.jsonl"}) {
    ASSERT_EQ(RunCli({"cluster", tmp / day, "--state", state, "-q", "-o", tmp / "s.jsonl"},
                     tmp.path())
                  .exit_code,
              0);
  }
  const std::string stories = LiveGeneration(state) + "/stories.jsonl";
  std::string bytes = ReadFileOrEmpty(stories);
  ASSERT_GT(bytes.size(), 20u);
  bytes[10] ^= 0x10;
  WriteFile(stories, bytes);

  const CliResult recover = RunCli({"state", "recover", state}, tmp.path(), "/dev/null", kFull);
  EXPECT_EQ(recover.exit_code, 1) << recover.err;
  EXPECT_NE(recover.err.find(kCannotWrite), std::string::npos) << recover.err;
  EXPECT_NE(recover.err.find("lost: 20 documents"), std::string::npos) << recover.err;
  EXPECT_NE(recover.err.find("d2-"), std::string::npos) << recover.err;
  // The recovery itself stands.
  const CliResult again = RunCli({"state", "recover", state}, tmp.path());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to recover"), std::string::npos) << again.out;
  EXPECT_EQ(RunCli({"state", "verify", state}, tmp.path()).exit_code, 0);
}

}  // namespace
}  // namespace storysift::cli_test
