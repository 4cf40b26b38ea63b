// Standard output of the commands that commit something (`cluster --state`,
// `index build|add -v -`): nothing may appear before the commit, or a run
// that then fails (a full disk, a lost lock, a crash) has told a pipe about
// stories or verdicts that the state or index never held.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "state_test_util.h"

namespace storysift::state_test {
namespace {


TEST(CliHeldStdoutTest, ClusterStateWritesNothingBeforeItsCommit) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 30);
  WriteDay(tmp / "d2.jsonl", 2, 30);
  const std::string state = tmp / "state", base = tmp / "base";
  ASSERT_EQ(RunWithFault({"cluster", tmp / "d1.jsonl", "--state", base, "-q"}, tmp.path())
                .exit_code,
            0);
  const std::vector<std::string> day2 = {"cluster", tmp / "d2.jsonl", "--state", state, "-q"};
  std::filesystem::copy(base, state, std::filesystem::copy_options::recursive);
  const CliResult whole = RunWithFault(day2, tmp.path());
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  ASSERT_NE(whole.out.find("\"new\":true"), std::string::npos);
  // Died before the commit: nothing on stdout, and the state as it was.
  for (const char* fault : {"state.gen_synced:1", "state.current.half:1"}) {
    std::filesystem::remove_all(state);
    std::filesystem::copy(base, state, std::filesystem::copy_options::recursive);
    const CliResult died = RunWithFault(day2, tmp.path(), fault);
    ASSERT_EQ(died.exit_code, kFaultExit) << fault << died.err;
    EXPECT_EQ(died.out, "") << fault;
    // Died after it: nothing yet either; the retry writes the day.
    const CliResult retry = RunWithFault(day2, tmp.path());
    ASSERT_EQ(retry.exit_code, 0) << retry.err;
    EXPECT_EQ(retry.out, whole.out) << fault;
  }
  std::filesystem::remove_all(state);
  std::filesystem::copy(base, state, std::filesystem::copy_options::recursive);
  const CliResult committed = RunWithFault(day2, tmp.path(), "state.committed:1");
  ASSERT_EQ(committed.exit_code, kFaultExit) << committed.err;
  EXPECT_EQ(committed.out, "");
  const CliResult redone = RunWithFault(day2, tmp.path());
  ASSERT_EQ(redone.exit_code, 0) << redone.err;
  EXPECT_EQ(redone.out, whole.out);
}

TEST(CliHeldStdoutTest, IndexAddPrintsVerdictsOnlyOnceTheIndexHoldsThem) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 20);
  WriteDay(tmp / "d2.jsonl", 2, 20);
  const std::string index = tmp / "i.idx";
  ASSERT_EQ(RunWithFault({"index", "build", tmp / "d1.jsonl", "-o", index, "-q"}, tmp.path())
                .exit_code,
            0);
  const std::vector<std::string> add = {"index", "add", index, tmp / "d2.jsonl", "-v", "-", "-q"};
  // The index's own temporary file synced, not yet renamed: the process dies.
  const CliResult died = RunWithFault(add, tmp.path(), "output.synced:1");
  ASSERT_EQ(died.exit_code, kFaultExit) << died.err;
  EXPECT_EQ(died.out, "");
  const CliResult done = RunWithFault(add, tmp.path());
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(done.out.find("\"verdict\":\"new\""), std::string::npos) << done.out;
  size_t lines = 0;
  for (char c : done.out) lines += c == '\n';
  EXPECT_EQ(lines, 20u);
}

}  // namespace
}  // namespace storysift::state_test
