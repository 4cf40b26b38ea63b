// Records without an id of their own, end to end: their ids are unique
// within a run (the path as given, not the file's base name), and where ids
// are matched across runs (`cluster --state`, `index build|add`) a record is
// known again only by its content, never by sitting at the same line of a
// file with the same path (the nightly `feed.jsonl`).
#include <set>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "gtest/gtest.h"

namespace storysift::cli_test {
namespace {

const char kStorm[] =
    "{\"text\":\"Storm hits the coast with strong winds and heavy rain flooding streets "
    "downtown today.\"}\n";
const char kTax[] =
    "{\"text\":\"Parliament votes on the new tax bill after a long debate about pensions and "
    "wages.\"}\n";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Every article id of a `cluster` output.
std::set<std::string> ArticleIds(const std::string& stories) {
  std::set<std::string> ids;
  for (const std::string& line : SplitLines(stories)) {
    for (size_t p = line.find("\"articles\":"); (p = line.find("\"id\":\"", p)) != std::string::npos;) {
      p += 6;
      ids.insert(line.substr(p, line.find('"', p) - p));
    }
  }
  return ids;
}

// The ids of every document a state holds (its committed documents file).
std::set<std::string> StateIds(const std::string& state, const std::string& scratch) {
  const CliResult r = RunCli({"state", "verify", state}, scratch);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> ids;
  const std::string current = ReadFileOrEmpty(state + "/CURRENT");
  const std::string gen = current.substr(0, current.find_first_of(" \n"));  // "gen-N <checksum>"
  for (const std::string& line : SplitLines(ReadFileOrEmpty(state + "/" + gen + "/documents.jsonl"))) {
    ids.insert(JsonField(line, "id"));
  }
  return ids;
}

class CliPositionalIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crawl_ = tmp_.path() + "/crawl";
    WriteFile(crawl_ + "/d1/feed.jsonl", kStorm);
    WriteFile(crawl_ + "/d2/feed.jsonl", kTax);
  }
  CliResult Run(const std::vector<std::string>& args) { return RunCli(args, tmp_.path()); }

  TempDir tmp_;
  std::string crawl_;
};

// Both files gave "feed.jsonl:1": the storm article was dropped as a
// superseded id, `index build` called one of them already indexed, and
// `dedup` warned of a duplicate id that the input does not hold.
TEST_F(CliPositionalIdsTest, TwoFilesOfOneNameInOneRunKeepBothRecords) {
  const CliResult cluster =
      Run({"cluster", crawl_, "--state", tmp_.path() + "/st", "-o", "-", "--strict"});
  ASSERT_EQ(cluster.exit_code, 0) << cluster.err;
  EXPECT_FALSE(Contains(cluster.err, "superseded_id")) << cluster.err;
  const std::set<std::string> ids = ArticleIds(cluster.out);
  ASSERT_EQ(ids.size(), 2u) << cluster.out;
  // file:line stays readable: the path as the walk gives it, then the content.
  EXPECT_TRUE(ids.begin()->starts_with(crawl_ + "/d1/feed.jsonl:1#")) << *ids.begin();
  EXPECT_TRUE(ids.rbegin()->starts_with(crawl_ + "/d2/feed.jsonl:1#")) << *ids.rbegin();

  const CliResult index = Run({"index", "build", crawl_, "-o", tmp_.path() + "/cr.idx", "-v", "-"});
  ASSERT_EQ(index.exit_code, 0) << index.err;
  EXPECT_TRUE(Contains(index.err, "2 added")) << index.err;
  EXPECT_FALSE(Contains(index.out, "already_indexed")) << index.out;

  const CliResult dedup = Run({"dedup", crawl_, "--strict"});
  ASSERT_EQ(dedup.exit_code, 0) << dedup.err;
  EXPECT_FALSE(Contains(dedup.err, "duplicate_id")) << dedup.err;
  const std::vector<std::string> lines = SplitLines(dedup.out);
  ASSERT_EQ(lines.size(), 2u) << dedup.out;
  EXPECT_EQ(JsonField(lines[0], "id"), crawl_ + "/d1/feed.jsonl:1");
  EXPECT_EQ(JsonField(lines[1], "id"), crawl_ + "/d2/feed.jsonl:1");
}

