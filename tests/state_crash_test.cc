// Crash harness for `cluster --state`: a fault (an _exit at a named step,
// see lib/src/state/fault_point.h) at every step of the commit protocol,
// and crashes many times in a row (kill -9 and concurrent writers are in
// state_concurrency_test.cc). After each, the state loads, verifies and
// holds either the previous or the new day: nothing committed is lost.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <span>
#include <thread>

#include "gtest/gtest.h"
#include "state_test_util.h"

namespace storysift::state_test {
namespace {

namespace fs = std::filesystem;

struct Step {
  const char* name;
  int times;  // How often one `cluster --state` run reaches it.
};

// Every step of a commit onto a state of two generations (gen-3 onto gen-2,
// pruning gen-1), in order.
const Step kCommitSteps[] = {
    {"state.gen_dir", 1},       {"state.linked", 1},          {"state.file.half", 3},
    {"state.file.synced", 3},
    {"state.manifest.half", 1}, {"state.manifest.synced", 1}, {"state.gen_synced", 1},
    {"state.current.half", 1},  {"state.current.synced", 1},  {"state.committed", 1},
    {"state.pruned", 1},        {"output.synced", 1},         {"output.renamed", 1},
};

void CopyTree(const std::string& from, const std::string& to) {
  fs::remove_all(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

// --report was published before the state's commit: a run killed (or
// failing on a full disk) there left a report of documents processed in a
// day the state does not hold. It appears with -o, after the commit.
TEST(StateCrashTest, ReportAppearsOnlyOnceTheStateIsCommitted) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 30);
  const std::string state = tmp / "state";
  std::vector<std::string> args = ClusterArgs(tmp / "d1.jsonl", state, tmp / "o1");
  args.insert(args.end(), {"--report", tmp / "r1.json"});
  for (const char* fault : {"state.gen_dir:1", "state.gen_synced:1"}) {
    const CliResult r = RunWithFault(args, tmp.path(), fault);
    ASSERT_EQ(r.exit_code, kFaultExit) << fault << ": " << r.err;
    EXPECT_FALSE(fs::exists(tmp / "r1.json")) << fault;
    EXPECT_FALSE(fs::exists(tmp / "o1")) << fault;
  }
  const CliResult done = RunWithFault(args, tmp.path());
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(cli_test::ReadFileOrEmpty(tmp / "r1.json").find("\"processed\":30"),
            std::string::npos);
}

// The run's summary ("30 documents, ...", "state DIR: ... N new stories")
// was printed before the commit: a run killed there (or failing on a full
// disk) left a log claiming a day the state does not hold. It is printed
// once the state is committed.
TEST(StateCrashTest, SummaryIsPrintedOnlyOnceTheStateIsCommitted) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 30);
  const std::string state = tmp / "state";
  const std::vector<std::string> args = {"cluster", tmp / "d1.jsonl", "--state", state,
                                         "-o",      tmp / "o1"};
  for (const char* fault : {"state.gen_dir:1", "state.manifest.synced:1"}) {
    const CliResult r = RunWithFault(args, tmp.path(), fault);
    ASSERT_EQ(r.exit_code, kFaultExit) << fault << ": " << r.err;
    EXPECT_EQ(r.err.find("new stories"), std::string::npos) << fault << ": " << r.err;
    EXPECT_EQ(r.err.find("processed"), std::string::npos) << fault << ": " << r.err;
    EXPECT_EQ(r.err.find("copy groups"), std::string::npos) << fault << ": " << r.err;
    EXPECT_TRUE(StateIds(state).empty()) << fault;
  }
  const CliResult done = RunWithFault(args, tmp.path());
  ASSERT_EQ(done.exit_code, 0) << done.err;
  EXPECT_NE(done.err.find("read 30, processed 30"), std::string::npos) << done.err;
  EXPECT_NE(done.err.find("30 documents, "), std::string::npos) << done.err;
  EXPECT_NE(done.err.find("new stories"), std::string::npos) << done.err;
}

