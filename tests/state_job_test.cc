// The daily state job (RunClusterWithState, `cluster --state`): it commits
// only when the outputs were written, keeps stored stories apart under their
// own labels, counts future-dated articles, refuses changed options unless
// accepted, and commits nothing once its lock file was removed.
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "jobs_test_util.h"
#include "storysift/jobs.h"
#include "storysift/story_state.h"
#include "temp_dir.h"

namespace storysift {
namespace {

using jobs_test::ClusterPaths;
using jobs_test::ExpectSameStories;
using jobs_test::kSeedsDir;
using testing_util::TempDir;

TEST(StateJobTest, StateRunCommitsOnlyWhenTheOutputsWereWritten) {
  TempDir dir;
  const std::string state_dir = dir / "state";
  StateJobOptions state;
  state.dir = state_dir;
  auto failing = [](const StateRunResult&) { return absl::InternalError("disk full"); };
  auto input = InputStream::Open({kSeedsDir}, ReaderOptions());
  ASSERT_TRUE(input.ok());
  auto failed = RunClusterWithState(ClusterJobOptions(), state, *input, {}, failing);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInternal);
  auto empty = ReadStateStories(state_dir, {});
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->active.stories.empty());

  std::vector<std::string> written;
  auto keep = [&written](const StateRunResult& r) {
    written = r.lines;
    return absl::OkStatus();
  };
  input = InputStream::Open({kSeedsDir}, ReaderOptions());
  auto first = RunClusterWithState(ClusterJobOptions(), state, *input, {}, keep);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(first->statuses, std::vector<std::string>{"new"});
  // The same day again is a re-run: nothing new, the story unchanged.
  input = InputStream::Open({kSeedsDir}, ReaderOptions());
  auto again = RunClusterWithState(ClusterJobOptions(), state, *input, {}, keep);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->repeats, 3u);
  EXPECT_EQ(again->statuses, std::vector<std::string>{"unchanged"});
  // What the state shows is what the batch job makes of its documents,
  // which a state names by place and content (the seeds have no ids).
  auto shown = ReadStateStories(state_dir, {});
  ASSERT_TRUE(shown.ok()) << shown.status();
  ReaderOptions by_content;
  by_content.content_in_positional_ids = true;
  const ClusterResult batch = ClusterPaths({kSeedsDir}, {}, by_content);
  ExpectSameStories(shown->active, batch);
}

// An oil story of three articles and a wheat story of two: apart at the
// default threshold, one cluster at 0.02.
std::vector<Document> OilAndWheatDay() {
  const std::string market =
      " Traders in the market said prices could move further this week as buyers and sellers "
      "weighed the news.";
  const char* oil[] = {
      "Crude oil prices climbed as OPEC ministers agreed to cut output in Vienna, and Saudi "
      "Arabia pledged the largest share of the reduction in barrels.",
      "OPEC ministers meeting in Vienna agreed an output cut; crude oil prices rose and Saudi "
      "Arabia said its barrels would carry most of the reduction.",
      "Oil prices rose after OPEC agreed in Vienna to cut crude output, with Saudi Arabia taking "
      "the largest share of the barrels removed."};
  const char* wheat[] = {
      "Wheat farmers in Kansas expect a poor harvest after the drought withered the grain, and "
      "elevators reported thin deliveries from growers.",
      "Drought in Kansas cut the wheat harvest, farmers said, as withered grain left elevators "
      "with thin deliveries from growers across the state."};
  std::vector<Document> docs;
  auto add = [&](const std::string& id, const char* text) {
    Document d;
    d.id = id;
    d.text = std::string(text) + market;
    d.published = 1488326400;  // 2017-03-01.
    docs.push_back(std::move(d));
  };
  for (int i = 0; i < 3; ++i) add("oil" + std::to_string(i), oil[i]);
  for (int i = 0; i < 2; ++i) add("wheat" + std::to_string(i), wheat[i]);
  return docs;
}

