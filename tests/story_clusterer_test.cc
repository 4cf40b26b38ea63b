#include "storysift/story_clusterer.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "story_test_util.h"

namespace storysift {
namespace {

using testing::Generate;
using testing::ItemsOf;
using testing::Norm;
using testing::PairwiseScores;
using testing::Vectorize;

std::vector<Story> ClusterBatch(const std::vector<StoryItem>& items, const Vocabulary& vocab,
                                StoryOptions options = {}) {
  absl::StatusOr<StoryClusterer> c = StoryClusterer::Create(options);
  EXPECT_TRUE(c.ok()) << c.status();
  absl::StatusOr<std::vector<Story>> stories = c->Cluster(items, vocab);
  EXPECT_TRUE(stories.ok()) << stories.status();
  return *stories;
}

std::vector<Story> ClusterStreaming(const std::vector<StoryItem>& items,
                                    const Vocabulary& vocab, StoryOptions options = {}) {
  StoryTracker t = *StoryTracker::Create(options);
  for (const StoryItem& it : items) EXPECT_TRUE(t.Add(it).ok());
  return *t.Finish(vocab);
}

void ExpectPartition(const std::vector<Story>& stories, size_t n) {
  std::vector<int> count(n, 0);
  for (size_t s = 0; s < stories.size(); ++s) {
    ASSERT_FALSE(stories[s].members.empty());
    EXPECT_TRUE(std::is_sorted(stories[s].members.begin(), stories[s].members.end()));
    if (s > 0) {
      EXPECT_LT(stories[s - 1].members[0], stories[s].members[0]);
    }
    for (DocOrdinal o : stories[s].members) ++count[o];
  }
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(count[i], 1) << "ordinal " << i;
}

TEST(StoryClustererTest, GeneratedStoriesAreRecoveredByBatchAndStreaming) {
  testing::GeneratedCorpus corpus = Generate(8, 25, 20, 40, 7);
  TfidfMatrix m = Vectorize(corpus.texts);
  std::vector<StoryItem> items = ItemsOf(m);
  std::vector<Story> batch = ClusterBatch(items, m.vocabulary());
  ExpectPartition(batch, items.size());
  EXPECT_GE(PairwiseScores(batch, corpus.gold).f1, 0.99);
  StoryOptions single;
  single.linkage = Linkage::kSingle;
  EXPECT_GE(PairwiseScores(ClusterBatch(items, m.vocabulary(), single), corpus.gold).f1, 0.99);
  // Single-pass centroid assignment is order-dependent: an early article
  // that matches its first story weakly may start a story of its own.
  std::vector<Story> stream = ClusterStreaming(items, m.vocabulary());
  ExpectPartition(stream, items.size());
  EXPECT_GE(PairwiseScores(stream, corpus.gold).f1, 0.95);
  // Labels come from the group's own vocabulary, not the shared noise.
  ASSERT_EQ(batch.size(), 8u);
  for (const Story& s : batch) {
    ASSERT_EQ(s.label.size(), 4u);
    const std::string prefix = absl::StrCat("g", corpus.gold[s.members[0]], "w");
    for (const std::string& term : s.label) EXPECT_EQ(term.rfind(prefix, 0), 0u) << term;
  }
}

TEST(StoryClustererTest, StreamingAndBatchAgreeOnWellSeparatedStories) {
  testing::GeneratedCorpus corpus = Generate(10, 15, 40, 20, 13);
  TfidfMatrix m = Vectorize(corpus.texts);
  std::vector<StoryItem> items = ItemsOf(m);
  std::vector<Story> batch = ClusterBatch(items, m.vocabulary());
  std::vector<Story> stream = ClusterStreaming(items, m.vocabulary());
  ASSERT_EQ(batch.size(), 10u);
  ASSERT_EQ(stream.size(), batch.size());
  for (size_t s = 0; s < batch.size(); ++s) {
    EXPECT_EQ(stream[s].members, batch[s].members);
    EXPECT_EQ(stream[s].label, batch[s].label);
  }
}

TEST(StoryClustererTest, ShuffledInputGivesSameStories) {
  testing::GeneratedCorpus corpus = Generate(6, 12, 12, 50, 11);
  const size_t n = corpus.texts.size();
  std::vector<uint32_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0u);
  std::shuffle(perm.begin(), perm.end(), std::mt19937(3));
  std::vector<std::string> shuffled(n);
  for (size_t i = 0; i < n; ++i) shuffled[i] = corpus.texts[perm[i]];
  auto canonical = [&](const std::vector<Story>& stories, bool mapped) {
    std::set<std::set<uint32_t>> out;
    for (const Story& s : stories) {
      std::set<uint32_t> members;
      for (DocOrdinal o : s.members) members.insert(mapped ? perm[o] : o);
      out.insert(members);
    }
    return out;
  };
  TfidfMatrix a = Vectorize(corpus.texts), b = Vectorize(shuffled);
  StoryOptions options;
  options.threshold = 0.12f;  // Low enough that some groups are near the edge.
  std::vector<Story> sa = ClusterBatch(ItemsOf(a), a.vocabulary(), options);
  std::vector<Story> sb = ClusterBatch(ItemsOf(b), b.vocabulary(), options);
  EXPECT_EQ(canonical(sa, false), canonical(sb, true));
  EXPECT_GT(sa.size(), 1u);
}

TEST(StoryClustererTest, CandidatesFindEverySimilarPairWithExactCosine) {
  testing::GeneratedCorpus corpus = Generate(5, 20, 20, 40, 5);
  TfidfMatrix m = Vectorize(corpus.texts);
  std::vector<StoryItem> items = ItemsOf(m);
  CandidateOptions options;
  options.min_similarity = 0.1f;
  std::vector<SimilarPair> pairs = *FindSimilarPairs(items, options);
  std::set<std::pair<uint32_t, uint32_t>> found;
  for (const SimilarPair& p : pairs) {
    ASSERT_LT(p.a, p.b);
    EXPECT_NEAR(p.similarity, Dot(m.row(p.a), m.row(p.b)), 1e-5);
    found.insert({p.a, p.b});
  }
  size_t expected = 0, missed = 0;
  float max_missed = 0;
  for (uint32_t i = 0; i < items.size(); ++i) {
    for (uint32_t j = i + 1; j < items.size(); ++j) {
      const float cos = Dot(m.row(i), m.row(j));
      if (cos >= 0.15f) {
        ++expected;
        if (!found.contains({i, j})) { ++missed; max_missed = std::max(max_missed, cos); }
      }
    }
  }
  EXPECT_GT(expected, 100u);
  // Pairs sharing no top term are rare and weak (measured: 25 of 887, all
  // below 0.23).
  EXPECT_LE(missed, expected / 20);
  EXPECT_LT(max_missed, 0.25f);
  EXPECT_LT(pairs.size(), items.size() * (items.size() - 1) / 2);
}

TEST(StoryClustererTest, LongPostingListsAreWindowedOrSkipped) {
  TfidfMatrix m = Vectorize(std::vector<std::string>(10, "same words"));
  std::vector<StoryItem> items = ItemsOf(m);
  CandidateOptions options;
  options.posting_window = 2;
  options.max_df_fraction = 1.0;  // Windowed: each item pairs with the next 2.
  std::vector<SimilarPair> pairs = *FindSimilarPairs(items, options);
  EXPECT_EQ(pairs.size(), 9u + 8u);
  for (const SimilarPair& p : pairs) EXPECT_LE(p.b - p.a, 2u);
  options.max_df_fraction = 0.5;  // In 100% of items: stop-like, skipped.
  EXPECT_TRUE(FindSimilarPairs(items, options)->empty());
}

TEST(StoryClustererTest, CandidateCapKeepsEachItemsMostSimilarLaterItems) {
  // Item 0 shares j of its ten words with item j (j = 1..8); each later item
  // adds words of its own, so its cosine with item 0 grows with j.
  const std::vector<std::string> words = {"alpha", "beta", "gamma", "delta", "epsilon",
                                          "zeta",  "eta",  "theta", "iota",  "kappa"};
  std::vector<std::string> texts = {absl::StrJoin(words, " ")};
  for (int j = 1; j <= 8; ++j) {
    std::vector<std::string> w(words.begin(), words.begin() + j);
    for (int k = 0; k < 3; ++k) w.push_back(absl::StrCat("own", j, "x", k));
    texts.push_back(absl::StrJoin(w, " "));
  }
  TfidfMatrix m = Vectorize(texts);
  std::vector<StoryItem> items = ItemsOf(m);
  CandidateOptions options;
  options.min_similarity = 0.0f;
  auto partners_of_0 = [&](const std::vector<SimilarPair>& pairs) {
    std::set<uint32_t> out;
    for (const SimilarPair& p : pairs) {
      if (p.a == 0) out.insert(p.b);
    }
    return out;
  };
  options.max_candidates_per_item = 0;  // No cap: all eight.
  EXPECT_EQ(partners_of_0(*FindSimilarPairs(items, options)).size(), 8u);
  options.max_candidates_per_item = 3;
  const std::vector<SimilarPair> capped = *FindSimilarPairs(items, options);
  // The three with the highest exact cosine.
  std::vector<std::pair<float, uint32_t>> by_cos;
  for (uint32_t j = 1; j < items.size(); ++j) by_cos.push_back({-Dot(m.row(0), m.row(j)), j});
  std::sort(by_cos.begin(), by_cos.end());
  EXPECT_EQ(partners_of_0(capped),
            (std::set<uint32_t>{by_cos[0].second, by_cos[1].second, by_cos[2].second}));
  for (uint32_t i = 0; i < items.size(); ++i) {
    EXPECT_LE(std::count_if(capped.begin(), capped.end(),
                            [&](const SimilarPair& p) { return p.a == i; }),
              3);
  }
  options.max_candidates_per_item = -1;
  EXPECT_EQ(FindSimilarPairs(items, options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StoryClustererTest, CappedCandidatesAreTheSameForAnyThreadCount) {
  testing::GeneratedCorpus corpus = Generate(8, 150, 20, 40, 17);  // 1200 items: 3 blocks.
  TfidfMatrix m = Vectorize(corpus.texts);
  std::vector<StoryItem> items = ItemsOf(m);
  CandidateOptions options;
  options.max_candidates_per_item = 5;
  RunContext context;
  context.threads = 1;
  const std::vector<SimilarPair> one = *FindSimilarPairs(items, options, 0, context);
  context.threads = 3;
  const std::vector<SimilarPair> three = *FindSimilarPairs(items, options, 0, context);
  ASSERT_EQ(one.size(), three.size());
  EXPECT_LE(one.size(), items.size() * 5);
  EXPECT_GT(one.size(), items.size());
  for (size_t k = 0; k < one.size(); ++k) {
    EXPECT_EQ(one[k].a, three[k].a);
    EXPECT_EQ(one[k].b, three[k].b);
    EXPECT_EQ(one[k].similarity, three[k].similarity);
  }
}

// Pass 1 passes over items dated beyond the gap at which decay keeps any
// pair below min_similarity. Uncapped, the dated pairs must then be exactly
// the undated candidates whose decayed cosine still reaches the threshold:
// a horizon one day too short would lose pairs here.
TEST(StoryClustererTest, DateHorizonDropsOnlyPairsThatDecayCannotKeep) {
  testing::GeneratedCorpus corpus = Generate(6, 30, 20, 40, 5);
  TfidfMatrix m = Vectorize(corpus.texts);
  std::vector<StoryItem> undated = ItemsOf(m);
  std::vector<StoryItem> dated = undated;
  std::mt19937 rng(5);
  const int64_t day = 86400, window = 3 * day;
  for (StoryItem& it : dated) it.published = static_cast<int64_t>(rng() % (40 * day));
  CandidateOptions options;
  options.max_candidates_per_item = 0;  // Uncapped: every admissible pair.
  options.min_similarity = 0.0f;
  const std::vector<SimilarPair> all = *FindSimilarPairs(undated, options);
  options.min_similarity = 0.05f;
  const std::vector<SimilarPair> kept = *FindSimilarPairs(dated, options, window);
  std::vector<SimilarPair> want;
  size_t decayed_away = 0;
  for (const SimilarPair& p : all) {
    const double decay = TimeDecay(dated[p.a].published, dated[p.b].published, window);
    const float sim = static_cast<float>(p.similarity * decay);
    if (sim >= options.min_similarity && sim > 0) {
      want.push_back({p.a, p.b, sim});
    } else if (decay < 1) {
      ++decayed_away;
    }
  }
  EXPECT_GT(decayed_away, 100u);  // The horizon had pairs to drop.
  ASSERT_EQ(kept.size(), want.size());
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(kept[k].a, want[k].a);
    EXPECT_EQ(kept[k].b, want[k].b);
    EXPECT_EQ(kept[k].similarity, want[k].similarity) << kept[k].a << " " << kept[k].b;
  }
}

TEST(StoryClustererTest, DatesFarApartSplitAStoryAndCloseTrackerStories) {
  std::vector<std::string> texts(4, "kislyak sessions ambassador meeting senate hearing");
  texts.push_back("completely different words about football scores");
  TfidfMatrix m = Vectorize(texts);
  std::vector<StoryItem> items = ItemsOf(m);
  const int64_t day = 86400;
  items[0].published = 0;
  items[1].published = 1 * day;
  items[2].published = 20 * day;  // Far beyond the 3-day window.
  items[3].published = 21 * day;
  items[4].published = 21 * day;
  EXPECT_NEAR(TimeDecay(0, 5 * day, 3 * day), std::exp(-2.0 / 3.0), 1e-12);
  EXPECT_EQ(TimeDecay(0, std::nullopt, 3 * day), 1.0);
  std::vector<Story> batch = ClusterBatch(items, m.vocabulary());
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].members, (std::vector<DocOrdinal>{0, 1}));
  EXPECT_EQ(batch[0].first_published, 0);
  EXPECT_EQ(batch[0].last_published, day);
  EXPECT_EQ(batch[1].members, (std::vector<DocOrdinal>{2, 3}));

