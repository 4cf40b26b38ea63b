// Acceptance of the story job (issue 4) on the seeds: the three Sessions-
// Kislyak articles form one story, alone and among unrelated news, with
// distinct novelty; an exact copy joins the story and ranks last.
#include "storysift/jobs.h"

#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "io/dedup_writer.h"
#include "io/json_writer.h"
#include "temp_dir.h"

namespace storysift {
namespace {

const std::string kSeedsDir = std::string(STORYSIFT_DATA_DIR) + "/seeds";
const std::string kShared = STORYSIFT_SHARED_DATA_DIR;

// The story job, as `storysift cluster` runs it.
ClusterResult RunStories(const std::vector<std::string>& paths,
                         StoryMode mode = StoryMode::kBatch) {
  auto input = InputStream::Open(paths, ReaderOptions());
  EXPECT_TRUE(input.ok()) << input.status();
  ClusterJobOptions options;
  options.stories.mode = mode;
  auto result = RunCluster(options, *input, RunContext());
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

bool IsSeed(const std::string& id) { return id.size() > 4 && id[3] == '_'; }

// The story holding `id`, or nullptr.
const RankedStory* StoryOf(const ClusterResult& run, const std::string& id) {
  for (const RankedStory& s : run.stories) {
    for (const RankedArticle& a : s.articles) {
      if (run.documents.ids[a.ordinal] == id) return &s;
    }
  }
  return nullptr;
}

// Writes up to `n` lines of a shared JSONL file plus `extra` lines to
// `path`. Returns "" when the shared file is absent.
std::string SampleJsonl(const std::string& shared_file, size_t n,
                        const std::vector<std::string>& extra, const std::string& path) {
  std::ifstream in(shared_file);
  if (!in) return "";
  std::ofstream out(path);
  std::string line;
  for (size_t i = 0; i < n && std::getline(in, line); ++i) out << line << "\n";
  for (const std::string& e : extra) out << e << "\n";
  return path;
}

std::string SeedText(const std::string& file) {
  std::ifstream in(kSeedsDir + "/" + file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void ExpectSeedsFormOneDistinctStory(const ClusterResult& run) {
  const RankedStory* story = StoryOf(run, "000_8648b8e4cc17f650.txt");
  ASSERT_NE(story, nullptr);
  int seeds = 0;
  for (const RankedArticle& a : story->articles) {
    const std::string& id = run.documents.ids[a.ordinal];
    if (IsSeed(id)) {
      ++seeds;
    } else {
      EXPECT_TRUE(a.copy_of.has_value()) << "unrelated article " << id << " joined the seeds";
    }
  }
  EXPECT_EQ(seeds, 3);
  std::vector<float> scores;
  for (const RankedArticle& a : story->articles) {
    if (IsSeed(run.documents.ids[a.ordinal])) scores.push_back(a.novelty);
  }
  ASSERT_EQ(scores.size(), 3u);
  EXPECT_NE(scores[0], scores[1]);
  EXPECT_NE(scores[1], scores[2]);
  EXPECT_NE(scores[0], scores[2]);
}

TEST(StoryPipelineTest, SeedsFormOneStoryWithThreeDistinctNoveltyScores) {
  ClusterResult run = RunStories({kSeedsDir});
  ASSERT_EQ(run.documents.num_docs(), 3u);
  ASSERT_EQ(run.stories.size(), 1u);
  ExpectSeedsFormOneDistinctStory(run);
  for (const CopyAssignment& a : run.groups.docs) EXPECT_EQ(a.role, CopyRole::kUnique);
  EXPECT_FALSE(run.stories[0].label.empty());
}

TEST(StoryPipelineTest, SeedsStayOneStoryAmongHundredsOfUnrelatedArticles) {
  const testing_util::TempDir tmp;
  const std::string bbc =
      SampleJsonl(kShared + "/bbc/bbc.jsonl", 300, {}, tmp / "mix_bbc.jsonl");
  const std::string reuters =
      SampleJsonl(kShared + "/reuters21578/reuters.jsonl", 300, {}, tmp / "mix_reuters.jsonl");
  if (bbc.empty() || reuters.empty()) GTEST_SKIP() << "shared BBC/Reuters data absent";
  for (StoryMode mode : {StoryMode::kBatch, StoryMode::kStreaming}) {
    ClusterResult run = RunStories({bbc, kSeedsDir, reuters}, mode);
    ASSERT_EQ(run.documents.num_docs(), 603u);
    ExpectSeedsFormOneDistinctStory(run);
    for (DocOrdinal d = 0; d < run.documents.num_docs(); ++d) {
      if (IsSeed(run.documents.ids[d])) {
        EXPECT_EQ(run.groups.docs[d].role, CopyRole::kUnique);
      }
    }
    // Every document is in exactly one story.
    std::vector<int> seen(run.documents.num_docs(), 0);
    for (const RankedStory& s : run.stories) {
      for (const RankedArticle& a : s.articles) ++seen[a.ordinal];
    }
    for (int count : seen) EXPECT_EQ(count, 1);
  }
}

TEST(StoryPipelineTest, ExactCopyOfASeedJoinsItsStoryAndRanksLast) {
  const testing_util::TempDir tmp;
  std::string line = JsonObject()
                         .Str("id", "copy-of-001")
                         .Str("text", SeedText("001_b1bb489c0326580c.txt"))
                         .Finish();
  const std::string path = SampleJsonl(kSeedsDir + "/../ecbplus/ecbplus_topics_1-25.jsonl",
                                       100, {line}, tmp / "seed_copy.jsonl");
  ASSERT_FALSE(path.empty());
  ClusterResult run = RunStories({kSeedsDir, path});
  const RankedStory* story = StoryOf(run, "copy-of-001");
  ASSERT_NE(story, nullptr);
  EXPECT_EQ(story, StoryOf(run, "001_b1bb489c0326580c.txt"));
  ExpectSeedsFormOneDistinctStory(run);
  const RankedArticle& last = story->articles.back();
  EXPECT_EQ(run.documents.ids[last.ordinal], "copy-of-001");
  EXPECT_LT(last.novelty, 0.05f);
  ASSERT_TRUE(last.copy_of.has_value());
  EXPECT_EQ(run.documents.ids[*last.copy_of], "001_b1bb489c0326580c.txt");
}

}  // namespace
}  // namespace storysift