// -o's rename fails after the commit (an I/O error; -o naming a directory
// did so before it was refused up front). The state held the day, and the
// retry with a good -o wrote every story `unchanged`. It now exits 1 naming
// the committed generation, and the retry writes the day's stories as the
// first run made them.
TEST(StateCrashTest, OutputRenameFailingAfterTheCommitIsWrittenByTheRetry) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 30);
  const std::string state = tmp / "state", reference = tmp / "reference";
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d1.jsonl", reference, tmp / "expected"), tmp.path())
                .exit_code,
            0);
  const CliResult failed = RunWithFault(ClusterArgs(tmp / "d1.jsonl", state, tmp / "taken"),
                                        tmp.path(), "output.rename:1:error");
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_NE(failed.err.find("cannot rename"), std::string::npos) << failed.err;
  EXPECT_FALSE(fs::exists(tmp / "taken"));
  EXPECT_NE(failed.err.find("holds the day, generation 1: run the same input again"),
            std::string::npos)
      << failed.err;
  EXPECT_EQ(StateIds(state), StateIds(reference));
  const CliResult retry =
      RunWithFault(ClusterArgs(tmp / "d1.jsonl", state, tmp / "o1"), tmp.path());
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  const std::string expected = cli_test::ReadFileOrEmpty(tmp / "expected");
  ASSERT_NE(expected.find("\"status\":\"new\""), std::string::npos);
  EXPECT_EQ(cli_test::ReadFileOrEmpty(tmp / "o1"), expected);
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
  }
}

TEST(StateCrashTest, FaultAtEveryCommitStepLeavesThePreviousOrTheNewState) {
  const cli_test::TempDir tmp;
  const auto day1 = WriteDay(tmp / "d1.jsonl", 1, 40);
  const auto day2 = WriteDay(tmp / "d2.jsonl", 2, 40);
  const std::string base = tmp / "base", state = tmp / "state";
  for (int run = 0; run < 2; ++run) {  // Two generations: the next commit prunes one.
    ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d1.jsonl", base, tmp / "o1"), tmp.path()).exit_code,
              0);
  }
  const std::set<std::string> before = Union(day1), after = Union(day1, day2);
  ASSERT_EQ(StateIds(base), before);
  int kills = 0, old_states = 0, new_states = 0;
  for (const Step& step : kCommitSteps) {
    for (int n = 1; n <= step.times; ++n) {
      CopyTree(base, state);
      fs::remove(tmp / "o2");
      const std::string fault = absl::StrCat(step.name, ":", n);
      const CliResult r =
          RunWithFault(ClusterArgs(tmp / "d2.jsonl", state, tmp / "o2"), tmp.path(), fault);
      ASSERT_EQ(r.exit_code, kFaultExit) << fault << " was not reached: " << r.err;
      ++kills;
      const std::set<std::string> ids = StateIds(state);
      EXPECT_TRUE(ids == before || ids == after) << fault;
      (ids == before ? old_states : new_states)++;
      EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0) << fault;
      // The output appears only after the state committed.
      if (fs::exists(tmp / "o2")) {
        EXPECT_EQ(ids, after) << fault;
      }
      // The next run finishes the day and cleans up after the crash.
      const CliResult again =
          RunWithFault(ClusterArgs(tmp / "d2.jsonl", state, tmp / "o2"), tmp.path());
      ASSERT_EQ(again.exit_code, 0) << fault << ": " << again.err;
      EXPECT_EQ(StateIds(state), after) << fault;
      ExpectStateHoldsNoOrphans(state);
    }
  }
  EXPECT_EQ(kills, 17);
  EXPECT_GT(old_states, 0);
  EXPECT_GT(new_states, 0);
  std::printf("faults placed: %d (previous state kept: %d, new state committed: %d)\n", kills,
              old_states, new_states);
}