// The label of each shown story of a state run, by story id.
std::map<std::string, std::vector<std::string>> LabelsById(const StateRunResult& run) {
  std::map<std::string, std::vector<std::string>> labels;
  for (size_t s = 0; s < run.clustering.stories.size(); ++s) {
    labels[run.clustering.story_ids[s]] = run.clustering.stories[s].label;
  }
  return labels;
}

// A day run again where the clustering puts two stored stories in one
// cluster: without news neither merges (the news rule), and each keeps a
// label of its own members. The wheat story showed the joint cluster's
// label, the oil story's terms ("Saudi", "Arabia", "Vienna", "Kansas").
TEST(StateJobTest, StoredStoryKeptApartInAnotherStorysClusterKeepsItsOwnLabel) {
  TempDir dir;
  StateJobOptions state;
  state.dir = dir / "state";
  const auto ok = [](const StateRunResult&) { return absl::OkStatus(); };
  InputStream day = DocumentsInput(OilAndWheatDay());
  auto first = RunClusterWithState(ClusterJobOptions(), state, day, {}, ok);
  ASSERT_TRUE(first.ok()) << first.status();
  const auto before = LabelsById(*first);
  ASSERT_EQ(before.size(), 2u);
  ASSERT_NE(before.at("s0001"), before.at("s0002"));

  ClusterJobOptions joining;
  joining.stories.story.threshold = 0.02f;
  InputStream joint_day = DocumentsInput(OilAndWheatDay());
  auto joint = RunCluster(joining, joint_day, {});
  ASSERT_TRUE(joint.ok()) << joint.status();
  ASSERT_EQ(joint->stories.size(), 1u);  // One cluster: the case to test.

  InputStream again = DocumentsInput(OilAndWheatDay());
  state.accept_option_change = true;  // The threshold changes on purpose.
  auto rerun = RunClusterWithState(joining, state, again, {}, ok);
  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(rerun->statuses, (std::vector<std::string>{"unchanged", "unchanged"}));
  EXPECT_EQ(LabelsById(*rerun), before);
  for (const RankedStory& s : rerun->clustering.stories) {
    EXPECT_NE(s.label, joint->stories[0].label);
  }
}

// A document dated past the state's credible clock is counted for a warning
// in the run where it, or a new version of it, arrives; while the state
// holds it unchanged, later runs count it as held, not as arriving. (A new
// version so dated was capped without a word.)
TEST(StateJobTest, FutureDatedArticleCountsAsArrivingOnceThenAsHeld) {
  TempDir dir;
  StateJobOptions state;
  state.dir = dir / "state";
  state.clock_seconds = 1488412800;  // 2017-03-02.
  const auto ok = [](const StateRunResult&) { return absl::OkStatus(); };
  Document ahead;
  ahead.id = "ahead";
  ahead.text = "Zebras crossed the river in the Serengeti at dawn as tourists watched.";
  ahead.published = 1496275200;  // 2017-06-01: three months past the clock.
  const auto run = [&](std::vector<Document> docs) {
    InputStream day = DocumentsInput(std::move(docs));
    auto result = RunClusterWithState(ClusterJobOptions(), state, day, {}, ok);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? std::make_pair(result->future_dated, result->future_dated_held)
                       : std::make_pair(size_t{99}, size_t{99});
  };
  std::vector<Document> first = OilAndWheatDay();
  first.push_back(ahead);
  EXPECT_EQ(run(first), std::make_pair(size_t{1}, size_t{0}));
  std::vector<Document> second = OilAndWheatDay();
  for (Document& d : second) d.id += "-b";
  EXPECT_EQ(run(second), std::make_pair(size_t{0}, size_t{1}));
  EXPECT_EQ(run(second), std::make_pair(size_t{0}, size_t{1}));  // A re-run.
  ahead.text += " A second herd followed.";  // A new version arrives, as dated.
  EXPECT_EQ(run({ahead}), std::make_pair(size_t{1}, size_t{0}));
  EXPECT_EQ(run({ahead}), std::make_pair(size_t{0}, size_t{1}));
}

