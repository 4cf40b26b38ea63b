// What counts as a state directory. The readers (`report DIR`, `state
// verify|recover DIR`, ReadStateStories) refuse any other directory (they
// had shown an empty state, exit 0) and create no LOCK file in it;
// `cluster --state` starts a state in a missing or empty directory only,
// never among other files; `index add` to a missing index leaves no lock.
#include <algorithm>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "storysift/jobs.h"
#include "storysift/story_state.h"

namespace storysift::cli_test {
namespace {

constexpr char kNotAState[] = "is not a storysift state directory";

std::string Doc(const std::string& id) {
  std::string text;
  for (int i = 0; i < 30; ++i) text += id + "word" + std::to_string(i) + " ";
  return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}\n";
}

// The names in `dir`, the CLI's capture files aside.
std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(".cli_run_", 0) != 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(CliStateDirTest, ReadersRefuseADirectoryThatHoldsNoStateAndTouchNothing) {
  const TempDir tmp;
  WriteFile(tmp / "day/news.jsonl", Doc("a") + Doc("b"));  // The day's input, not a state.
  WriteFile(tmp / "day.old/news.jsonl", Doc("c"));  // Not a version-1 state's DIR.old.
  fs::create_directory(tmp / "empty");
  for (const std::string& dir : {tmp / "day", tmp / "empty"}) {
    const std::vector<std::vector<std::string>> runs = {
        {"report", dir, "-o", tmp / "report.html"},
        {"report", dir, "--format", "text"},
        {"state", "verify", dir},
        {"state", "recover", dir}};
    for (const std::vector<std::string>& args : runs) {
      const CliResult r = RunCli(args, tmp.path());
      EXPECT_EQ(r.exit_code, 1) << args[0] << " " << dir;
      EXPECT_NE(r.err.find(dir + " " + kNotAState), std::string::npos) << r.err;
      EXPECT_EQ(r.out, "") << args[0];
    }
  }
  EXPECT_EQ(Names(tmp / "day"), std::vector<std::string>{"news.jsonl"});  // No LOCK.
  EXPECT_TRUE(Names(tmp / "empty").empty());
  EXPECT_FALSE(fs::exists(tmp / "report.html"));
  // A missing one is named as such.
  const CliResult missing = RunCli({"state", "verify", tmp / "nowhere"}, tmp.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no such state directory"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(tmp / "nowhere"));
  // The library's reader likewise.
  const absl::StatusOr<StateStories> read = ReadStateStories(tmp / "day", RunContext());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition) << read.status();
  EXPECT_EQ(Names(tmp / "day"), std::vector<std::string>{"news.jsonl"});
}

TEST(CliStateDirTest, ReadersStillReadAStateAndItsMissingLockIsMade) {
  const TempDir tmp;
  WriteFile(tmp / "day.jsonl", Doc("a") + Doc("b"));
  const std::string state = tmp / "state";
  ASSERT_EQ(
      RunCli({"cluster", tmp / "day.jsonl", "--state", state, "-q", "-o", tmp / "o"}, tmp.path())
          .exit_code,
      0);
  // A state whose LOCK was deleted (a "stale lock" cleaned up) still gets
  // its readers' lock: that is what keeps a writer from pruning under them.
  fs::remove(state + "/LOCK");
  const CliResult verify = RunCli({"state", "verify", state}, tmp.path());
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.out.find("all 4 files match"), std::string::npos) << verify.out;
  EXPECT_TRUE(fs::exists(state + "/LOCK"));
  const CliResult report = RunCli({"report", state, "--format", "text", "-q"}, tmp.path());
  EXPECT_EQ(report.exit_code, 0) << report.err;
}

TEST(CliStateDirTest, ClusterStartsAStateOnlyInAMissingOrEmptyDirectory) {
  const TempDir tmp;
  WriteFile(tmp / "day.jsonl", Doc("a") + Doc("b"));
  auto day = [&](const std::string& state) {
    return RunCli({"cluster", tmp / "day.jsonl", "--state", state, "-q", "-o", tmp / "o"},
                  tmp.path());
  };
  // Missing, empty, or holding only what a first run that died left (its
  // LOCK) or hidden files: the documented first run.
  fs::create_directory(tmp / "empty");
  WriteFile(tmp / "locked/LOCK", "");
  WriteFile(tmp / "kept/.gitkeep", "");
  for (const std::string& dir : {tmp / "missing", tmp / "empty", tmp / "locked", tmp / "kept"}) {
    const CliResult first = day(dir);
    EXPECT_EQ(first.exit_code, 0) << dir << ": " << first.err;
    EXPECT_TRUE(fs::exists(dir + "/CURRENT")) << dir;
    EXPECT_EQ(RunCli({"state", "verify", dir}, tmp.path()).exit_code, 0) << dir;
  }
  // A directory of the user's own files is not made a state among them.
  WriteFile(tmp / "notes/todo.txt", "call the desk\n");
  WriteFile(tmp / "notes/gen-ideas.md", "x\n");
  const CliResult refused = day(tmp / "notes");
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find(tmp / "notes" + " " + kNotAState), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("todo.txt"), std::string::npos) << refused.err;
  EXPECT_EQ(Names(tmp / "notes"), (std::vector<std::string>{"gen-ideas.md", "todo.txt"}));
  // The library refuses it before it makes anything.
  const absl::StatusOr<FileLock> lock = LockStoryStateForUpdate(tmp / "notes", 0);
  EXPECT_EQ(lock.status().code(), absl::StatusCode::kFailedPrecondition) << lock.status();
  EXPECT_EQ(Names(tmp / "notes"), (std::vector<std::string>{"gen-ideas.md", "todo.txt"}));
}

TEST(CliStateDirTest, IndexAddToAMissingIndexLeavesNoLockFile) {
  const TempDir tmp;
  WriteFile(tmp / "day.jsonl", Doc("a") + Doc("b"));
  const CliResult r = RunCli({"index", "add", tmp / "feed.idx", tmp / "day.jsonl", "-q"},
                             tmp.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot open index " + tmp / "feed.idx"), std::string::npos) << r.err;
  EXPECT_EQ(Names(tmp.path()), std::vector<std::string>{"day.jsonl"});
}

}  // namespace
}  // namespace storysift::cli_test