// A commit that archives writes a retired file and its id list, and carries
// the older ones (hard links); onto a state written before the lists, it
// also writes the list of each older retired file. A fault at every step of
// either: the previous or the new state, which verifies (each list its
// file's), and the day's archived documents known again after the retry.
TEST(StateCrashTest, FaultAtEveryStepOfAnArchivingCommitKeepsEachIdListItsFiles) {
  const cli_test::TempDir tmp;
  for (int day = 1; day <= 5; ++day) {
    WriteTopicalDay(tmp / absl::StrCat("t", day, ".jsonl"), day, 9);
  }
  const auto run_day = [&](int day, const std::string& state, const std::string& fault = "") {
    return RunWithFault({"cluster", tmp / absl::StrCat("t", day, ".jsonl"), "--state", state,
                         "--retention-days", "1", "-o", tmp / "o", "-q"},
                        tmp.path(), fault);
  };
  const std::string with_lists = tmp / "with", without_lists = tmp / "without";
  for (int day = 1; day <= 4; ++day) {  // Days 1 and 2 archived, each with its list.
    ASSERT_EQ(run_day(day, with_lists).exit_code, 0);
  }
  CopyTree(with_lists, without_lists);
  ReplaceIdLists(without_lists);  // As a state of session 23 holds them.
  // Day 5 archives day 3: meta, stories, documents, archive-, retired- and
  // its list written; archive.jsonl and days 1-2's three files each linked
  // (without lists: two files fewer linked, their lists written).
  const Step with_steps[] = {
      {"state.gen_dir", 1},       {"state.linked", 7},          {"state.file.half", 6},
      {"state.file.synced", 6},   {"state.manifest.half", 1},   {"state.manifest.synced", 1},
      {"state.gen_synced", 1},    {"state.current.half", 1},    {"state.current.synced", 1},
      {"state.committed", 1},     {"state.pruned", 1},          {"output.synced", 1},
      {"output.renamed", 1},
  };
  const Step without_steps[] = {
      {"state.gen_dir", 1},       {"state.linked", 5},          {"state.file.half", 8},
      {"state.file.synced", 8},   {"state.manifest.half", 1},   {"state.manifest.synced", 1},
      {"state.gen_synced", 1},    {"state.current.half", 1},    {"state.current.synced", 1},
      {"state.committed", 1},     {"state.pruned", 1},          {"output.synced", 1},
      {"output.renamed", 1},
  };
  const std::string state = tmp / "state";
  int kills = 0;
  for (const auto& [base, steps] :
       {std::pair{with_lists, std::span<const Step>(with_steps)},
        std::pair{without_lists, std::span<const Step>(without_steps)}}) {
    const std::set<std::string> before = StateIds(base);
    for (const Step& step : steps) {
      for (int n = 1; n <= step.times; ++n) {
        CopyTree(base, state);
        const std::string fault = absl::StrCat(step.name, ":", n);
        const CliResult r = run_day(5, state, fault);
        ASSERT_EQ(r.exit_code, kFaultExit) << base << " " << fault << " was not reached: " << r.err;
        ++kills;
        const std::set<std::string> ids = StateIds(state);
        EXPECT_TRUE(ids == before || ids.contains("d5-0")) << base << " " << fault;
        const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
        EXPECT_EQ(verify.exit_code, 0) << base << " " << fault << ": " << verify.err;
        ASSERT_EQ(run_day(5, state).exit_code, 0) << base << " " << fault;
        ExpectStateHoldsNoOrphans(state);
        // Every retired file has its list, and days 1 and 3 are known.
        const StoryState loaded = LoadStoryState(state).value();
        EXPECT_EQ(loaded.retired_id_lists.size(), loaded.retired.size()) << base << " " << fault;
        EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0) << fault;
        for (const int day : {1, 3}) {
          const CliResult again = RunWithFault(
              {"cluster", tmp / absl::StrCat("t", day, ".jsonl"), "--state", state,
               "--retention-days", "1", "-o", tmp / "again"},
              tmp.path());
          ASSERT_EQ(again.exit_code, 0) << again.err;
          EXPECT_NE(again.err.find("9 already archived"), std::string::npos)
              << base << " " << fault << " day " << day << ": " << again.err;
        }
      }
    }
  }
  EXPECT_EQ(kills, 29 + 31);
}