// The state records the options that shape its stories. A run with other
// ones re-clustered the retained stories without a word: it is refused,
// naming each change, and leaves the state as it was, unless the change is
// accepted, which records the new options. Threads, waiting and the clock
// are not options of the stories.
TEST(StateJobTest, StateRunWithOtherOptionsIsRefusedUnlessAccepted) {
  TempDir dir;
  StateJobOptions state;
  state.dir = dir / "state";
  bool wrote = false;
  const auto write = [&wrote](const StateRunResult&) {
    wrote = true;
    return absl::OkStatus();
  };
  const auto run = [&](const ClusterJobOptions& options, const RunContext& context = {}) {
    wrote = false;
    InputStream day = DocumentsInput(OilAndWheatDay());
    return RunClusterWithState(options, state, day, context, write);
  };
  ASSERT_TRUE(run(ClusterJobOptions()).ok());
  const absl::StatusOr<StoryState> recorded = LoadStoryState(state.dir);
  ASSERT_TRUE(recorded.ok() && recorded->options.has_value());

  ClusterJobOptions changed;
  changed.stories.story.threshold = 0.3f;
  changed.dedup.normalize.stem = true;
  changed.tfidf.idf_power = 1.5f;  // A library field without a flag.
  auto refused = run(changed);
  EXPECT_TRUE(IsStateOptionChange(refused.status())) << refused.status();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(refused.status().message());
  for (const char* part :
       {"story_threshold: recorded 0.2, now 0.3", "stem: recorded false, now true",
        "tfidf.idf_power: recorded 1, now 1.5", "accept_option_change"}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << " in " << message;
  }
  EXPECT_FALSE(wrote);
  EXPECT_EQ(LoadStoryState(state.dir)->generation, recorded->generation);
  state.retention_seconds = 3 * 86400;
  state.style = SettingStyle::kFlag;
  refused = run(ClusterJobOptions());
  EXPECT_NE(refused.status().message().find("--retention-days: recorded 7, now 3"),
            std::string::npos)
      << refused.status();
  EXPECT_NE(refused.status().message().find("--accept-option-change"), std::string::npos);
  state.retention_seconds = 7 * 86400;

  RunContext other_run;
  other_run.threads = 1;
  state.wait_seconds = 5;
  state.clock_seconds = 1488412800;
  auto same = run(ClusterJobOptions(), other_run);
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TRUE(same->option_changes.empty());

  state.accept_option_change = true;
  auto accepted = run(changed);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_TRUE(wrote);
  ASSERT_EQ(accepted->option_changes.size(), 3u);
  EXPECT_EQ(accepted->option_changes[0].name, "stem");
  EXPECT_EQ(accepted->option_changes[0].recorded, "false");
  EXPECT_EQ(accepted->option_changes[0].now, "true");
  // The new options are the recorded ones now; the old ones are a change.
  state.accept_option_change = false;
  EXPECT_TRUE(run(changed).ok());
  EXPECT_TRUE(IsStateOptionChange(run(ClusterJobOptions()).status()));
}

