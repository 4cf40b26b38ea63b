// `storysift cluster --state DIR` across days: day 1 then day 2 gives the
// same stories as both days at once, with stable ids and statuses.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "simdjson.h"
#include "temp_dir.h"

namespace {

namespace fs = std::filesystem;
const std::string kCli = STORYSIFT_CLI_PATH;
const std::string kShared = STORYSIFT_SHARED_DATA_DIR;

int RunCli(const std::string& args) {
  return std::system((kCli + " " + args + " -q 2>/dev/null").c_str());
}

struct StoryLine {
  std::string id;
  std::string status;
  std::set<std::string> members;
};

std::vector<StoryLine> ReadStories(const std::string& path) {
  std::vector<StoryLine> out;
  std::ifstream in(path);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    simdjson::dom::element e;
    std::string_view story_id, status, id;
    simdjson::dom::array articles;
    EXPECT_FALSE(parser.parse(line).get(e) || e["story_id"].get(story_id) ||
                 e["articles"].get(articles))
        << line;
    StoryLine s;
    s.id = std::string(story_id);
    if (!e["status"].get(status)) s.status = std::string(status);
    for (simdjson::dom::element a : articles) {
      EXPECT_FALSE(a["id"].get(id));
      s.members.insert(std::string(id));
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::set<std::set<std::string>> Partition(const std::vector<StoryLine>& stories) {
  std::set<std::set<std::string>> p;
  for (const StoryLine& s : stories) p.insert(s.members);
  return p;
}

// Splits the first `n` Reuters articles at a date into two day files.
bool WriteDays(size_t n, const std::string& day1, const std::string& day2,
               const std::string& both) {
  std::ifstream in(kShared + "/reuters21578/reuters.jsonl");
  if (!in) return false;
  std::ofstream d1(day1), d2(day2), all(both);
  std::string line;
  for (size_t i = 0; i < n && std::getline(in, line); ++i) {
    (line.find("\"1987-02-26") != std::string::npos ? d1 : d2) << line << "\n";
    all << line << "\n";
  }
  return true;
}

TEST(ClusterStateTest, DayOneThenDayTwoEqualsBothDaysAtOnce) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  const std::string day1 = dir + "/day1.jsonl", day2 = dir + "/day2.jsonl",
                    both = dir + "/both.jsonl", state = dir + "/state";
  if (!WriteDays(600, day1, day2, both)) GTEST_SKIP() << "shared Reuters data absent";
  ASSERT_EQ(RunCli("cluster " + both + " -o " + dir + "/once.jsonl"), 0);
  ASSERT_EQ(RunCli("cluster " + day1 + " --state " + state + " -o " + dir + "/out1.jsonl"), 0);
  ASSERT_EQ(RunCli("cluster " + day2 + " --state " + state + " -o " + dir + "/out2.jsonl"), 0);
  const auto once = ReadStories(dir + "/once.jsonl");
  const auto first = ReadStories(dir + "/out1.jsonl");
  const auto second = ReadStories(dir + "/out2.jsonl");
  ASSERT_GT(first.size(), 10u);
  EXPECT_EQ(Partition(second), Partition(once));

  // Ids are stable: a day-1 story keeps its id on day 2 when it is still
  // there, and is "unchanged" exactly when its members did not change.
  std::map<std::string, std::set<std::string>> day1_members;
  for (const StoryLine& s : first) {
    EXPECT_EQ(s.status, "new");
    day1_members[s.id] = s.members;
  }
  int unchanged = 0, updated = 0, fresh = 0;
  for (const StoryLine& s : second) {
    auto it = day1_members.find(s.id);
    if (s.status == "new") {
      ++fresh;
      EXPECT_EQ(it, day1_members.end()) << s.id;
      continue;
    }
    ASSERT_NE(it, day1_members.end()) << s.id;
    if (s.status == "unchanged") {
      ++unchanged;
      EXPECT_EQ(s.members, it->second);
    } else {
      ++updated;
      EXPECT_EQ(s.status, "updated");
      EXPECT_NE(s.members, it->second);
    }
  }
  EXPECT_GT(unchanged, 0);
  EXPECT_GT(fresh, 0);
}

TEST(ClusterStateTest, RerunningWithNoNewInputLeavesEveryStoryUnchanged) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  const std::string state = dir + "/state";
  const std::string seeds = std::string(STORYSIFT_DATA_DIR) + "/seeds";
  ASSERT_EQ(RunCli("cluster " + seeds + " --state " + state + " -o " + dir + "/a.jsonl"), 0);
  // An empty day: only the state's documents are clustered again.
  { std::ofstream(dir + "/empty.jsonl"); }
  ASSERT_EQ(RunCli("cluster " + dir + "/empty.jsonl --state " + state + " -o " + dir + "/b.jsonl"), 0);
  const auto a = ReadStories(dir + "/a.jsonl");
  const auto b = ReadStories(dir + "/b.jsonl");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].id, b[0].id);
  EXPECT_EQ(a[0].members, b[0].members);
  EXPECT_EQ(b[0].status, "unchanged");
}

TEST(ClusterStateTest, DamagedStateIsAClearErrorNotACrash) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  fs::create_directories(dir + "/state");
  { std::ofstream(dir + "/state/meta.json") << "{\"format\":\"other\"}\n"; }
  const std::string seeds = std::string(STORYSIFT_DATA_DIR) + "/seeds";
  EXPECT_NE(RunCli("cluster " + seeds + " --state " + dir + "/state -o " + dir + "/x.jsonl"), 0);
  EXPECT_FALSE(fs::exists(dir + "/x.jsonl"));
}

}  // namespace

namespace {

TEST(ClusterStateTest, StoriesIdlePastRetentionAreArchivedAndLeaveTheState) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  std::ifstream in(kShared + "/reuters21578/reuters.jsonl");
  if (!in) GTEST_SKIP() << "shared Reuters data absent";
  // Day 1: Feb 26 articles; day 2: articles from two weeks later.
  std::ofstream d1(dir + "/d1.jsonl"), d2(dir + "/d2.jsonl");
  std::string line;
  size_t n1 = 0, n2 = 0;
  while (std::getline(in, line) && n2 < 100) {
    if (line.find("\"1987-02-26") != std::string::npos && n1 < 100) {
      d1 << line << "\n";
      ++n1;
    } else if (line.find("\"1987-03-12") != std::string::npos) {
      d2 << line << "\n";
      ++n2;
    }
  }
  d1.close();
  d2.close();
  const std::string state = dir + "/state";
  ASSERT_EQ(RunCli("cluster " + dir + "/d1.jsonl --state " + state + " --retention-days 3 -o " +
                   dir + "/o1.jsonl"),
            0);
  ASSERT_EQ(RunCli("cluster " + dir + "/d2.jsonl --state " + state + " --retention-days 3 -o " +
                   dir + "/o2.jsonl"),
            0);
  std::ifstream o2(dir + "/o2.jsonl");
  size_t archived = 0;
  while (std::getline(o2, line)) archived += line.find("\"archived\":true") != std::string::npos;
  EXPECT_GT(archived, 0u);
  // Day-1 documents of archived stories are gone from the state, and the
  // archive holds those stories.
  std::ifstream docs(state + "/documents.jsonl"), archive(state + "/archive.jsonl");
  size_t kept = 0, in_archive = 0;
  while (std::getline(docs, line)) ++kept;
  while (std::getline(archive, line)) ++in_archive;
  EXPECT_EQ(in_archive, archived);
  EXPECT_LT(kept, n1 + n2);
}

}  // namespace
