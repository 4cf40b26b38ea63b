// `storysift cluster --state DIR` across days: stable ids (an article stays
// in the story it was published in unless that story merges), statuses,
// per-article "new" flags, archiving.
#include <sys/wait.h>

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
#include "storysift/story_state.h"
#include "temp_dir.h"

namespace {

namespace fs = std::filesystem;
const std::string kCli = STORYSIFT_CLI_PATH;
const std::string kShared = STORYSIFT_SHARED_DATA_DIR;

// The CLI's exit code (-1 when it did not exit normally).
int RunCli(const std::string& args) {
  const int status = std::system((kCli + " " + args + " -q 2>/dev/null").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct StoryLine {
  std::string id;
  std::string status;
  std::string merged_into;
  std::set<std::string> members;
  std::set<std::string> new_members;  // Articles with "new":true.
  std::string headline;               // "" when null or absent.
};

std::vector<StoryLine> ReadStories(const std::string& path) {
  std::vector<StoryLine> out;
  std::ifstream in(path);
  std::string line;
  simdjson::dom::parser parser;
  while (std::getline(in, line)) {
    simdjson::dom::element e;
    std::string_view story_id, status, id, into;
    simdjson::dom::array articles;
    EXPECT_FALSE(parser.parse(line).get(e) || e["story_id"].get(story_id)) << line;
    StoryLine s;
    s.id = std::string(story_id);
    if (!e["status"].get(status)) s.status = std::string(status);
    if (s.status == "merged") {
      EXPECT_FALSE(e["merged_into"].get(into)) << line;
      s.merged_into = std::string(into);
      out.push_back(std::move(s));
      continue;
    }
    std::string_view headline;
    if (!e["headline"].get(headline)) s.headline = std::string(headline);
    EXPECT_FALSE(e["articles"].get(articles)) << line;
    for (simdjson::dom::element a : articles) {
      EXPECT_FALSE(a["id"].get(id));
      s.members.insert(std::string(id));
      bool is_new = false;
      if (!a["new"].get(is_new) && is_new) s.new_members.insert(std::string(id));
    }
    out.push_back(std::move(s));
  }
  return out;
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

TEST(ClusterStateTest, DayTwoKeepsEveryDayOneArticleInItsStory) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  const std::string day1 = dir + "/day1.jsonl", day2 = dir + "/day2.jsonl",
                    both = dir + "/both.jsonl", state = dir + "/state";
  if (!WriteDays(600, day1, day2, both)) GTEST_SKIP() << "shared Reuters data absent";
  ASSERT_EQ(RunCli("cluster " + day1 + " --state " + state + " -o " + dir + "/out1.jsonl"), 0);
  ASSERT_EQ(RunCli("cluster " + day2 + " --state " + state + " -o " + dir + "/out2.jsonl"), 0);
  const auto first = ReadStories(dir + "/out1.jsonl");
  const auto second = ReadStories(dir + "/out2.jsonl");
  ASSERT_GT(first.size(), 10u);
  std::map<std::string, std::set<std::string>> day1_members;
  std::map<std::string, std::string> story_of;  // Day-1 article -> story id.
  for (const StoryLine& s : first) {
    EXPECT_EQ(s.status, "new");
    EXPECT_EQ(s.new_members, s.members);  // Day 1: every article is new.
    day1_members[s.id] = s.members;
    for (const std::string& a : s.members) story_of[a] = s.id;
  }
  std::map<std::string, std::string> merged_into;
  std::map<std::string, const StoryLine*> by_id;
  std::map<std::string, int> times_seen;
  for (const StoryLine& s : second) {
    EXPECT_EQ(by_id.count(s.id) + merged_into.count(s.id), 0u) << "story emitted twice: " << s.id;
    // Every Reuters article has a title, so every story shown has a
    // headline, also one whose members the reconciliation changed.
    if (s.status != "merged") {
      EXPECT_FALSE(s.headline.empty()) << s.id;
    }
    if (s.status == "merged") {
      EXPECT_TRUE(day1_members.count(s.id)) << s.id;
      merged_into[s.id] = s.merged_into;
      continue;
    }
    by_id[s.id] = &s;
    for (const std::string& a : s.members) ++times_seen[a];
  }
  int unchanged = 0, updated = 0, fresh = 0;
  for (const auto& [id, line] : by_id) {
    const StoryLine& s = *line;
    for (const std::string& a : s.members) {
      // "new" exactly for the articles day 1 did not have.
      EXPECT_EQ(s.new_members.count(a) == 1, story_of.count(a) == 0) << a;
    }
    auto it = day1_members.find(id);
    if (s.status == "new") {
      ++fresh;
      EXPECT_EQ(it, day1_members.end()) << id;
      EXPECT_EQ(s.new_members, s.members);
      continue;
    }
    ASSERT_NE(it, day1_members.end()) << id;
    if (s.status == "unchanged") {
      ++unchanged;
      EXPECT_EQ(s.members, it->second);
    } else {
      ++updated;
      EXPECT_EQ(s.status, "updated");
      EXPECT_NE(s.members, it->second);
    }
  }
  // Stable ids: each day-1 article is in its day-1 story, or in the story
  // that story merged into; no story vanished.
  for (const auto& [article, id] : story_of) {
    const std::string where = merged_into.count(id) ? merged_into[id] : id;
    ASSERT_TRUE(by_id.count(where)) << id << " vanished";
    EXPECT_TRUE(by_id[where]->members.count(article)) << article << " left " << id;
  }
  // Every document of both days is in exactly one story.
  std::ifstream in(both);
  std::string line;
  size_t docs = 0;
  for (const auto& [a, n] : times_seen) EXPECT_EQ(n, 1) << a;
  while (std::getline(in, line)) ++docs;
  EXPECT_EQ(times_seen.size(), docs);
  EXPECT_GT(unchanged, 0);
  EXPECT_GT(fresh, 0);
  EXPECT_GT(updated, 0);
}

TEST(ClusterStateTest, RerunningWithNoNewInputLeavesEveryStoryUnchanged) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  const std::string state = dir + "/state";
  const std::string seeds = std::string(STORYSIFT_DATA_DIR) + "/seeds";
  ASSERT_EQ(RunCli("cluster " + seeds + " --state " + state + " -o " + dir + "/a.jsonl"), 0);
  // An empty day is a failed feed (exit 1, the state untouched) unless
  // --allow-empty says a day without news is expected; then only the
  // state's documents are clustered again.
  { std::ofstream(dir + "/empty.jsonl"); }
  const std::string day2 = "cluster " + dir + "/empty.jsonl --state " + state + " -o " + dir + "/b.jsonl";
  EXPECT_EQ(RunCli(day2), 1);
  EXPECT_FALSE(fs::exists(dir + "/b.jsonl"));
  ASSERT_EQ(RunCli(day2 + " --allow-empty"), 0);
  const auto a = ReadStories(dir + "/a.jsonl");
  const auto b = ReadStories(dir + "/b.jsonl");
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].id, b[0].id);
  EXPECT_EQ(a[0].members, b[0].members);
  EXPECT_EQ(b[0].status, "unchanged");
}