// The nightly pattern: the same path every day, records without ids. Day
// two's line 1 replaced day one's different article ("1 updated").
TEST_F(CliPositionalIdsTest, StateKnowsARecordAgainByContentNotByItsLine) {
  const std::string feed = tmp_.path() + "/feed.jsonl";
  const std::string state = tmp_.path() + "/news-state";
  WriteFile(feed, kStorm);
  const CliResult day1 = Run({"cluster", feed, "--state", state, "-o", "-"});
  ASSERT_EQ(day1.exit_code, 0) << day1.err;
  const std::set<std::string> day1_ids = StateIds(state, tmp_.path());
  ASSERT_EQ(day1_ids.size(), 1u);

  // The same file again: a re-run, all unchanged.
  const CliResult again = Run({"cluster", feed, "--state", state, "-o", "-"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(Contains(again.err, "1 documents already in it")) << again.err;
  EXPECT_TRUE(Contains(again.err, "0 updated, 0 new stories")) << again.err;
  EXPECT_EQ(JsonField(again.out, "status"), "unchanged") << again.out;
  EXPECT_EQ(StateIds(state, tmp_.path()), day1_ids);

  // Another article at the same path and line: new, nothing replaced.
  WriteFile(feed, kTax);
  const CliResult day2 = Run({"cluster", feed, "--state", state, "-o", "-"});
  ASSERT_EQ(day2.exit_code, 0) << day2.err;
  EXPECT_TRUE(Contains(day2.err, "0 documents already in it")) << day2.err;
  EXPECT_TRUE(Contains(day2.err, "0 updated, 1 new stories")) << day2.err;
  const std::set<std::string> day2_ids = StateIds(state, tmp_.path());
  ASSERT_EQ(day2_ids.size(), 2u);
  EXPECT_TRUE(day2_ids.contains(*day1_ids.begin()));
  for (const std::string& id : day2_ids) EXPECT_TRUE(id.starts_with(feed + ":1#")) << id;
}

TEST_F(CliPositionalIdsTest, IndexKnowsARecordAgainByContentNotByItsLine) {
  const std::string feed = tmp_.path() + "/feed.jsonl";
  const std::string index = tmp_.path() + "/feed.idx";
  WriteFile(feed, kStorm);
  ASSERT_EQ(Run({"index", "build", feed, "-o", index}).exit_code, 0);
  const CliResult again = Run({"index", "add", index, feed, "-v", "-", "--strict"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(JsonField(again.out, "verdict"), "already_indexed") << again.out;
  EXPECT_EQ(JsonField(again.out, "content"), "same") << again.out;

  WriteFile(feed, kTax);
  const CliResult day2 = Run({"index", "add", index, feed, "-v", "-", "--strict"});
  ASSERT_EQ(day2.exit_code, 0) << day2.err;
  EXPECT_EQ(JsonField(day2.out, "verdict"), "new") << day2.out;
  EXPECT_TRUE(Contains(day2.err, "1 added")) << day2.err;
  EXPECT_TRUE(Contains(day2.err, "index holds 2")) << day2.err;
}

// `report STORIES INPUT...` finds a state run's articles in their inputs
// by place and content: not by place alone once the file has changed.
TEST_F(CliPositionalIdsTest, ReportFindsAStateRunsArticlesByPlaceAndContent) {
  const std::string feed = tmp_.path() + "/feed.jsonl";
  const std::string stories = tmp_.path() + "/stories.jsonl";
  WriteFile(feed, std::string(kStorm) + kTax);
  ASSERT_EQ(Run({"cluster", feed, "--state", tmp_.path() + "/st", "-o", stories}).exit_code, 0);
  const CliResult found = Run({"report", stories, feed, "--format", "text", "--min-size", "1"});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  EXPECT_FALSE(Contains(found.err, "not found")) << found.err;
  EXPECT_TRUE(Contains(found.out, "Storm hits the coast")) << found.out;

  WriteFile(feed, std::string(kTax) + kStorm);  // Other articles at those places now.
  const CliResult moved = Run({"report", stories, feed, "--format", "text", "--min-size", "1"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_TRUE(Contains(moved.err, "2 articles not found")) << moved.err;
}

// A state or index written before: the record sits there under its file's
// base name and line. The same content there is a re-run; another article
// there is new (not an update of the stored one).
TEST_F(CliPositionalIdsTest, StoresOfEarlierVersionsKnowTheSameRecordUnderItsOldId) {
  const std::string feed = tmp_.path() + "/feed.jsonl";
  const std::string old_day = tmp_.path() + "/old.jsonl";
  // What storysift gave the storm record before: "feed.jsonl:1".
  std::string with_old_id = kStorm;
  with_old_id.insert(1, "\"id\":\"feed.jsonl:1\",");
  WriteFile(old_day, with_old_id);
  const std::string state = tmp_.path() + "/st";
  const std::string index = tmp_.path() + "/old.idx";
  ASSERT_EQ(Run({"cluster", old_day, "--state", state, "-o", "-"}).exit_code, 0);
  ASSERT_EQ(Run({"index", "build", old_day, "-o", index}).exit_code, 0);

  WriteFile(feed, kStorm);
  const CliResult rerun = Run({"cluster", feed, "--state", state, "-o", "-"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_TRUE(Contains(rerun.err, "1 documents already in it")) << rerun.err;
  EXPECT_EQ(StateIds(state, tmp_.path()), std::set<std::string>{"feed.jsonl:1"});
  const CliResult refed = Run({"index", "add", index, feed, "-v", "-"});
  ASSERT_EQ(refed.exit_code, 0) << refed.err;
  EXPECT_EQ(JsonField(refed.out, "id"), "feed.jsonl:1") << refed.out;
  EXPECT_EQ(JsonField(refed.out, "content"), "same") << refed.out;

  WriteFile(feed, kTax);
  const CliResult day2 = Run({"cluster", feed, "--state", state, "-o", "-"});
  ASSERT_EQ(day2.exit_code, 0) << day2.err;
  EXPECT_TRUE(Contains(day2.err, "0 updated, 1 new stories")) << day2.err;
  EXPECT_EQ(StateIds(state, tmp_.path()).size(), 2u);
  const CliResult added = Run({"index", "add", index, feed, "-v", "-"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_TRUE(Contains(added.err, "1 added")) << added.err;
}

}  // namespace
}  // namespace storysift::cli_test
