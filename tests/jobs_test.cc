// The public jobs (storysift/jobs.h): dedup and cluster from files and from
// documents in memory give the same verdicts and stories, on the seeds and
// a generated corpus with planted copies, whatever the RunContext; the
// --state job keeps the state when the outputs fail.
#include "storysift/jobs.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "corpus_gen.h"
#include "gtest/gtest.h"
#include "temp_dir.h"

namespace storysift {
namespace {

using testing_util::TempDir;

const std::string kSeedsDir = std::string(STORYSIFT_DATA_DIR) + "/seeds";
constexpr int kGeneratedDocs = 300;

// The documents of `paths`, read into memory.
std::vector<Document> ReadDocuments(const std::vector<std::string>& paths) {
  std::vector<Document> docs;
  std::vector<ReadRecord> skipped;
  const absl::Status status = ReadAll(paths, ReaderOptions(), &docs, &skipped);
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_TRUE(skipped.empty());
  return docs;
}

DedupResult DedupPaths(const std::vector<std::string>& paths, const RunContext& context = {}) {
  auto input = InputStream::Open(paths, ReaderOptions());
  EXPECT_TRUE(input.ok()) << input.status();
  auto result = RunDedup(DedupJobOptions(), *input, context);
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

DedupResult DedupDocuments(std::vector<Document> docs) {
  InputStream input = DocumentsInput(std::move(docs));
  auto result = RunDedup(DedupJobOptions(), input, {});
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

ClusterResult ClusterInput(InputStream& input, const RunContext& context = {}) {
  auto result = RunCluster(ClusterJobOptions(), input, context);
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

ClusterResult ClusterPaths(const std::vector<std::string>& paths,
                           const RunContext& context = {}, const ReaderOptions& reader = {}) {
  auto input = InputStream::Open(paths, reader);
  EXPECT_TRUE(input.ok()) << input.status();
  return ClusterInput(*input, context);
}

void ExpectSameVerdicts(const DedupResult& a, const DedupResult& b) {
  const std::vector<DocumentVerdict> va = DocumentVerdicts(a.documents, a.groups);
  const std::vector<DocumentVerdict> vb = DocumentVerdicts(b.documents, b.groups);
  ASSERT_EQ(va.size(), vb.size());
  for (size_t i = 0; i < va.size(); ++i) {
    EXPECT_EQ(va[i].id, vb[i].id);
    EXPECT_EQ(va[i].group, vb[i].group) << va[i].id;
    EXPECT_EQ(va[i].role, vb[i].role) << va[i].id;
    EXPECT_EQ(va[i].representative_id, vb[i].representative_id) << va[i].id;
    EXPECT_EQ(va[i].similarity, vb[i].similarity) << va[i].id;
  }
}

void ExpectSameStories(const ClusterResult& a, const ClusterResult& b) {
  const std::vector<StoryRecord> sa = StoryRecords(a);
  const std::vector<StoryRecord> sb = StoryRecords(b);
  ASSERT_EQ(sa.size(), sb.size());
  for (size_t i = 0; i < sa.size(); ++i) {
    EXPECT_EQ(sa[i].story_id, sb[i].story_id);
    EXPECT_EQ(sa[i].label, sb[i].label);
    EXPECT_EQ(sa[i].headline, sb[i].headline);
    ASSERT_EQ(sa[i].articles.size(), sb[i].articles.size()) << sa[i].story_id;
    for (size_t j = 0; j < sa[i].articles.size(); ++j) {
      EXPECT_EQ(sa[i].articles[j].id, sb[i].articles[j].id);
      EXPECT_EQ(sa[i].articles[j].novelty, sb[i].articles[j].novelty);
      EXPECT_EQ(sa[i].articles[j].new_terms, sb[i].articles[j].new_terms);
      EXPECT_EQ(sa[i].articles[j].copy_of, sb[i].articles[j].copy_of);
    }
  }
}

// A generated corpus written to `dir`: real Reuters articles (none in a
// gold near-duplicate pair) as originals, and exact copies and copies with
// a site's header and footer planted among them; *gen answers which
// document copies which. "" without the shared data.
std::string WriteGeneratedCorpus(const TempDir& dir,
                                 std::optional<corpusgen::CorpusGenerator>* gen) {
  const std::string reuters = std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578";
  auto bases = corpusgen::ReadBaseArticles(reuters + "/reuters.jsonl");
  if (!bases.ok()) return "";
  std::ifstream pairs(reuters + "/reuters.neardup_pairs.tsv");
  std::set<std::string> paired;
  std::string a, b, jaccard;
  while (pairs >> a >> b >> jaccard) paired.insert({a, b});
  std::erase_if(*bases, [&](const corpusgen::BaseArticle& x) { return paired.contains(x.id); });
  corpusgen::CorpusOptions options;
  options.num_docs = kGeneratedDocs;
  options.copy_share = 0.3;
  options.seed = 20;
  options.real_originals = true;
  options.kinds = {corpusgen::CopyKind::kExact, corpusgen::CopyKind::kHeaderFooter};
  auto made = corpusgen::CorpusGenerator::Create(*std::move(bases), options);
  EXPECT_TRUE(made.ok()) << made.status();
  if (!made.ok()) return "";
  gen->emplace(*std::move(made));
  const std::string path = dir / "corpus.jsonl";
  EXPECT_TRUE((*gen)->WriteCorpus(path).ok());
  return path;
}

TEST(JobsTest, SeedsDedupFromFilesAndFromMemoryAgree) {
  const DedupResult from_files = DedupPaths({kSeedsDir});
  const DedupResult from_memory = DedupDocuments(ReadDocuments({kSeedsDir}));
  ASSERT_EQ(from_files.documents.num_docs(), 3u);
  // The three seed articles are one event told three ways: no copies.
  for (const DocumentVerdict& v : DocumentVerdicts(from_files.documents, from_files.groups)) {
    EXPECT_EQ(v.role, CopyRole::kUnique) << v.id;
  }
  ExpectSameVerdicts(from_files, from_memory);
}

TEST(JobsTest, SeedsClusterIntoOneStoryFromFilesAndFromMemory) {
  const ClusterResult from_files = ClusterPaths({kSeedsDir});
  InputStream memory = DocumentsInput(ReadDocuments({kSeedsDir}));
  const ClusterResult from_memory = ClusterInput(memory);
  const std::vector<StoryRecord> stories = StoryRecords(from_files);
  ASSERT_EQ(stories.size(), 1u);
  EXPECT_EQ(stories[0].story_id, "s0001");
  EXPECT_EQ(stories[0].articles.size(), 3u);
  EXPECT_EQ(stories[0].articles[0].novelty, 1.0f);
  ExpectSameStories(from_files, from_memory);
}

TEST(JobsTest, AnExactCopyInMemoryJoinsTheSeedStoryAndRanksLast) {
  std::vector<Document> docs = ReadDocuments({kSeedsDir});
  Document copy = docs[1];
  copy.id = "reprint";
  docs.push_back(copy);
  InputStream input = DocumentsInput(std::move(docs));
  const ClusterResult result = ClusterInput(input);
  const std::vector<StoryRecord> stories = StoryRecords(result);
  ASSERT_EQ(stories.size(), 1u);
  ASSERT_EQ(stories[0].articles.size(), 4u);
  const StoryArticle& last = stories[0].articles.back();
  EXPECT_EQ(last.id, "reprint");
  EXPECT_EQ(last.copy_of, result.documents.ids[1]);
  const std::vector<DocumentVerdict> verdicts = DocumentVerdicts(result.documents, result.groups);
  EXPECT_EQ(verdicts[3].role, CopyRole::kCopy);
  EXPECT_EQ(verdicts[3].representative_id, verdicts[1].id);
  EXPECT_EQ(verdicts[3].group, verdicts[1].group);
}

// A model counted over stemmed terms fits only stemmed runs: the job says so
// before it reads anything, batch and --state alike.
TEST(JobsTest, AnIdfModelOfOtherTermOptionsIsRefusedBeforeReading) {
  NormalizeOptions stemmed;
  stemmed.stem = true;
  ClusterJobOptions options;
  options.idf = std::make_shared<const IdfModel>(*IdfModel::FromTerms(1, {}, stemmed));
  InputStream input = DocumentsInput(ReadDocuments({kSeedsDir}));
  absl::StatusOr<ClusterResult> refused = RunCluster(options, input, {});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("stem: model on, run off"), std::string::npos)
      << refused.status();
  const TempDir tmp;
  StateJobOptions state;
  state.dir = tmp / "state";
  InputStream day = DocumentsInput(ReadDocuments({kSeedsDir}));
  bool wrote = false;
  auto in_state = RunClusterWithState(options, state, day, {}, [&](const StateRunResult&) {
    wrote = true;
    return absl::OkStatus();
  });
  EXPECT_EQ(in_state.status().code(), absl::StatusCode::kInvalidArgument) << in_state.status();
  EXPECT_FALSE(wrote);

  options.dedup.normalize.stem = true;
  InputStream again = DocumentsInput(ReadDocuments({kSeedsDir}));
  absl::StatusOr<ClusterResult> fits = RunCluster(options, again, {});
  ASSERT_TRUE(fits.ok()) << fits.status();
  EXPECT_EQ(fits->documents.num_docs(), 3u);
}

TEST(JobsTest, BlankDocumentsInMemoryAreSkippedAndCounted) {
  std::vector<Document> docs = ReadDocuments({kSeedsDir});
  Document blank;
  blank.id = "blank";
  blank.text = "  \n ";
  docs.insert(docs.begin() + 1, blank);
  Document unnamed = docs[0];
  unnamed.id = "";
  unnamed.text += " More.";
  docs.push_back(unnamed);
  const DedupResult result = DedupDocuments(std::move(docs));
  // Five records: four documents and one skip, in input order.
  ASSERT_EQ(result.documents.input_order.size(), 5u);
  EXPECT_TRUE(result.documents.input_order[1].skipped);
  EXPECT_EQ(result.documents.num_docs(), 4u);
  EXPECT_EQ(result.report.skipped_reason(result.documents.input_order[1].index), "empty_text");
  EXPECT_EQ(result.report.skipped_origin(0).ToString(), "memory:2");
  // A blank id is the record's number, as a reader names a record.
  EXPECT_EQ(result.documents.ids[3], "5");
  const std::vector<DocumentVerdict> verdicts = DocumentVerdicts(result.documents, result.groups);
  EXPECT_EQ(verdicts[3].role, CopyRole::kCopy);
  EXPECT_EQ(verdicts[3].representative_id, verdicts[0].id);
}

TEST(JobsTest, GeneratedCopiesAreFoundFromFilesAndFromMemoryAlike) {
  TempDir dir;
  std::optional<corpusgen::CorpusGenerator> made;
  const std::string path = WriteGeneratedCorpus(dir, &made);
  if (path.empty()) GTEST_SKIP() << "no shared Reuters data";
  const corpusgen::CorpusGenerator& gen = *made;
  const DedupResult from_files = DedupPaths({path});
  const DedupResult from_memory = DedupDocuments(ReadDocuments({path}));
  ExpectSameVerdicts(from_files, from_memory);
  ASSERT_EQ(from_files.documents.num_docs(), static_cast<size_t>(kGeneratedDocs));
  // Every planted copy is grouped with its original (exact copies and
  // copies with a site's header and footer added are found at the default
  // threshold); documents of different originals never share a group.
  const std::vector<DocumentVerdict> verdicts =
      DocumentVerdicts(from_files.documents, from_files.groups);
  size_t copies = 0;
  for (uint64_t i = 0; i < gen.num_docs(); ++i) {
    for (uint64_t j = i + 1; j < gen.num_docs(); ++j) {
      const bool planted = gen.original_of(i) == gen.original_of(j);
      EXPECT_EQ(verdicts[i].group == verdicts[j].group, planted)
          << verdicts[i].id << " " << verdicts[j].id;
    }
    copies += verdicts[i].role == CopyRole::kCopy;
  }
  size_t planted_copies = 0;
  for (uint64_t i = 0; i < gen.num_docs(); ++i) planted_copies += gen.is_copy(i);
  EXPECT_EQ(copies, planted_copies);
}

TEST(JobsTest, ThreadsDoNotChangeResultsAndTimingsAndStagesAreReported) {
  TempDir dir;
  std::optional<corpusgen::CorpusGenerator> made;
  const std::string path = WriteGeneratedCorpus(dir, &made);
  if (path.empty()) GTEST_SKIP() << "no shared Reuters data";
  JobTimings timings;
  std::vector<std::string> stages;
  RunContext two;
  two.threads = 2;
  two.timings = &timings;
  two.on_stage = [&stages](const char* stage) { stages.emplace_back(stage); };
  RunContext one;
  one.threads = 1;
  const ClusterResult a = ClusterPaths({path}, one);
  const ClusterResult b = ClusterPaths({path}, two);
  ExpectSameStories(a, b);
  EXPECT_GT(a.stories.size(), 1u);
  EXPECT_GT(timings.load_wall, 0);
  EXPECT_GT(timings.read.parallel_wall, 0);
  EXPECT_GT(timings.group_wall, 0);
  EXPECT_GT(timings.stories.cluster_wall, 0);
  EXPECT_EQ(stages, (std::vector<std::string>{"grouping copies", "clustering stories"}));
}

TEST(JobsTest, StateRunCommitsOnlyWhenTheOutputsWereWritten) {
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
TEST(JobsTest, StoredStoryKeptApartInAnotherStorysClusterKeepsItsOwnLabel) {
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
TEST(JobsTest, FutureDatedArticleCountsAsArrivingOnceThenAsHeld) {
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
TEST(JobsTest, StateRunWithOtherOptionsIsRefusedUnlessAccepted) {
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
TEST(JobsTest, StateRunWhoseLockFileWasRemovedDoesNotCommit) {
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

}  // namespace
}  // namespace storysift
