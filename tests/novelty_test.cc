#include "storysift/novelty.h"

#include <algorithm>
#include <set>

#include "gtest/gtest.h"
#include "story_test_util.h"

namespace storysift {
namespace {

using testing::Vectorize;

// Articles of one story: 0 and 1 differ, 2 adds a follow-up, 3 copies 0.
const std::vector<std::string> kTexts = {
    "senator sessions met ambassador kislyak twice during the campaign",
    "attorney general sessions denied meeting russian officials at his hearing",
    "democrats demand sessions recuse himself from the russia investigation",
    "senator sessions met ambassador kislyak twice during the campaign",
    "football scores unrelated filler text to spread the idf values around"};

struct Fixture {
  TfidfMatrix m = Vectorize(kTexts);
  std::vector<NoveltyItem> Items(bool dated) const {
    std::vector<NoveltyItem> items;
    for (uint32_t i = 0; i < 4; ++i) {
      NoveltyItem it{i, m.row(i), std::nullopt, std::nullopt};
      if (dated) it.published = 1000 + 100 * static_cast<int64_t>(i);
      items.push_back(it);
    }
    items[3].copy_of = 0;
    return items;
  }
};

const RankedArticle& Find(const NoveltyRanking& r, DocOrdinal o) {
  for (const RankedArticle& a : r.articles) {
    if (a.ordinal == o) return a;
  }
  ADD_FAILURE() << "ordinal " << o << " missing";
  return r.articles.front();
}

TEST(NoveltyTest, ChronologicalFirstScoresOneAndCopyScoresZeroLast) {
  Fixture f;
  absl::StatusOr<NoveltyRanking> r = RankByNovelty(f.Items(true), f.m.vocabulary());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->mode, NoveltyMode::kChronological);
  ASSERT_EQ(r->articles.size(), 4u);
  EXPECT_FLOAT_EQ(Find(*r, 0).novelty, 1.0f);
  EXPECT_EQ(r->articles.back().ordinal, 3u);
  EXPECT_LT(r->articles.back().novelty, 0.05f);
  EXPECT_EQ(r->articles.back().copy_of, std::optional<DocOrdinal>(0));
  EXPECT_TRUE(r->articles.back().new_terms.empty());
  // Article 1 scores 1 - cos(1, 0); article 2 scores 1 - max(cos(2,0), cos(2,1)).
  const float c10 = Dot(f.m.row(1), f.m.row(0));
  const float c20 = Dot(f.m.row(2), f.m.row(0)), c21 = Dot(f.m.row(2), f.m.row(1));
  EXPECT_NEAR(Find(*r, 1).novelty, 1 - c10, 1e-6);
  EXPECT_NEAR(Find(*r, 2).novelty, 1 - std::max(c20, c21), 1e-6);
  // Ranked most novel first.
  for (size_t k = 1; k < 3; ++k) EXPECT_GE(r->articles[k - 1].novelty, r->articles[k].novelty);
}

TEST(NoveltyTest, ThreeDifferentArticlesGetThreeDistinctScores) {
  Fixture f;
  for (bool dated : {true, false}) {
    NoveltyRanking r = *RankByNovelty(f.Items(dated), f.m.vocabulary());
    std::set<float> scores;
    for (const RankedArticle& a : r.articles) {
      if (!a.copy_of) scores.insert(a.novelty);
      EXPECT_GE(a.novelty, 0.0f);
      EXPECT_LE(a.novelty, 1.0f);
    }
    EXPECT_EQ(scores.size(), 3u) << (dated ? "dated" : "undated");
  }
}

TEST(NoveltyTest, NewTermsAreTermsNoEarlierArticleHas) {
  Fixture f;
  NoveltyRanking r = *RankByNovelty(f.Items(true), f.m.vocabulary());
  const RankedArticle& second = Find(r, 1);
  ASSERT_FALSE(second.new_terms.empty());
  const std::set<std::string> first_words = {"senator", "sessions", "met", "ambassador",
                                             "kislyak", "twice", "during", "the", "campaign"};
  for (const std::string& t : second.new_terms) EXPECT_FALSE(first_words.contains(t)) << t;
  EXPECT_FALSE(std::set<std::string>(second.new_terms.begin(), second.new_terms.end())
                   .contains("sessions"));
  EXPECT_EQ(Find(r, 0).new_terms.size(), 5u);
}

// Reference: all of an article's terms that no earlier article (by date)
// has, sorted by weight, ties by term hash, the first `keep` shown.
std::vector<std::string> HeaviestUnseen(const TfidfMatrix& m, const std::vector<uint32_t>& before,
                                        uint32_t article, size_t keep) {
  std::set<uint32_t> seen;
  for (uint32_t b : before) seen.insert(m.row(b).ids.begin(), m.row(b).ids.end());
  std::vector<std::pair<float, uint32_t>> unseen;
  const SparseVectorView row = m.row(article);
  for (size_t t = 0; t < row.size(); ++t) {
    if (!seen.contains(row.ids[t])) unseen.emplace_back(row.weights[t], row.ids[t]);
  }
  std::sort(unseen.begin(), unseen.end(), [&](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return m.vocabulary().term_hash(x.second) < m.vocabulary().term_hash(y.second);
  });
  std::vector<std::string> out;
  for (size_t k = 0; k < std::min(keep, unseen.size()); ++k) {
    out.emplace_back(m.vocabulary().display(unseen[k].second));
  }
  return out;
}

TEST(NoveltyTest, NewTermsAreTheHeaviestUnseenTiesByTermHashForAnyCount) {
  Fixture f;
  for (int keep : {0, 1, 2, 5, 40}) {
    NoveltyOptions options;
    options.new_terms = keep;
    NoveltyRanking r = *RankByNovelty(f.Items(true), f.m.vocabulary(), options);
    // Dated: the originals in date order (0, 1, 2), then the copy (3).
    EXPECT_EQ(Find(r, 0).new_terms, HeaviestUnseen(f.m, {}, 0, keep)) << keep;
    EXPECT_EQ(Find(r, 1).new_terms, HeaviestUnseen(f.m, {0}, 1, keep)) << keep;
    EXPECT_EQ(Find(r, 2).new_terms, HeaviestUnseen(f.m, {0, 1}, 2, keep)) << keep;
    EXPECT_EQ(Find(r, 3).new_terms, HeaviestUnseen(f.m, {0, 1, 2}, 3, keep)) << keep;
  }
}

TEST(NoveltyTest, UndatedStoryUsesMmrStartingFromMostCentral) {
  Fixture f;
  std::vector<NoveltyItem> items = f.Items(true);
  items[1].published.reset();  // One undated member switches the mode.
  NoveltyRanking r = *RankByNovelty(items, f.m.vocabulary());
  EXPECT_EQ(r.mode, NoveltyMode::kMaximalMarginalRelevance);
  // The most central original (highest mean cosine to the others) scores 1.
  double best = -1;
  DocOrdinal central = 0;
  for (uint32_t i = 0; i < 3; ++i) {
    double sum = 0;
    for (uint32_t j = 0; j < 3; ++j) sum += i == j ? 0 : Dot(f.m.row(i), f.m.row(j));
    if (sum > best) { best = sum; central = i; }
  }
  EXPECT_FLOAT_EQ(Find(r, central).novelty, 1.0f);
  EXPECT_EQ(r.articles.back().ordinal, 3u);
  EXPECT_LT(r.articles.back().novelty, 0.05f);
}

TEST(NoveltyTest, RepeatedOrdinalAndBadOptionsAreInvalidArgument) {
  Fixture f;
  std::vector<NoveltyItem> items = f.Items(true);
  items[1].ordinal = 0;
  EXPECT_EQ(RankByNovelty(items, f.m.vocabulary()).status().code(),
            absl::StatusCode::kInvalidArgument);
  NoveltyOptions bad;
  bad.mmr_lambda = 2;
  EXPECT_EQ(RankByNovelty(f.Items(true), f.m.vocabulary(), bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(RankByNovelty({}, f.m.vocabulary())->articles.empty());
}

}  // namespace
}  // namespace storysift
