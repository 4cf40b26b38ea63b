// Crash harness, the second half: random kill -9 during `cluster --state`
// runs, and concurrent writers of one state or one index (with --wait).
// After each, nothing committed is lost (state_crash_test.cc has the
// faults at named steps).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "gtest/gtest.h"
#include "state_test_util.h"

namespace storysift::state_test {
namespace {

namespace fs = std::filesystem;

// Starts the CLI with stdout/stderr to /dev/null; returns its pid.
pid_t Spawn(const std::vector<std::string>& args) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    static const std::string cli = STORYSIFT_CLI_PATH;
    argv.push_back(const_cast<char*>(cli.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(cli.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

TEST(StateCrashTest, RandomKillNineDuringRunsLosesNothingCommitted) {
  const cli_test::TempDir tmp;
  std::vector<std::vector<std::string>> days;
  for (int d = 1; d <= 6; ++d) days.push_back(WriteDay(tmp / absl::StrCat("d", d), d, 200));
  const std::string state = tmp / "state";
  // A whole run, timed, so the kills spread over every phase of one.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(Wait(Spawn(ClusterArgs(tmp / "d1", state, tmp / "o"))), 0);
  const int run_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count());
  std::set<std::string> committed = Union(days[0]);
  std::mt19937 rng(99);
  int kills = 0, finished = 0, landed = 0;
  // Kill delays are drawn below a bound that grows while every run is
  // killed and shrinks when one finishes, so they settle around the end of
  // a run, where the commit is, whatever this machine's speed.
  double bound_ms = run_ms * 1.2;
  for (int round = 0; round < 30; ++round) {
    const int d = 1 + round % 5;
    const pid_t pid = Spawn(ClusterArgs(tmp / absl::StrCat("d", d + 1), state, tmp / "o"));
    std::this_thread::sleep_for(
        std::chrono::milliseconds(rng() % (static_cast<int>(bound_ms) + 1)));
    ::kill(pid, SIGKILL);
    const int code = Wait(pid);
    (code == -SIGKILL ? kills : finished)++;
    bound_ms *= code == -SIGKILL ? 1.25 : 0.8;
    std::set<std::string> with_day = committed;
    with_day.insert(days[d].begin(), days[d].end());
    const std::set<std::string> ids = StateIds(state);
    ASSERT_TRUE(ids == committed || ids == with_day) << "round " << round << " exit " << code;
    landed += ids != committed;
    committed = ids;
    EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  }
  std::printf(
      "kill -9 placed: %d over a %d ms run (finished first: %d, days "
      "committed: %d)\n",
      kills, run_ms, finished, landed);
  EXPECT_GT(kills, 10);
  EXPECT_GT(finished + landed, 0);
  // The next run finishes and removes the killed runs' output temporaries.
  ASSERT_EQ(RunWithFault(ClusterArgs(tmp / "d2", state, tmp / "o"), tmp.path()).exit_code, 0);
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    EXPECT_EQ(e.path().filename().string().find("o.tmp."), std::string::npos) << e.path();
  }
  ExpectStateHoldsNoOrphans(state);
}

TEST(StateCrashTest, ConcurrentWritersOnOneStateAllLandWithWait) {
  const cli_test::TempDir tmp;
  std::vector<std::vector<std::string>> days;
  for (int d = 1; d <= 3; ++d) days.push_back(WriteDay(tmp / absl::StrCat("d", d), d, 60));
  std::set<std::string> all;
  for (const auto& day : days) all.insert(day.begin(), day.end());
  int trials = 0;
  for (int trial = 0; trial < 4; ++trial) {
    const std::string state = tmp / absl::StrCat("state", trial);
    std::vector<pid_t> pids;
    for (int d = 1; d <= 3; ++d) {
      pids.push_back(Spawn({"cluster", tmp / absl::StrCat("d", d), "--state", state, "-o",
                            tmp / absl::StrCat("o", trial, d), "-q", "--wait", "60"}));
    }
    for (pid_t pid : pids) EXPECT_EQ(Wait(pid), 0);
    EXPECT_EQ(StateIds(state), all) << "trial " << trial;
    // Every story id is handed out once.
    absl::StatusOr<StoryState> loaded = LoadStoryState(state);
    ASSERT_TRUE(loaded.ok());
    std::set<std::string> story_ids;
    for (const StoredStory& s : loaded->stories) {
      EXPECT_TRUE(story_ids.insert(s.story_id).second) << s.story_id;
    }
    ++trials;
  }
  // Without --wait the loser fails at once with exit 3 and changes nothing.
  for (int trial = 0; trial < 4; ++trial) {
    const std::string state = tmp / absl::StrCat("nowait", trial);
    const pid_t a = Spawn(ClusterArgs(tmp / "d1", state, tmp / "oa"));
    const pid_t b = Spawn(ClusterArgs(tmp / "d2", state, tmp / "ob"));
    const int ca = Wait(a), cb = Wait(b);
    EXPECT_TRUE(ca == 0 || ca == 3) << ca;
    EXPECT_TRUE(cb == 0 || cb == 3) << cb;
    std::set<std::string> expected;
    if (ca == 0) expected.insert(days[0].begin(), days[0].end());
    if (cb == 0) expected.insert(days[1].begin(), days[1].end());
    EXPECT_EQ(StateIds(state), expected);
    ++trials;
  }
  std::printf("concurrent state trials: %d\n", trials);
}

int64_t IndexDocuments(const std::string& index, const std::string& scratch) {
  const CliResult r = RunWithFault({"index", "info", index}, scratch);
  const std::string n = cli_test::JsonField(r.out, "documents");
  return n.empty() ? -1 : std::stoll(n);
}

TEST(StateCrashTest, ConcurrentIndexAddsKeepEveryDocument) {
  const cli_test::TempDir tmp;
  for (int d = 1; d <= 4; ++d) WriteDay(tmp / absl::StrCat("d", d), d, 150);
  int trials = 0;
  for (int trial = 0; trial < 3; ++trial) {
    const std::string index = tmp / absl::StrCat("i", trial, ".idx");
    ASSERT_EQ(RunWithFault({"index", "build", tmp / "d1", "-o", index, "-q"}, tmp.path()).exit_code,
              0);
    std::vector<pid_t> pids;
    for (int d = 2; d <= 4; ++d) {
      pids.push_back(
          Spawn({"index", "add", index, tmp / absl::StrCat("d", d), "-q", "--wait", "60"}));
    }
    for (pid_t pid : pids) EXPECT_EQ(Wait(pid), 0);
    EXPECT_EQ(IndexDocuments(index, tmp.path()), 600) << "trial " << trial;
    ++trials;
  }
  // Faults inside the index's replace: the old or the new index, whole.
  const std::string index = tmp / "f.idx";
  ASSERT_EQ(RunWithFault({"index", "build", tmp / "d1", "-o", index, "-q"}, tmp.path()).exit_code,
            0);
  for (const char* fault : {"output.synced:1", "output.renamed:1"}) {
    const CliResult r = RunWithFault({"index", "add", index, tmp / "d2", "-q"}, tmp.path(), fault);
    EXPECT_EQ(r.exit_code, kFaultExit) << fault;
    const int64_t docs = IndexDocuments(index, tmp.path());
    EXPECT_TRUE(docs == 150 || docs == 300) << fault << " " << docs;
    ASSERT_EQ(RunWithFault({"index", "add", index, tmp / "d2", "-q"}, tmp.path()).exit_code, 0);
    EXPECT_EQ(IndexDocuments(index, tmp.path()), 300);
    // The crashed writer's temporary is gone after the next add.
    for (const auto& e : fs::directory_iterator(tmp.path())) {
      EXPECT_EQ(e.path().filename().string().find("f.idx.tmp"), std::string::npos);
    }
    ++trials;
  }
  std::printf("concurrent index trials and index faults: %d\n", trials);
}

}  // namespace
}  // namespace storysift::state_test