// Reuters days a week and more apart: 1987-02-26, 03-02/03, 03-11/12 (up
// to 300 articles each), plus `extra` lines appended to day 3. False when
// the shared data is absent.
bool WriteSpacedDays(const std::string& dir, const std::string& extra = "") {
  std::ifstream in(kShared + "/reuters21578/reuters.jsonl");
  if (!in) return false;
  const std::vector<std::vector<std::string>> days = {
      {"\"1987-02-26"}, {"\"1987-03-02", "\"1987-03-03"}, {"\"1987-03-11", "\"1987-03-12"}};
  std::vector<std::ofstream> out;
  std::vector<size_t> count(days.size(), 0);
  for (size_t d = 0; d < days.size(); ++d) out.emplace_back(dir + "/d" + std::to_string(d + 1) + ".jsonl");
  std::string line;
  while (std::getline(in, line)) {
    for (size_t d = 0; d < days.size(); ++d) {
      for (const std::string& date : days[d]) {
        if (count[d] < 300 && line.find(date) != std::string::npos) {
          out[d] << line << "\n";
          ++count[d];
        }
      }
    }
  }
  out[2] << extra;
  return true;
}

size_t CountStatus(const std::vector<StoryLine>& stories, const std::string& status) {
  size_t n = 0;
  for (const StoryLine& s : stories) n += s.status == status;
  return n;
}