// A run that ended between its commit and the renames of its outputs left
// the day in the state without them, and the retry found every record
// unchanged: the day's stories never appeared. A fault at every step from
// the outputs' sync to the OUTPUTS mark, then the same run again: the day's
// three outputs are on disk, the bytes an uninterrupted run writes; and once
// they are, the same run again is a re-run (nothing new).
TEST(StateCrashTest, RetryAfterAFaultAtAnyStepWritesTheDaysOutputs) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1.jsonl", 1, 40);
  const auto day2 = WriteDay(tmp / "d2.jsonl", 2, 40);
  const std::string base = tmp / "base", state = tmp / "state";
  for (int run = 0; run < 2; ++run) {  // Two generations: the next commit prunes one.
    ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d1.jsonl", base, tmp / "o1"), tmp.path()).exit_code,
              0);
  }
  const std::vector<std::string> outputs = {tmp / "o2", tmp / "r2.json", tmp / "h2.html"};
  std::vector<std::string> args = ClusterArgs(tmp / "d2.jsonl", state, outputs[0]);
  std::erase(args, "-q");  // The retry says when it wrote a committed day's outputs.
  args.insert(args.end(), {"--report", outputs[1], "--html", outputs[2]});
  CopyTree(base, state);
  ASSERT_EQ(RunWithFault(args, tmp.path()).exit_code, 0);
  std::vector<std::string> expected;
  for (const std::string& path : outputs) expected.push_back(cli_test::ReadFileOrEmpty(path));
  ASSERT_NE(expected[0].find("\"new\":true"), std::string::npos) << expected[0];
  std::set<std::string> with_day2 = StateIds(base);
  with_day2.insert(day2.begin(), day2.end());
  const std::vector<Step> steps = {
      {"output.synced", 3},       {"state.gen_dir", 1},         {"state.linked", 1},
      {"state.file.half", 3},     {"state.file.synced", 3},
      {"state.manifest.half", 1}, {"state.manifest.synced", 1},
      {"state.gen_synced", 1},    {"state.current.half", 1},    {"state.current.synced", 1},
      {"state.committed", 1},     {"state.pruned", 1},          {"output.renamed", 3},
      {"state.outputs_mark.half", 1}, {"state.outputs_mark.synced", 1},
  };
  int faults = 0, redone = 0;
  for (const Step& step : steps) {
    for (int n = 1; n <= step.times; ++n) {
      const std::string fault = absl::StrCat(step.name, ":", n);
      CopyTree(base, state);
      for (const std::string& path : outputs) fs::remove(path);
      const CliResult r = RunWithFault(args, tmp.path(), fault);
      ASSERT_EQ(r.exit_code, kFaultExit) << fault << " was not reached: " << r.err;
      ++faults;
      const CliResult again = RunWithFault(args, tmp.path());
      ASSERT_EQ(again.exit_code, 0) << fault << ": " << again.err;
      for (size_t i = 0; i < outputs.size(); ++i) {
        EXPECT_EQ(cli_test::ReadFileOrEmpty(outputs[i]), expected[i]) << fault << " " << outputs[i];
      }
      EXPECT_EQ(StateIds(state), with_day2) << fault;
      redone += again.err.find("they are written now") != std::string::npos;
      ExpectStateHoldsNoOrphans(state);
    }
  }
  EXPECT_EQ(faults, 23);
  EXPECT_EQ(redone, 7);  // From state.committed on: the day was committed.
  // Written and marked: the same input again is a re-run.
  const CliResult rerun = RunWithFault(args, tmp.path());
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(rerun.err.find("they are written now"), std::string::npos) << rerun.err;
  EXPECT_EQ(cli_test::ReadFileOrEmpty(outputs[0]).find("\"new\":true"), std::string::npos);
}

TEST(StateCrashTest, TwelveCrashesInARowLoseNothingCommitted) {
  const cli_test::TempDir tmp;
  // A day of its own for each round: a day's input run again after a crash
  // past the commit is that run done again (its outputs), which commits
  // nothing and so reaches no commit step.
  std::vector<std::vector<std::string>> days;
  for (int d = 1; d <= 13; ++d) days.push_back(WriteDay(tmp / absl::StrCat("d", d), d, 30));
  const std::string state = tmp / "state";
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d1", state, tmp / "o"), tmp.path()).exit_code, 0);
  std::set<std::string> committed = Union(days[0]);
  std::mt19937 rng(13);
  int crashes = 0;
  for (int round = 0; round < 12; ++round) {
    const int d = 1 + round;  // Days 2 to 13.
    const Step& step = kCommitSteps[rng() % std::size(kCommitSteps)];
    const std::string fault = absl::StrCat(step.name, ":", 1 + rng() % step.times);
    const CliResult r = RunWithFault(ClusterArgs(tmp / absl::StrCat("d", d + 1), state, tmp / "o"),
                                     tmp.path(), fault);
    ASSERT_EQ(r.exit_code, kFaultExit) << fault << ": " << r.err;
    ++crashes;
    std::set<std::string> with_day = committed;
    with_day.insert(days[d].begin(), days[d].end());
    const std::set<std::string> ids = StateIds(state);
    ASSERT_TRUE(ids == committed || ids == with_day) << "round " << round << " " << fault;
    committed = ids;
  }
  EXPECT_EQ(crashes, 12);
  for (int d = 2; d <= 13; ++d) {
    ASSERT_EQ(RunWithFault(ClusterArgs(tmp / absl::StrCat("d", d), state, tmp / "o"), tmp.path())
                  .exit_code,
              0);
  }
  std::set<std::string> all;
  for (const auto& day : days) all.insert(day.begin(), day.end());
  EXPECT_EQ(StateIds(state), all);
  ExpectStateHoldsNoOrphans(state);
}

}  // namespace
}  // namespace storysift::state_test