  StoryTracker t = *StoryTracker::Create({});
  ASSERT_TRUE(t.Add(items[0]).ok());
  ASSERT_TRUE(t.Add(items[1]).ok());
  EXPECT_EQ(t.num_open_stories(), 1u);
  ASSERT_EQ(*t.Add(items[2]), 1u);  // Story 0 closed: a new story.
  EXPECT_EQ(t.num_open_stories(), 1u);
  EXPECT_EQ(t.Add(items[0]).status().code(), absl::StatusCode::kInvalidArgument);  // Repeat.
  StoryItem old = items[4];
  old.ordinal = 99;
  old.published = 0;
  EXPECT_EQ(t.Add(old).status().code(), absl::StatusCode::kInvalidArgument);  // Backwards.
  ASSERT_TRUE(t.Add(items[3]).ok());
  ASSERT_TRUE(t.Add(items[4]).ok());
  std::vector<Story> stream = *t.Finish(m.vocabulary());
  ASSERT_EQ(stream.size(), 3u);
  EXPECT_EQ(stream[1].members, (std::vector<DocOrdinal>{2, 3}));
  EXPECT_EQ(t.Finish(m.vocabulary()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(StoryClustererTest, BadOptionsAndRepeatedOrdinalsAreInvalidArgument) {
  StoryOptions bad;
  bad.threshold = 0;
  EXPECT_EQ(StoryClusterer::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = {};
  bad.candidates.min_shared_terms = 0;
  EXPECT_EQ(StoryTracker::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = {};
  bad.window_seconds = 0;
  EXPECT_EQ(StoryClusterer::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
  TfidfMatrix m = Vectorize({"a b", "c d"});
  std::vector<StoryItem> items = ItemsOf(m);
  items[1].ordinal = items[0].ordinal;
  EXPECT_EQ(StoryClusterer::Create({})->Cluster(items, m.vocabulary()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(StoryClustererTest, EmptyInputGivesNoStories) {
  TfidfMatrix m = Vectorize({});
  EXPECT_TRUE(ClusterBatch({}, m.vocabulary()).empty());
  EXPECT_TRUE(ClusterStreaming({}, m.vocabulary()).empty());
}

}  // namespace
}  // namespace storysift

namespace storysift {
namespace {

using testing::ReadFile;
using testing::ReadJsonl;

const std::string kShared = STORYSIFT_SHARED_DATA_DIR;

// ECB+ topics 1-25 (Cybulska and Vossen 2014): each topic holds two events
// of the same kind, so topic-level vocabulary overlap is a hard negative.
// Text only (no dates). Prints the sweep that chose the default threshold.
TEST(StoryClustererDataTest, EcbPlusPairwiseF1AtDefaultThreshold) {
  auto rows = ReadJsonl(kShared + "/ecbplus/ecbplus_topics_1-25.jsonl", {"cluster", "text"});
  if (rows.empty()) GTEST_SKIP() << "ECB+ not found under " << kShared;
  std::vector<std::string> texts, gold;
  for (auto& r : rows) {
    texts.push_back(r["text"]);
    gold.push_back(r["cluster"]);
  }
  TfidfMatrix m = Vectorize(texts);
  std::vector<StoryItem> items = ItemsOf(m);
  // Measured with the placeholder normalizer (no stop words), average
  // linkage: t=0.15 F1 0.832, t=0.2 F1 0.828 (P 0.780, R 0.883), t=0.25
  // F1 0.834, t=0.3 F1 0.697; single linkage peaks at 0.792 (t=0.3);
  // streaming at t=0.2 scores 0.789.
  // The threshold was chosen for average linkage alone. With the stray join
  // (an article left alone joins a story by its centroid) t=0.25 scores
  // 0.915 here against 0.859 at 0.2, and on the CLI's dev sets 0.25 is
  // better on all but ECB+ B-cubed F1 (docs/quality.md): a candidate.
  double best = 0;
  for (float t : {0.15f, 0.2f, 0.25f, 0.3f}) {
    StoryOptions o;
    o.threshold = t;
    o.stray_join = 0;
    testing::PairScores s = PairwiseScores(ClusterBatch(items, m.vocabulary(), o), gold);
    std::printf("ECB+ average t=%.2f P=%.3f R=%.3f F1=%.3f\n", t, s.precision, s.recall, s.f1);
    best = std::max(best, s.f1);
  }
  StoryOptions no_strays;
  no_strays.stray_join = 0;
  const testing::PairScores def =
      PairwiseScores(ClusterBatch(items, m.vocabulary(), no_strays), gold);
  EXPECT_GE(def.f1, 0.80);
  const testing::PairScores joined = PairwiseScores(ClusterBatch(items, m.vocabulary()), gold);
  std::printf("ECB+ average t=0.20 with the stray join P=%.3f R=%.3f F1=%.3f\n",
              joined.precision, joined.recall, joined.f1);
  EXPECT_GE(joined.recall, def.recall);
  // With names weighted 3x (#15) t=0.25 gains pairwise F1 (0.867 vs 0.844 here;
  // CLI 0.859 vs 0.846) but loses B-cubed F1 (0.879 vs 0.891), so the default
  // stays at 0.2 and the plateau is judged within 0.03 (was 0.02).
  EXPECT_GE(def.f1, best - 0.03) << "the default threshold is off the plateau";
  StoryOptions single;
  single.linkage = Linkage::kSingle;
  single.threshold = 0.3f;
  EXPECT_GE(PairwiseScores(ClusterBatch(items, m.vocabulary(), single), gold).f1, 0.76);
  const testing::PairScores stream = PairwiseScores(ClusterStreaming(items, m.vocabulary()), gold);
  std::printf("ECB+ streaming t=0.20 P=%.3f R=%.3f F1=%.3f\n", stream.precision, stream.recall,
              stream.f1);
  EXPECT_GE(stream.f1, 0.76);
}

// The three Sessions-Kislyak seed articles, mixed with unrelated BBC and
// Reuters news, form one story that nothing else joins. Seed 002's " date"
// header line is dropped here (the reader will parse it); seed 001's HTML
// and share-menu junk stay in, since the placeholder normalizer keeps them.
TEST(StoryClustererDataTest, SeedsFormOneStoryAmongBackgroundNews) {
  const std::string seeds = kShared + "/seeds/";
  std::vector<std::string> texts = {ReadFile(seeds + "000_8648b8e4cc17f650.txt"),
                                    ReadFile(seeds + "001_b1bb489c0326580c.txt"),
                                    ReadFile(seeds + "002_7b26a201a710dbff.txt")};
  auto bbc = ReadJsonl(kShared + "/bbc/bbc.jsonl", {"title", "text"});
  auto reuters = ReadJsonl(kShared + "/reuters21578/reuters.jsonl", {"title", "text"}, 3000);
  if (texts[0].empty() || bbc.empty() || reuters.empty()) GTEST_SKIP() << "no shared data";
  if (texts[2].rfind(" date ", 0) == 0) texts[2] = texts[2].substr(texts[2].find('\n') + 1);
  // Every 11th BBC article (all categories, incl. politics) and every 15th
  // Reuters article with a body: about 400 unrelated documents.
  for (size_t i = 0; i < bbc.size(); i += 11) texts.push_back(absl::StrCat(bbc[i]["title"], "\n", bbc[i]["text"]));
  for (size_t i = 0; i < reuters.size(); i += 15) {
    if (!reuters[i]["text"].empty()) texts.push_back(absl::StrCat(reuters[i]["title"], "\n", reuters[i]["text"]));
  }
  TfidfMatrix m = Vectorize(texts);
  std::vector<Story> stories = ClusterBatch(ItemsOf(m), m.vocabulary());
  ExpectPartition(stories, texts.size());
  ASSERT_GE(texts.size(), 350u);
  ASSERT_FALSE(stories.empty());
  EXPECT_EQ(stories[0].members, (std::vector<DocOrdinal>{0, 1, 2}));
  std::printf("seed story label:");
  for (const std::string& t : stories[0].label) std::printf(" %s", t.c_str());
  std::printf("\n");
  const std::vector<Story> stream = ClusterStreaming(ItemsOf(m), m.vocabulary());
  EXPECT_EQ(stream[0].members, (std::vector<DocOrdinal>{0, 1, 2}));
}

}  // namespace
}  // namespace storysift
