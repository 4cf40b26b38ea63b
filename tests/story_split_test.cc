// The entity-disagreement split of #15 (rank/story_split.h): stories that
// join two companies' results split by the tickers of their titles; a bid
// naming two companies, told under both tickers, stays one story.
#include "rank/story_split.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/jobs.h"
#include "storysift/normalize.h"
#include "storysift/tfidf.h"

namespace storysift::internal {
namespace {

TEST(TitleTickersTest, ReadsAngleBracketsAndExchangeSymbols) {
  EXPECT_EQ(TitleTickers("NATIONAL FUEL GAS CO <NFG> 1ST QTR NET"),
            std::vector<std::string>{"NFG"});
  EXPECT_EQ(TitleTickers("Acme (NYSE: acm) to buy < Beta Corp > units"),
            (std::vector<std::string>{"ACM", "BETA CORP"}));
  EXPECT_EQ(TitleTickers("<ACM> and <acm> again"), std::vector<std::string>{"ACM"});
  EXPECT_TRUE(TitleTickers("a < b, (Reuters) - c > d").empty());
  EXPECT_TRUE(TitleTickers("no close <ACM").empty());
  EXPECT_TRUE(TitleTickers("").empty());
  // Markup a title kept is not a ticker: a tag with its closing tag.
  EXPECT_TRUE(TitleTickers("Hostile <b>headline</b>").empty());
  EXPECT_TRUE(TitleTickers("</script><script>x</script>").empty());
  EXPECT_EQ(TitleTickers("AT&T <T> <i>UP</i>"), std::vector<std::string>{"T"});
  // An exchange suffix names the bare ticker's company; a name keeps its dots.
  EXPECT_EQ(TitleTickers("INT'L RESEARCH <IRDV.O> 1ST QTR"), std::vector<std::string>{"IRDV"});
  EXPECT_EQ(TitleTickers("ESSELTE AB <ESB.ST> RESULTS"), std::vector<std::string>{"ESB"});
  EXPECT_EQ(TitleTickers("<U.S. HOME CORP> NET"), std::vector<std::string>{"U.S. HOME CORP"});
  EXPECT_EQ(TitleTickers("<ACME.> <A.BCD>"), (std::vector<std::string>{"A.BCD", "ACME."}));
}

TEST(TitlesNameOtherCompaniesTest, NeedsTickersOnBothSidesAndNoneShared) {
  EXPECT_TRUE(TitlesNameOtherCompanies("ACME <ACM> SETS QUARTERLY", "BETA <BTA> SETS QUARTERLY"));
  EXPECT_FALSE(TitlesNameOtherCompanies("ACME <ACM> SETS QUARTERLY", "ACME CORP <ACM> PAYOUT"));
  EXPECT_FALSE(TitlesNameOtherCompanies("ACME <ACM> BIDS FOR BETA", "BETA <BTA>, ACME <ACM>"));
  EXPECT_FALSE(TitlesNameOtherCompanies("ACME <ACM> SETS QUARTERLY", "ACME SETS QUARTERLY"));
  EXPECT_FALSE(TitlesNameOtherCompanies("", ""));
}

// A corpus of titled documents: the named ones first (ordinals 0..), then
// `filler` documents of their own words, so that the corpus is large
// enough (>= 1,000 documents) for a title word to count as rare.
class StorySplitTest : public ::testing::Test {
 protected:
  void Build(const std::vector<std::pair<std::string, std::string>>& docs, int filler) {
    const Normalizer normalizer = *Normalizer::Create({});
    TfidfVectorizer v = *TfidfVectorizer::Create({});
    DocOrdinal ordinal = 0;
    NormalizedText title, body;
    for (const auto& [t, b] : docs) {
      normalizer.Normalize(t, &title);
      normalizer.Normalize(b, &body);
      ASSERT_TRUE(v.Add(ordinal++, body, &title).ok());
      titles_.push_back(t);
    }
    for (int i = 0; i < filler; ++i) {
      std::string text;
      for (int w = 0; w < 6; ++w) {
        const int k = i * 7 + w;
        text += std::string{"filler "} + static_cast<char>('a' + k % 26) +
                static_cast<char>('a' + k / 26 % 26) + static_cast<char>('a' + k / 676 % 26) + " ";
      }
      normalizer.Normalize(text, &body);
      ASSERT_TRUE(v.Add(ordinal++, body).ok());
      titles_.push_back("");
    }
    meta_.resize(titles_.size());
    matrix_ = *v.Build();
  }

