// `state verify` and `state recover` beyond a damaged file: a CURRENT put
// back to an older generation (a restored backup), a lost meta.json (the
// story ids the lost day issued), and the OUTPUTS mark (damaged, and after
// a recovery, which is no run with outputs to write).
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "state_test_util.h"

namespace storysift::state_test {
namespace {

namespace fs = std::filesystem;
using cli_test::ReadFileOrEmpty;
using cli_test::WriteFile;

constexpr char kUnwrittenWarning[] = "ended before its outputs were written";

CliResult RunDayInto(const cli_test::TempDir& tmp, const std::string& day, const std::string& state,
                     const std::string& out) {
  return RunWithFault({"cluster", tmp / day, "--state", state, "-o", tmp / out, "-q"}, tmp.path());
}

// The ids of the stories an output line says are new.
std::set<std::string> NewStoryIds(const std::string& output) {
  static const std::regex kNew("\"story_id\":\"(s[0-9]+)\",\"status\":\"new\"");
  std::set<std::string> ids;
  for (std::sregex_iterator it(output.begin(), output.end(), kNew), end; it != end; ++it) {
    ids.insert((*it)[1]);
  }
  return ids;
}

// Two articles of `day` (2 or 3) on topics of their own, so that the day
// starts new stories (WriteDay's days share their topics).
void WriteNewsOfItsOwn(const std::string& path, int day) {
  const char* kTopics[2][2][2] = {
      {{"Volcano erupts",
        "A volcano erupted on the island overnight, and villagers fled the ash "
        "and lava flows toward the harbour."},
       {"Chess final",
        "The chess final went to a tiebreak after twelve drawn games between the "
        "two grandmasters in Madrid."}},
      {{"Comet seen",
        "Astronomers saw a bright comet with a long tail low in the western sky "
        "after sunset this week."},
       {"Bridge reopens",
        "The old suspension bridge reopened to cyclists and walkers after two "
        "years of repairs to its cables."}}};
  std::string lines;
  for (int i = 0; i < 2; ++i) {
    absl::StrAppend(&lines, "{\"id\":\"n", day, "-", i, "\",\"title\":\"", kTopics[day - 2][i][0],
                    "\",\"text\":\"", kTopics[day - 2][i][1], "\",\"date\":\"2017-03-0", day, "T0",
                    8 + i, ":00:00Z\"}\n");
  }
  WriteFile(path, lines);
}

bool Intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
  for (const std::string& x : a) {
    if (b.contains(x)) return true;
  }
  return false;
}

// A CURRENT restored from yesterday's backup passed `state verify`, and the
// next run deleted the newer, committed and published generation as an
// uncommitted one, then issued its story ids again to other stories.
TEST(StateRecoverTest, ACurrentPutBackToAnOlderGenerationIsRefusedAndRecovered) {
  const cli_test::TempDir tmp;
  const auto day1 = WriteDay(tmp / "d1", 1, 20);
  const auto day2 = WriteDay(tmp / "d2", 2, 20);
  WriteNewsOfItsOwn(tmp / "d3", 3);
  const std::string state = tmp / "state";
  ASSERT_EQ(RunDayInto(tmp, "d1", state, "o1").exit_code, 0);
  const std::string backup = ReadFileOrEmpty(state + "/CURRENT");
  ASSERT_EQ(RunDayInto(tmp, "d2", state, "o2").exit_code, 0);
  WriteFile(state + "/CURRENT", backup);

  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_EQ(verify.exit_code, 1) << verify.out;
  EXPECT_NE(verify.err.find("CURRENT: names generation 1, but generation 2 is newer"),
            std::string::npos)
      << verify.err;
  EXPECT_NE(verify.err.find("state recover"), std::string::npos) << verify.err;
  // The run refuses, and deletes nothing.
  const CliResult refused = RunDayInto(tmp, "d3", state, "o3");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("state recover"), std::string::npos) << refused.err;
  EXPECT_TRUE(fs::exists(state + "/gen-000002/MANIFEST"));
  EXPECT_FALSE(fs::exists(tmp / "o3"));

  const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
  ASSERT_EQ(recover.exit_code, 0) << recover.err;
  EXPECT_NE(recover.out.find("generation 2, the newest complete one, goes on"), std::string::npos)
      << recover.out;
  EXPECT_NE(recover.out.find("lost: nothing"), std::string::npos) << recover.out;
  EXPECT_EQ(StateIds(state), Union(day1, day2));
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  const CliResult day3 = RunDayInto(tmp, "d3", state, "o3");
  ASSERT_EQ(day3.exit_code, 0) << day3.err;
  EXPECT_EQ(day3.err.find(kUnwrittenWarning), std::string::npos) << day3.err;
  const std::set<std::string> published =
      NewStoryIds(ReadFileOrEmpty(tmp / "o1") + ReadFileOrEmpty(tmp / "o2"));
  const std::set<std::string> issued = NewStoryIds(ReadFileOrEmpty(tmp / "o3"));
  ASSERT_FALSE(issued.empty());
  EXPECT_FALSE(Intersect(published, issued));
}

// A commit that died before its CURRENT leaves generation N+1 complete
// beside CURRENT naming N: no evidence of a newer commit, so the next run
// still removes it (and verify passes).
TEST(StateRecoverTest, AGenerationOneAheadOfCurrentWithoutOutputsIsStillAnOrphan) {
  const cli_test::TempDir tmp;
  const auto day1 = WriteDay(tmp / "d1", 1, 20);
  const auto day2 = WriteDay(tmp / "d2", 2, 20);
  const std::string state = tmp / "state";
  ASSERT_EQ(RunDayInto(tmp, "d1", state, "o1").exit_code, 0);
  const std::string current = ReadFileOrEmpty(state + "/CURRENT");
  const std::string outputs = ReadFileOrEmpty(state + "/OUTPUTS");
  ASSERT_EQ(RunDayInto(tmp, "d2", state, "o2").exit_code, 0);
  WriteFile(state + "/CURRENT", current);
  WriteFile(state + "/OUTPUTS", outputs);
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  ASSERT_EQ(RunDayInto(tmp, "d2", state, "o2").exit_code, 0);
  EXPECT_EQ(StateIds(state), Union(day1, day2));
}