size_t CountArchived(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) n += line.find("\"archived\":true") != std::string::npos;
  return n;
}

// The last run archived stories, so clustering the window again (without
// their documents, under another idf) joins some stored stories: without a
// new or changed article that must not merge or update anything.
TEST(ClusterStateTest, RetryAfterArchivingLeavesEveryStoryUnchanged) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  if (!WriteSpacedDays(dir)) GTEST_SKIP() << "shared Reuters data absent";
  const std::string state = " --state " + dir + "/state --retention-days 3";
  for (int d = 1; d <= 3; ++d) {
    const std::string day = dir + "/d" + std::to_string(d) + ".jsonl";
    ASSERT_EQ(RunCli("cluster " + day + state + " -o " + dir + "/o" + std::to_string(d)), 0);
  }
  ASSERT_GT(CountArchived(dir + "/o3"), 0u);
  const auto before = storysift::LoadStoryState(dir + "/state");
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(RunCli("cluster " + dir + "/d3.jsonl" + state + " -o " + dir + "/r3"), 0);
  const auto retry = ReadStories(dir + "/r3");
  ASSERT_GT(retry.size(), 10u);
  EXPECT_EQ(CountStatus(retry, "unchanged"), retry.size());
  const auto after = storysift::LoadStoryState(dir + "/state");
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->stories.size(), before->stories.size());
  for (size_t s = 0; s < after->stories.size(); ++s) {
    EXPECT_EQ(after->stories[s].story_id, before->stories[s].story_id);
    EXPECT_EQ(after->stories[s].members.size(), before->stories[s].members.size());
  }
}

// One article dated decades ahead (a mistyped year) must not move the
// state's clock there: that archived every story at once, then every new
// story on its first day.
TEST(ClusterStateTest, ArticleDatedFarAheadDoesNotArchiveTheState) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  const std::string future =
      "{\"id\":\"typo\",\"title\":\"Cocoa\",\"text\":\"Cocoa prices rose in Ghana as "
      "traders bought beans ahead of the harvest.\",\"date\":\"2071-03-12\"}\n";
  if (!WriteSpacedDays(dir, future)) GTEST_SKIP() << "shared Reuters data absent";
  fs::create_directories(dir + "/plain");
  ASSERT_TRUE(WriteSpacedDays(dir + "/plain"));
  for (const std::string& base : {dir, dir + "/plain"}) {
    for (int d = 1; d <= 3; ++d) {
      const std::string day = base + "/d" + std::to_string(d) + ".jsonl";
      ASSERT_EQ(RunCli("cluster " + day + " --state " + base + "/state -o " + base + "/o" +
                       std::to_string(d)),
                0);
    }
  }
  // Day 3 archives the stories idle for a week (days 1 and 2), no more.
  EXPECT_EQ(CountArchived(dir + "/o3"), CountArchived(dir + "/plain/o3"));
  EXPECT_GT(CountStatus(ReadStories(dir + "/o3"), "new"), 0u);
  // A fourth day goes on from the clock of day 3, not 2071.
  ASSERT_EQ(RunCli("cluster " + dir + "/plain/d3.jsonl --state " + dir + "/state -o " + dir +
                   "/o4"),
            0);
  EXPECT_EQ(CountArchived(dir + "/o4"), 0u);
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Articles of `topic` (distinct words per topic, so each topic is a story)
// as JSON lines, one per date.
std::string TopicLines(const std::string& topic, const std::vector<std::string>& dates) {
  std::string out;
  for (size_t i = 0; i < dates.size(); ++i) {
    std::string text;
    for (int w = 0; w < 40; ++w) text += topic + "word" + std::to_string(w % 12) + " ";
    out += "{\"id\":\"" + topic + std::to_string(i) + "\",\"title\":\"" + topic +
           "\",\"text\":\"" + text + "filler" + std::to_string(i) + "\",\"date\":\"" +
           dates[i] + "\"}\n";
  }
  return out;
}

