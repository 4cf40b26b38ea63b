// The stray join of #15 (cluster/stray_join.h): an article that average
// linkage leaves alone beside a story of many varied articles on its event
// joins that story by the cosine with its centroid; an article of another
// event, or one as like two stories as each other, stays alone.
#include "cluster/stray_join.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "story_test_util.h"
#include "storysift/story_clusterer.h"

namespace storysift::internal {
namespace {

using testing::ItemsOf;
using testing::Vectorize;

// An event's articles: each names the event's kCoreWords (who, where) and
// draws kDetailWords of its kDetailVocabulary other words (the details each
// reporter picked), so two articles share the core and a few details.
constexpr int kCoreWords = 3;
constexpr uint32_t kDetailVocabulary = 40;
constexpr int kDetailWords = 12;
// A stray: two core words, as many details, and a few words of its own:
// average linkage leaves it out of a story of 24 such articles, while its
// cosine with their centroid is 0.33 or more (seeds 1-3).
constexpr int kStrayCoreWords = 2;
constexpr int kStrayOwnWords = 4;

std::string Article(int event, std::mt19937* rng, int core_words = kCoreWords,
                    int detail_words = kDetailWords) {
  std::string text;
  for (int k = 0; k < core_words; ++k) absl::StrAppend(&text, "ev", event, "core", k, " ");
  for (int k = 0; k < detail_words; ++k) {
    absl::StrAppend(&text, "ev", event, "detail", (*rng)() % kDetailVocabulary, " ");
  }
  return text;
}

// Words of the article's own (a quote, a side story): in no other text.
std::string OwnWords(int article, int count) {
  std::string text;
  for (int k = 0; k < count; ++k) absl::StrAppend(&text, "own", article, "w", k, " ");
  return text;
}

double Cosine(SparseVectorView a, SparseVectorView b) { return Dot(a, b); }

// The stray's mean cosine with the members and its cosine with their
// centroid (the premise of each test, checked rather than assumed).
void StrayCosines(const TfidfMatrix& m, DocOrdinal stray, DocOrdinal first, DocOrdinal end,
                  double* mean, double* centroid) {
  std::vector<double> sum(m.vocabulary().size(), 0.0);
  double total = 0;
  for (DocOrdinal d = first; d < end; ++d) {
    total += Cosine(m.row(stray), m.row(d));
    const SparseVectorView v = m.row(d);
    for (size_t k = 0; k < v.size(); ++k) sum[v.ids[k]] += v.weights[k];
  }
  double dot = 0, norm = 0;
  for (double w : sum) norm += w * w;
  const SparseVectorView s = m.row(stray);
  for (size_t k = 0; k < s.size(); ++k) dot += s.weights[k] * sum[s.ids[k]];
  *mean = total / (end - first);
  *centroid = dot / std::sqrt(norm);
}

std::vector<Story> Cluster(const TfidfMatrix& m, const StoryOptions& options, int threads = 1) {
  const absl::StatusOr<StoryClusterer> c = StoryClusterer::Create(options);
  EXPECT_TRUE(c.ok()) << c.status();
  RunContext context;
  context.threads = threads;
  absl::StatusOr<std::vector<Story>> stories = c->Cluster(ItemsOf(m), m.vocabulary(), context);
  EXPECT_TRUE(stories.ok()) << stories.status();
  return *stories;
}

// The members of the story holding `ordinal`.
std::vector<DocOrdinal> StoryOf(const std::vector<Story>& stories, DocOrdinal ordinal) {
  for (const Story& s : stories) {
    for (DocOrdinal d : s.members) {
      if (d == ordinal) return s.members;
    }
  }
  return {};
}

constexpr int kStoryArticles = 24;

// 24 articles on event 0, then one short article on it that names one of
// its core words and a few details among many words of its own.
std::vector<std::string> StoryAndOneStray(uint32_t seed) {
  std::mt19937 rng(seed);  // Output is specified by the standard.
  std::vector<std::string> texts;
  for (int i = 0; i < kStoryArticles; ++i) texts.push_back(Article(0, &rng));
  texts.push_back(Article(0, &rng, kStrayCoreWords) + OwnWords(0, kStrayOwnWords));
  return texts;
}

TEST(StrayJoinTest, ALoneArticleJoinsTheStoryWhoseCentroidItIsLike) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    const TfidfMatrix m = Vectorize(StoryAndOneStray(seed));
    const DocOrdinal stray = kStoryArticles;
    double mean = 0, centroid = 0;
    StrayCosines(m, stray, 0, kStoryArticles, &mean, &centroid);
    const StoryOptions defaults;
    // Average linkage alone cannot take it; the centroid test can.
    ASSERT_LT(mean, defaults.threshold) << seed;
    ASSERT_GE(centroid, defaults.stray_join + 0.05) << seed;
    StoryOptions off;
    off.stray_join = 0;
    EXPECT_EQ(StoryOf(Cluster(m, off), stray).size(), 1u) << seed;
    EXPECT_EQ(StoryOf(Cluster(m, defaults), stray).size(), kStoryArticles + 1u) << seed;
  }
}