// Someone deletes DIR/LOCK (a "stale lock") while a run holds it: a second
// writer could lock the new file, so the run must not commit.
TEST(StateJobTest, StateRunWhoseLockFileWasRemovedDoesNotCommit) {
  TempDir dir;
  const std::string state_dir = dir / "state";
  StateJobOptions state;
  state.dir = state_dir;
  auto remove_lock = [&](const StateRunResult&) {
    std::filesystem::remove(StateLockPath(state_dir));
    return absl::OkStatus();
  };
  auto input = InputStream::Open({kSeedsDir}, ReaderOptions());
  ASSERT_TRUE(input.ok());
  auto run = RunClusterWithState(ClusterJobOptions(), state, *input, {}, remove_lock);
  EXPECT_EQ(run.status().code(), absl::StatusCode::kAborted) << run.status();
  EXPECT_NE(run.status().message().find("removed or replaced"), std::string::npos);
  auto shown = ReadStateStories(state_dir, {});
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_TRUE(shown->active.stories.empty());  // Nothing committed.
  // The next run locks the file that is there now and commits.
  input = InputStream::Open({kSeedsDir}, ReaderOptions());
  auto next = RunClusterWithState(ClusterJobOptions(), state, *input, {},
                                  [](const StateRunResult&) { return absl::OkStatus(); });
  ASSERT_TRUE(next.ok()) << next.status();
}

// The outputs are renamed into place after the commit. When that failed
// (or the run died there), the state held the day and a retry found every
// record unchanged: the day's output was lost. The same input again is
// now that run done again from the generation it started from: the same
// lines, no commit; once its outputs are written, a re-run; and a run of
// another input first says those outputs can no longer be written.
TEST(StateJobTest, SameInputAgainWritesTheOutputsOfARunThatCouldNotPublishThem) {
  TempDir dir;
  StateJobOptions state;
  state.dir = dir / "state";
  std::vector<std::string> written;
  const auto write = [&written](const StateRunResult& r) {
    written = r.lines;
    return absl::OkStatus();
  };
  using Publish = std::function<absl::Status(const StateRunResult&)>;
  const Publish fail = [](const StateRunResult&) {
    return absl::PermissionDeniedError("cannot rename out.tmp to out");
  };
  const Publish ok = [](const StateRunResult&) { return absl::OkStatus(); };
  const auto run = [&](std::vector<Document> docs, const Publish& publish) {
    InputStream day = DocumentsInput(std::move(docs));
    return RunClusterWithState(ClusterJobOptions(), state, day, {}, write, publish);
  };
  std::vector<Document> tomorrow = OilAndWheatDay();
  for (Document& d : tomorrow) d.id += "-b";
  ASSERT_TRUE(run(tomorrow, ok).ok());  // A first day, so the next starts from a generation.
  const uint64_t before = LoadStoryState(state.dir)->generation;

  auto failed = run(OilAndWheatDay(), fail);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(failed.status().message().find("run the same input again"), std::string::npos)
      << failed.status();
  EXPECT_EQ(LoadStoryState(state.dir)->generation, before + 1);  // The day is committed.
  const std::vector<std::string> first = written;

  for (int attempt = 0; attempt < 2; ++attempt) {  // A failure again changes nothing.
    written.clear();
    auto again = run(OilAndWheatDay(), attempt == 0 ? fail : ok);
    if (attempt == 0) {
      EXPECT_FALSE(again.ok());
      continue;
    }
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->redone_generation, before + 1);
    EXPECT_EQ(again->repeats, 0u);
    EXPECT_EQ(written, first);
  }
  EXPECT_EQ(LoadStoryState(state.dir)->generation, before + 1);  // Nothing committed again.

  // Written: the same input again is a re-run.
  auto rerun = run(OilAndWheatDay(), ok);
  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(rerun->redone_generation, 0u);
  EXPECT_EQ(rerun->repeats, 5u);
  EXPECT_EQ(rerun->statuses, (std::vector<std::string>{"unchanged", "unchanged"}));

  // A day whose outputs failed, then another input: warned of.
  std::vector<Document> third = OilAndWheatDay();
  for (Document& d : third) d.id += "-c";
  ASSERT_FALSE(run(third, fail).ok());
  const uint64_t unwritten = LoadStoryState(state.dir)->generation;
  auto other = run(tomorrow, ok);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_EQ(other->redone_generation, 0u);
  EXPECT_EQ(other->unwritten_generation, unwritten);
}

}  // namespace
}  // namespace storysift