// Each story line's archived flag against its last publication date: archived
// exactly when it is before `before` (YYYY-MM-DD, compared as text).
void ExpectArchivedBefore(const std::string& path, const std::string& before) {
  std::ifstream in(path);
  std::string line;
  simdjson::dom::parser parser;
  size_t stories = 0;
  while (std::getline(in, line)) {
    simdjson::dom::element e;
    std::string_view last;
    bool archived = false;
    ASSERT_FALSE(parser.parse(line).get(e)) << line;
    if (e["last_published"].get(last)) continue;  // A merged story's line.
    if (e["archived"].get(archived)) archived = false;  // Absent: not archived.
    ++stories;
    EXPECT_EQ(archived, std::string(last) < before) << line.substr(0, 200);
  }
  EXPECT_GT(stories, 0u);
}

// Dates the clock must take: a re-crawl of old articles beside the day's
// fresh ones, and a backfill with a three-week hole. A date alone years
// ahead (a typo), in a fresh day or in a re-run, it must not take.
TEST(ClusterStateTest, StateClockTakesEveryCredibleDateAndNoLoneTypo) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  const auto write = [&](const std::string& name, const std::string& lines) {
    std::ofstream(dir + "/" + name) << lines;
    return dir + "/" + name;
  };
  const std::string week = " --retention-days 7 -o ";
  // Re-crawl: day 2 holds January articles and two of March 20.
  const std::string r1 = write("r1", TopicLines("alpha", {"1987-03-19", "1987-03-19"}));
  const std::string r2 = write("r2", TopicLines("beta", {"1987-01-05", "1987-01-06", "1987-01-07"}) +
                                         TopicLines("gamma", {"1987-03-20", "1987-03-20"}));
  ASSERT_EQ(RunCli("cluster " + r1 + " --state " + dir + "/rs" + week + dir + "/ro1"), 0);
  ASSERT_EQ(RunCli("cluster " + r2 + " --state " + dir + "/rs" + week + dir + "/ro2"), 0);
  ExpectArchivedBefore(dir + "/ro2", "1987-03-13");
  // Backfill with a hole, then the next day.
  const std::string b1 = write("b1", TopicLines("delta", {"1987-03-01", "1987-03-01", "1987-03-01"}) +
                                         TopicLines("eps", {"1987-03-20", "1987-03-20"}));
  const std::string b2 = write("b2", TopicLines("zeta", {"1987-03-21"}));
  ASSERT_EQ(RunCli("cluster " + b1 + " --state " + dir + "/bs" + week + dir + "/bo1"), 0);
  ASSERT_EQ(RunCli("cluster " + b2 + " --state " + dir + "/bs" + week + dir + "/bo2"), 0);
  ExpectArchivedBefore(dir + "/bo2", "1987-03-14");
  // A day re-run with one article mistyped as 2017: nothing is archived.
  const std::string t1 = write("t1", TopicLines("eta", {"1987-03-02", "1987-03-02", "1987-03-02"}) +
                                         TopicLines("theta", {"1987-03-02", "1987-03-02"}));
  const std::string t2 = write("t2", ReadText(t1) + TopicLines("iota", {"2017-03-02"}));
  ASSERT_EQ(RunCli("cluster " + t1 + " --state " + dir + "/ts" + week + dir + "/to1"), 0);
  ASSERT_EQ(RunCli("cluster " + t2 + " --state " + dir + "/ts" + week + dir + "/to2"), 0);
  ExpectArchivedBefore(dir + "/to2", "1987-02-23");
}

// `text` with its first `"id":"from"` made `"id":"to"`.
std::string Renamed(std::string text, const std::string& from, const std::string& to) {
  const std::string key = "\"id\":\"" + from + "\"";
  text.replace(text.find(key), key.size(), "\"id\":\"" + to + "\"");
  return text;
}