  // Splits one story of members 0..n-1; returns each part's members and
  // their labels in *labels.
  std::vector<std::vector<DocOrdinal>> Split(DocOrdinal n,
                                             std::vector<std::vector<std::string>>* labels) {
    std::vector<Story> stories(1);
    for (DocOrdinal d = 0; d < n; ++d) stories[0].members.push_back(d);
    std::vector<std::vector<DocOrdinal>> parts;
    labels->clear();
    for (const Story& s : SplitByTitleTickers(std::move(stories), titles_, meta_, matrix_, 4)) {
      parts.push_back(s.members);
      labels->push_back(s.label);
    }
    return parts;
  }

  std::vector<std::string> titles_;
  std::vector<DocMeta> meta_;
  TfidfMatrix matrix_;
};

// Results wires in one template; only the figures differ.
std::string Results(int shr, int net, int revs) {
  return "Shr " + std::to_string(shr) + " cts vs " + std::to_string(shr - 3) + " cts\nNet " +
         std::to_string(net) + " mln vs " + std::to_string(net - 2) + " mln\nRevs " +
         std::to_string(revs) + " mln vs " + std::to_string(revs - 9) + " mln\n";
}

TEST_F(StorySplitTest, TwoCompaniesResultsSplitByTicker) {
  Build({{"ACME CORP <ACM> 1ST QTR NET", Results(118, 154, 1205)},
         {"BETA INC <BTA> 1ST QTR NET", Results(42, 21, 307)},
         {"ACME CORP <ACM> SETS QUARTERLY", "Qtly div 18 cts vs 18 cts prior\nPay April 15"},
         {"BETA INC <BTA> SETS QUARTERLY", "Qtly div 11 cts vs 10 cts prior\nPay May 20"},
         // Named by no ticker: joins the company it is about.
         {"ACME SEES STRONGER YEAR", "Acme Corp said sales of Acme rockets rose."},
         // The template's words are common in the corpus, not names.
         {"GAMMA CO <GAM> 1ST QTR NET", Results(77, 64, 880)},
         {"DELTA CO <DEL> 1ST QTR NET", Results(91, 12, 140)},
         {"EPSILON CO <EPS> 1ST QTR NET", Results(23, 45, 560)},
         {"GAMMA CO <GAM> SETS QUARTERLY", "Qtly div 5 cts vs 5 cts prior\nPay June 1"},
         {"DELTA CO <DEL> SETS QUARTERLY", "Qtly div 7 cts vs 6 cts prior\nPay June 8"}},
        3000);
  std::vector<std::vector<std::string>> labels;
  EXPECT_EQ(Split(5, &labels), (std::vector<std::vector<DocOrdinal>>{{0, 2, 4}, {1, 3}}));
  ASSERT_EQ(labels.size(), 2u);  // Each part labelled by its own company.
  EXPECT_NE(std::find(labels[0].begin(), labels[0].end(), "acme"), labels[0].end());
  EXPECT_NE(std::find(labels[1].begin(), labels[1].end(), "beta"), labels[1].end());
}

TEST_F(StorySplitTest, ABidToldUnderBothTickersStaysOneStory) {
  Build({{"ACME <ACM> BIDS FOR BETA", "Acme Corp offered 20 dlrs a share for Beta Inc."},
         {"BETA <BTA> REJECTS ACME OFFER", "Beta Inc said its board rejected the offer."}},
        3000);
  std::vector<std::vector<std::string>> labels;
  EXPECT_EQ(Split(2, &labels), (std::vector<std::vector<DocOrdinal>>{{0, 1}}));
}

TEST_F(StorySplitTest, TwoCompaniesSharingAWordOfTheirNamesSplit) {
  Build({{"RITE AID CORP <RAD> 1ST QTR NET", Results(118, 154, 1205)},
         {"SUPER RITE FOODS INC <SRFI> 1ST QTR NET", Results(42, 21, 307)},
         {"GAMMA CO <GAM> 1ST QTR NET", Results(77, 64, 880)},
         {"DELTA CO <DEL> 1ST QTR NET", Results(91, 12, 140)},
         {"EPSILON CO <EPS> 1ST QTR NET", Results(23, 45, 560)}},
        3000);
  std::vector<std::vector<std::string>> labels;
  EXPECT_EQ(Split(2, &labels), (std::vector<std::vector<DocOrdinal>>{{0}, {1}}));
}

TEST_F(StorySplitTest, OneCompanyUnderTwoTickersStaysOneStory) {
  // A ticker misspelt in one wire: the name before it is the same.
  Build({{"OLIN CORP <OLM> TO ELECT NEW CHIEF IN APRIL",
          "Olin Corp said its board would elect a new chief executive in April."},
         {"OLIN <OLN> NAMES SUCCESSOR FOR CHIEF EXECUTIVE",
          "The chemicals and defence maker named its president to succeed him."}},
        3000);
  std::vector<std::vector<std::string>> labels;
  EXPECT_EQ(Split(2, &labels), (std::vector<std::vector<DocOrdinal>>{{0, 1}}));
}

TEST_F(StorySplitTest, WithoutTitlesOrTickersNothingSplits) {
  Build({{"ACME CORP 1ST QTR NET", Results(118, 154, 1205)},
         {"BETA INC 1ST QTR NET", Results(42, 21, 307)}},
        0);
  std::vector<std::vector<std::string>> labels;
  EXPECT_EQ(Split(2, &labels), (std::vector<std::vector<DocOrdinal>>{{0, 1}}));
  std::vector<Story> one(1);
  one[0].members = {0, 1};
  EXPECT_EQ(SplitByTitleTickers(one, {}, meta_, matrix_, 4).size(), 1u);
}

// Two companies' dividend notices in one wording are copies to dedup
// (short-pair Jaccard >= 0.62), but their titles name different tickers: in
// story clustering each is its own company's event, not a reprint. The same
// notice under one ticker stays a copy of it in its story.
TEST(NoticeCopiesTest, ACopyNamingAnotherCompanyLeavesItsRepresentativesStory) {
  const std::string notice =
      " said its board declared a regular quarterly dividend of 18 cts a share, payable April "
      "15 to holders of record on April 1, unchanged from the prior quarter.";
  const auto doc = [](std::string id, std::string title, std::string text) {
    Document d;
    d.id = std::move(id);
    d.title = std::move(title);
    d.text = std::move(text);
    return d;
  };
  const std::vector<Document> docs = {
      doc("acme", "ACME CORP <ACM> SETS QUARTERLY", "Acme Corp" + notice),
      doc("beta", "BETA INC <BTA> SETS QUARTERLY", "Beta Inc" + notice),
      doc("acme2", "ACME <ACM> DIVIDEND", "Acme Corporation" + notice)};
  InputStream input = DocumentsInput(docs);
  absl::StatusOr<ClusterResult> result = RunCluster(ClusterJobOptions(), input, {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->groups.docs.size(), 3u);  // Dedup still calls them copies.
  EXPECT_EQ(result->groups.docs[1].role, CopyRole::kCopy);
  EXPECT_EQ(result->groups.docs[2].role, CopyRole::kCopy);
  std::vector<std::vector<std::string>> stories;
  for (const RankedStory& story : result->stories) {
    stories.emplace_back();
    for (const RankedArticle& a : story.articles) {
      stories.back().push_back(result->documents.ids[a.ordinal]);
    }
    std::sort(stories.back().begin(), stories.back().end());
  }
  EXPECT_EQ(stories, (std::vector<std::vector<std::string>>{{"acme", "acme2"}, {"beta"}}));
}

}  // namespace
}  // namespace storysift::internal