TEST(StrayJoinTest, AnArticleOfAnotherEventStaysAlone) {
  std::mt19937 rng(7);
  std::vector<std::string> texts;
  for (int i = 0; i < kStoryArticles; ++i) texts.push_back(Article(0, &rng));
  // Another event of the same details' vocabulary but its own names: it
  // meets the story's articles as a candidate, but is not about it.
  std::string other = Article(1, &rng, kCoreWords, 0);
  for (int k = 0; k < 3; ++k) absl::StrAppend(&other, "ev0detail", rng() % kDetailVocabulary, " ");
  texts.push_back(other + OwnWords(1, 8));
  const TfidfMatrix m = Vectorize(texts);
  double mean = 0, centroid = 0;
  StrayCosines(m, kStoryArticles, 0, kStoryArticles, &mean, &centroid);
  ASSERT_GT(mean, 0.0) << "it shares words with the story";
  ASSERT_LT(centroid, StoryOptions().stray_join);
  EXPECT_EQ(StoryOf(Cluster(m, StoryOptions()), kStoryArticles).size(), 1u);
}

TEST(StrayJoinTest, AnArticleAsLikeTwoStoriesJoinsNeither) {
  std::mt19937 rng(11);
  std::vector<std::string> texts;
  for (int e = 0; e < 2; ++e) {
    for (int i = 0; i < kStoryArticles; ++i) texts.push_back(Article(e, &rng));
  }
  // A round-up of both events: the same core and detail words of each.
  std::string roundup;
  for (int k = 0; k < kStrayCoreWords; ++k) absl::StrAppend(&roundup, "ev0core", k, " ev1core", k, " ");
  for (int k = 0; k < kDetailWords; ++k) {
    const uint32_t w = rng() % kDetailVocabulary;
    absl::StrAppend(&roundup, "ev0detail", w, " ev1detail", w, " ");
  }
  texts.push_back(roundup);
  const TfidfMatrix m = Vectorize(texts);
  const DocOrdinal stray = 2 * kStoryArticles;
  double mean[2], centroid[2];
  for (int e = 0; e < 2; ++e) {
    StrayCosines(m, stray, e * kStoryArticles, (e + 1) * kStoryArticles, &mean[e], &centroid[e]);
    ASSERT_GE(centroid[e], StoryOptions().stray_join) << e;
  }
  ASSERT_LT(std::abs(centroid[0] - centroid[1]), 0.05);
  StoryOptions off;
  off.stray_join = 0;
  ASSERT_EQ(StoryOf(Cluster(m, off), stray).size(), 1u);
  const std::vector<Story> stories = Cluster(m, StoryOptions());
  EXPECT_EQ(StoryOf(stories, stray).size(), 1u);
  EXPECT_EQ(StoryOf(stories, 0).size(), size_t{kStoryArticles});
  EXPECT_EQ(StoryOf(stories, kStoryArticles).size(), size_t{kStoryArticles});
}

TEST(StrayJoinTest, TheResultDoesNotDependOnThreads) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    const TfidfMatrix m = Vectorize(StoryAndOneStray(seed));
    const std::vector<Story> one = Cluster(m, StoryOptions(), 1);
    const std::vector<Story> four = Cluster(m, StoryOptions(), 4);
    ASSERT_EQ(one.size(), four.size()) << seed;
    for (size_t s = 0; s < one.size(); ++s) EXPECT_EQ(one[s].members, four[s].members) << seed;
    EXPECT_EQ(StoryOf(four, kStoryArticles).size(), kStoryArticles + 1u) << seed;
  }
}

TEST(StrayJoinTest, BestNeighboursAreTheMostSimilarFirst) {
  const std::vector<SimilarPair> pairs = {{0, 1, 0.3f}, {0, 2, 0.9f}, {1, 2, 0.5f}, {0, 3, 0.3f}};
  const BestNeighbours nb = FindBestNeighbours(5, pairs);
  constexpr int kPer = BestNeighbours::kPerItem;
  EXPECT_EQ(nb.ids[0 * kPer + 0], 2u);
  EXPECT_EQ(nb.ids[0 * kPer + 1], 1u);  // Ties by smaller index.
  EXPECT_EQ(nb.ids[0 * kPer + 2], 3u);
  EXPECT_EQ(nb.ids[0 * kPer + 3], BestNeighbours::kNone);
  EXPECT_EQ(nb.ids[2 * kPer + 0], 0u);
  EXPECT_EQ(nb.ids[2 * kPer + 1], 1u);
  EXPECT_EQ(nb.ids[4 * kPer + 0], BestNeighbours::kNone);
}

// Split over threads by item range, each thread offering only to its own
// items: the same lists as one thread, ties of equal similarity included.
TEST(StrayJoinTest, BestNeighboursDoNotDependOnThreads) {
  std::mt19937 rng(5);
  constexpr uint32_t kItems = 300;
  std::vector<SimilarPair> pairs;
  for (uint32_t a = 0; a < kItems; ++a) {
    for (uint32_t b = a + 1; b < kItems; ++b) {
      if (rng() % 8 == 0) pairs.push_back({a, b, static_cast<float>(rng() % 20) / 20.0f});
    }
  }
  const BestNeighbours one = FindBestNeighbours(kItems, pairs, 1);
  EXPECT_NE(one.ids[0], BestNeighbours::kNone);
  for (int threads : {2, 3, 7}) {
    EXPECT_EQ(FindBestNeighbours(kItems, pairs, threads).ids, one.ids) << threads;
  }
}

TEST(StrayJoinTest, OptionIsChecked) {
  for (float bad : {-0.1f, 1.5f}) {
    StoryOptions o;
    o.stray_join = bad;
    EXPECT_FALSE(StoryClusterer::Create(o).ok()) << bad;
  }
}

}  // namespace
}  // namespace storysift::internal