// A backfill of 1987 news with one article a day mistyped "2087": the two
// typos made a run of their own, the clock became the run's clock plus a
// day (a date no article has), and day 2 archived every 1987 story, the one
// it had just updated too. The clock is the latest credible date.
TEST(ClusterStateTest, APairOfMistypedYearsInABackfillArchivesNothing) {
  const storysift::testing_util::TempDir tmp;
  const std::string& dir = tmp.path();
  const auto write = [&](const std::string& name, const std::string& lines) {
    std::ofstream(dir + "/" + name) << lines;
    return dir + "/" + name;
  };
  const std::string d1 = write("d1", TopicLines("cocoa", {"1987-03-02", "1987-03-02"}) +
                                         TopicLines("steel", {"1987-03-02", "1987-03-02"}) +
                                         TopicLines("typo", {"2087-03-01"}));
  const std::string d2 =
      write("d2", Renamed(TopicLines("cocoa", {"1987-03-03"}), "cocoa0", "cocoa-b1") +
                      Renamed(TopicLines("typo", {"2087-03-02"}), "typo0", "typo-x2"));
  const std::string week = " --retention-days 7 -o ";
  ASSERT_EQ(RunCli("cluster " + d1 + " --state " + dir + "/s" + week + dir + "/o1"), 0);
  ASSERT_EQ(RunCli("cluster " + d2 + " --state " + dir + "/s" + week + dir + "/o2"), 0);
  ExpectArchivedBefore(dir + "/o2", "1987-02-23");
  EXPECT_EQ(CountArchived(dir + "/o2"), 0u);
  bool updated = false;
  for (const StoryLine& s : ReadStories(dir + "/o2")) {
    if (s.members.contains("cocoa-b1")) updated = s.status == "updated";
  }
  EXPECT_TRUE(updated);
  const auto state = storysift::LoadStoryState(dir + "/s");
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->now, 541728000);  // 1987-03-03T00:00:00Z
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
  auto loaded = storysift::LoadStoryState(state);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  std::ifstream docs(loaded->documents_path);
  size_t kept = 0;
  while (std::getline(docs, line)) ++kept;
  auto archived_lines = storysift::ReadArchivedStoryLines(*loaded);
  ASSERT_TRUE(archived_lines.ok()) << archived_lines.status();
  EXPECT_EQ(archived_lines->size(), archived);
  EXPECT_LT(kept, n1 + n2);
  // The archived stories' documents are known by id and content: each one
  // once, under the story it was archived in.
  auto retired = storysift::ReadRetiredDocuments(*loaded, [](std::string_view) { return true; });
  ASSERT_TRUE(retired.ok()) << retired.status();
  std::set<std::string> retired_ids;
  for (const storysift::RetiredDocument& d : *retired) {
    EXPECT_TRUE(retired_ids.insert(d.id).second) << d.id;
    EXPECT_FALSE(d.story_id.empty());
  }
  EXPECT_EQ(retired_ids.size() + kept, n1 + n2);

  // Day 1 run again after its stories were archived (a late retry, a
  // backfill): nothing is read again, no story starts over, the archive
  // keeps each story once.
  ASSERT_EQ(RunCli("cluster " + dir + "/d1.jsonl --state " + state + " --retention-days 3 -o " +
                   dir + "/o1b.jsonl"),
            0);
  for (const StoryLine& story : ReadStories(dir + "/o1b.jsonl")) {
    EXPECT_EQ(story.status, "unchanged") << story.id;
    EXPECT_TRUE(story.new_members.empty()) << story.id;
  }
  auto again = storysift::LoadStoryState(state);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(storysift::ReadArchivedStoryLines(*again).value(), *archived_lines);
  EXPECT_EQ(storysift::ReadRetiredDocuments(*again, [](std::string_view) { return true; })
                .value()
                .size(),
            retired->size());
  EXPECT_EQ(again->next_story, loaded->next_story);

  // New content under an archived id is a new document.
  std::ifstream first(dir + "/d1.jsonl");
  std::getline(first, line);
  const std::string edited = line.substr(0, line.rfind('}')) + ",\"url\":\"http://x/1\"}";
  std::ofstream(dir + "/d1_edited.jsonl") << edited << "\n";
  ASSERT_EQ(RunCli("cluster " + dir + "/d1_edited.jsonl --state " + state +
                   " --retention-days 3 -o " + dir + "/o1c.jsonl"),
            0);
  size_t fresh = 0;
  for (const StoryLine& story : ReadStories(dir + "/o1c.jsonl")) fresh += story.new_members.size();
  EXPECT_EQ(fresh, 1u);
}

}  // namespace