// The live meta.json lost: recovery went back a day and took that day's
// next story number, so the next day issued the ids the lost day had
// published. The lost day's surviving story list says which it issued.
TEST(StateRecoverTest, RecoveryAfterALostMetaIssuesNoStoryIdTheLostDayIssued) {
  const cli_test::TempDir tmp;
  const auto day1 = WriteDay(tmp / "d1", 1, 20);
  WriteNewsOfItsOwn(tmp / "d2", 2);
  WriteNewsOfItsOwn(tmp / "d3", 3);
  const std::string state = tmp / "state";
  ASSERT_EQ(RunDayInto(tmp, "d1", state, "o1").exit_code, 0);
  ASSERT_EQ(RunDayInto(tmp, "d2", state, "o2").exit_code, 0);
  const std::set<std::string> published =
      NewStoryIds(ReadFileOrEmpty(tmp / "o1") + ReadFileOrEmpty(tmp / "o2"));
  ASSERT_FALSE(NewStoryIds(ReadFileOrEmpty(tmp / "o2")).empty());
  fs::remove(state + "/gen-000002/meta.json");

  const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
  ASSERT_EQ(recover.exit_code, 0) << recover.err;
  EXPECT_NE(recover.out.find("meta.json is unreadable; the next story id"), std::string::npos)
      << recover.out;
  EXPECT_EQ(StateIds(state), Union(day1));
  ASSERT_EQ(RunDayInto(tmp, "d3", state, "o3").exit_code, 0);
  const std::set<std::string> issued = NewStoryIds(ReadFileOrEmpty(tmp / "o3"));
  ASSERT_FALSE(issued.empty());
  EXPECT_FALSE(Intersect(published, issued));
}

// With the story list lost too, nothing shows the ids: the report says
// that they may be issued again.
TEST(StateRecoverTest, RecoveryWithNothingShowingTheIssuedIdsSaysSo) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 20);
  WriteDay(tmp / "d2", 2, 20);
  const std::string state = tmp / "state";
  ASSERT_EQ(RunDayInto(tmp, "d1", state, "o1").exit_code, 0);
  ASSERT_EQ(RunDayInto(tmp, "d2", state, "o2").exit_code, 0);
  WriteFile(state + "/gen-000002/meta.json", "{\"format\":");
  fs::remove(state + "/gen-000002/stories.jsonl");
  const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
  ASSERT_EQ(recover.exit_code, 0) << recover.err;
  EXPECT_NE(recover.out.find("may be issued again"), std::string::npos) << recover.out;
}

// The generation `state recover` commits was taken for a run that ended
// before its outputs were written: the next day warned so. And a damaged
// OUTPUTS passed `state verify` (and made the same warning).
TEST(StateRecoverTest, RecoveryLeavesNoUnwrittenOutputsAndADamagedOutputsMarkIsNamed) {
  const cli_test::TempDir tmp;
  WriteDay(tmp / "d1", 1, 20);
  WriteDay(tmp / "d2", 2, 20);
  WriteNewsOfItsOwn(tmp / "d3", 3);
  const std::string base = tmp / "base", state = tmp / "state";
  ASSERT_EQ(RunDayInto(tmp, "d1", base, "o1").exit_code, 0);
  ASSERT_EQ(RunDayInto(tmp, "d2", base, "o2").exit_code, 0);

  fs::copy(base, state, fs::copy_options::recursive);
  WriteFile(state + "/CURRENT", "gen-000002 0000000000000000\n");
  ASSERT_EQ(RunWithFault({"state", "recover", state}, tmp.path()).exit_code, 0);
  const CliResult after_recover =
      RunWithFault({"cluster", tmp / "d3", "--state", state, "-o", tmp / "o3"}, tmp.path());
  ASSERT_EQ(after_recover.exit_code, 0) << after_recover.err;
  EXPECT_EQ(after_recover.err.find(kUnwrittenWarning), std::string::npos) << after_recover.err;

  fs::remove_all(state);
  fs::copy(base, state, fs::copy_options::recursive);
  WriteFile(state + "/OUTPUTS", "garbage");
  const CliResult verify = RunWithFault({"state", "verify", state}, tmp.path());
  EXPECT_EQ(verify.exit_code, 1) << verify.out;
  EXPECT_NE(verify.err.find("OUTPUTS"), std::string::npos) << verify.err;
  const CliResult recover = RunWithFault({"state", "recover", state}, tmp.path());
  ASSERT_EQ(recover.exit_code, 0) << recover.err;
  EXPECT_NE(recover.out.find("OUTPUTS rewritten naming generation 2"), std::string::npos)
      << recover.out;
  EXPECT_EQ(RunWithFault({"state", "verify", state}, tmp.path()).exit_code, 0);
  const CliResult day3 =
      RunWithFault({"cluster", tmp / "d3", "--state", state, "-o", tmp / "o3"}, tmp.path());
  ASSERT_EQ(day3.exit_code, 0) << day3.err;
  EXPECT_EQ(day3.err.find(kUnwrittenWarning), std::string::npos) << day3.err;
}

}  // namespace
}  // namespace storysift::state_test
