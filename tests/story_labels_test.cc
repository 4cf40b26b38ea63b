// Story labels an editor can read (#15): a label holds 3-5 terms, names first
// in their written form, never a bare number, a wire abbreviation or a word
// of the layout many templated documents share.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cluster/story_internal.h"
#include "gtest/gtest.h"
#include "storysift/jobs.h"
#include "storysift/normalize.h"
#include "storysift/tfidf.h"
#include "vector/label_terms.h"

namespace storysift::internal {
namespace {

const std::string kSeedsDir = std::string(STORYSIFT_DATA_DIR) + "/seeds";
const std::string kShared = STORYSIFT_SHARED_DATA_DIR;

LabelTermKind Classify(std::string_view folded, std::string_view name_form, uint32_t df,
                       uint32_t name_df, uint32_t templated_df = 0) {
  return ClassifyLabelTerm({folded, name_form, df, name_df, templated_df},
                           {/*docs=*/10000, /*templated_docs=*/1000});
}

TEST(LabelTermsTest, NumbersAndWireAbbreviationsAreNeverShown) {
  for (const char* number : {"1987", "15", "3rd", "1980s", "20bn"}) {
    EXPECT_EQ(Classify(number, "", 50, 0), LabelTermKind::kExcluded) << number;
  }
  for (const char* abbreviation : {"vs", "shr", "mln", "dlrs", "cts", "pct", "bpd", "stg"}) {
    EXPECT_EQ(Classify(abbreviation, "", 500, 0), LabelTermKind::kExcluded) << abbreviation;
  }
  // "Mr" is written capitalised inside sentences, but not as an acronym.
  EXPECT_EQ(Classify("mr", "Mr", 500, 450), LabelTermKind::kExcluded);
  EXPECT_EQ(Classify("nbc", "NBC", 40, 30), LabelTermKind::kName);
  EXPECT_EQ(Classify("dry", "", 40, 0), LabelTermKind::kWord);  // "y" is a vowel.
  EXPECT_EQ(Classify("mths", "", 40, 0), LabelTermKind::kExcluded);
}

TEST(LabelTermsTest, TemplateWordsAreManyTemplatedDocumentsWords) {
  // 10 % of the corpus is templated: "qtly" lives in them (lift 8).
  EXPECT_EQ(Classify("qtly", "Qtly", 600, 30, 500), LabelTermKind::kExcluded);
  EXPECT_TRUE(IsTemplateWord({"qtly", "", 600, 0, 500}, {10000, 1000}));
  // Every company's "corp": as common outside templates as in them.
  EXPECT_EQ(Classify("corp", "Corp", 5000, 4000, 600), LabelTermKind::kName);
  // One company's name in its own few results wires.
  EXPECT_EQ(Classify("acme", "", 6, 0, 6), LabelTermKind::kWord);
  // Too few templated documents hold it (under 5 % of them).
  EXPECT_FALSE(IsTemplateWord({"franklin", "", 44, 0, 27}, {10000, 1000}));
  // A corpus without templates has no template words.
  EXPECT_FALSE(IsTemplateWord({"qtly", "", 600, 0, 0}, {10000, 0}));
}

TEST(LabelTermsTest, NamesAreWordsWrittenAsNamesInHalfTheirDocuments) {
  EXPECT_EQ(Classify("gazprom", "Gazprom", 20, 15), LabelTermKind::kName);
  EXPECT_EQ(Classify("bank", "Bank", 500, 100), LabelTermKind::kWord);
  EXPECT_EQ(Classify("g7", "", 10, 0), LabelTermKind::kLate);
  EXPECT_EQ(LabelTermKindOfShape("15.4"), LabelTermKind::kExcluded);
  EXPECT_EQ(LabelTermKindOfShape("shr"), LabelTermKind::kExcluded);
  EXPECT_EQ(LabelTermKindOfShape("g7"), LabelTermKind::kLate);
  EXPECT_EQ(LabelTermKindOfShape("oil"), LabelTermKind::kWord);
}

TEST(LabelOfTest, NamesComeFirstAndExcludedTermsNeverShow) {
  // id: display, kind; weights make the order of weight 0..5.
  const std::vector<std::pair<std::string, LabelTermKind>> terms = {
      {"crude", LabelTermKind::kWord},    {"mln", LabelTermKind::kExcluded},
      {"Opec", LabelTermKind::kName},     {"prices", LabelTermKind::kWord},
      {"g7", LabelTermKind::kLate},       {"Vienna", LabelTermKind::kName}};
  std::vector<std::pair<uint32_t, float>> centroid;
  for (uint32_t id = 0; id < terms.size(); ++id) centroid.emplace_back(id, 10.0f - id);
  const auto label = [&](int k) {
    return LabelOf(
        centroid, [](uint32_t id) { return uint64_t{id}; },
        [&](uint32_t id) { return terms[id].second; },
        [&](uint32_t id) -> std::string_view { return terms[id].first; }, k);
  };
  EXPECT_EQ(label(4), (std::vector<std::string>{"Opec", "Vienna", "crude", "prices"}));
  EXPECT_EQ(label(3), (std::vector<std::string>{"Opec", "crude", "prices"}));
  // The digit word only when too few others; "mln" never.
  EXPECT_EQ(label(6), (std::vector<std::string>{"Opec", "Vienna", "crude", "prices", "g7"}));
}

NormalizedText Norm(std::string_view text) {
  static const Normalizer normalizer = *Normalizer::Create({});
  NormalizedText out;
  normalizer.Normalize(text, &out);
  return out;
}

// The written forms of the names CountTerms lists for a body (and title).
std::vector<std::string> NamesOf(std::string_view body_text, std::string_view title_text = "",
                                 bool* templated = nullptr) {
  const NormalizedText body = Norm(body_text), title = Norm(title_text);
  TermCounts counts;
  TfidfVectorizer::CountTerms(TfidfOptions(), body, title_text.empty() ? nullptr : &title,
                              &counts);
  if (templated != nullptr) *templated = counts.templated;
  std::vector<std::string> names;
  for (const TermCounts::NameUse& u : counts.names) {
    names.emplace_back(u.position < title.tokens.size()
                           ? title.clean_token(u.position)
                           : body.clean_token(u.position - title.tokens.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(CountTermsNamesTest, ListsNamesAcronymsAndTickersButNotRowLabels) {
  // "BREAKING" opens the text and is too long for an acronym; "USDA" is one,
  // even after a colon; "The" opens a sentence, "Court" is inside one.
  EXPECT_EQ(NamesOf("BREAKING: USDA agreed. The Court said so."),
            (std::vector<std::string>{"Court", "USDA"}));
  EXPECT_TRUE(NamesOf("the court said so. usda agreed.").empty());
  bool templated = true;
  EXPECT_EQ(NamesOf("Acme Corp said profit rose.", "ACME CORP <ACM> 1ST QTR NET", &templated),
            (std::vector<std::string>{"ACM", "Corp"}));
  EXPECT_FALSE(templated);
  // A results table: "Net" and "Revs" label rows; the body is templated.
  EXPECT_TRUE(NamesOf("Shr 1.18 dlrs vs 1.04 dlrs\nNet 15.4 mln vs 13.2 mln\n"
                      "Revs 140.1 mln vs 131.0 mln\n",
                      "", &templated)
                  .empty());
  EXPECT_TRUE(templated);
}

// A generated corpus with a known answer: 60 dividend notices (templated:
// short lines with numbers) of different companies, and 60 articles naming
// Gazprom inside sentences.
TEST(VocabularyLabelTest, TemplatesAndNamesAreLearnedFromTheCorpus) {
  const Normalizer normalizer = *Normalizer::Create({});
  TfidfVectorizer v = *TfidfVectorizer::Create({});
  NormalizedText title, body;
  DocOrdinal ordinal = 0;
  for (int i = 0; i < 60; ++i) {
    const std::string company = absl::StrCat("Company", std::string(1, 'a' + i % 26), i);
    normalizer.Normalize(absl::StrCat(absl::AsciiStrToUpper(company), " SETS QTLY DIV"), &title);
    normalizer.Normalize(absl::StrCat("Qtly div ", i, " cts vs ", i, " cts prior\nPay April ",
                                      i % 28 + 1, "\nRecord March ", i % 28 + 1, "\n"),
                         &body);
    ASSERT_TRUE(v.Add(ordinal++, body, &title).ok());
    normalizer.Normalize(absl::StrCat("Officials said on day ", i,
                                      " that the gas exporter Gazprom would raise prices for ",
                                      "its buyers, and analysts expect demand to hold.\n"),
                         &body);
    normalizer.Normalize("Gas prices rise", &title);
    ASSERT_TRUE(v.Add(ordinal++, body, &title).ok());
  }
  const TfidfMatrix m = *v.Build();
  const auto kind = [&](std::string_view word) {
    for (uint32_t id = 0; id < m.vocabulary().size(); ++id) {
      if (m.vocabulary().display(id) == word) return m.vocabulary().label_kind(id);
    }
    ADD_FAILURE() << word << " not in the vocabulary";
    return LabelTermKind::kWord;
  };
  EXPECT_EQ(kind("qtly"), LabelTermKind::kExcluded);  // Template (and shape: "qtly" has y).
  EXPECT_EQ(kind("div"), LabelTermKind::kExcluded);   // Template only.
  EXPECT_EQ(kind("record"), LabelTermKind::kExcluded);
  EXPECT_EQ(kind("cts"), LabelTermKind::kExcluded);
  EXPECT_EQ(kind("gazprom"), LabelTermKind::kName);
  EXPECT_EQ(kind("prices"), LabelTermKind::kWord);
  for (uint32_t id = 0; id < m.vocabulary().size(); ++id) {
    if (m.vocabulary().display(id) == "gazprom") {
      EXPECT_EQ(m.vocabulary().label_display(id), "Gazprom");
    }
  }
}

// What an editor would not sign: a term opening with a digit, a short
// vowel-less lowercase term, a capitalised (name) term after a folded one.
void ExpectReadableLabels(const ClusterResult& run, size_t min_size, size_t* stories,
                          size_t* name_first) {
  *stories = *name_first = 0;
  for (const RankedStory& s : run.stories) {
    if (s.articles.size() < min_size) continue;
    ++*stories;
    EXPECT_GE(s.label.size(), 1u);
    bool folded_seen = false;
    for (const std::string& t : s.label) {
      ASSERT_FALSE(t.empty());
      EXPECT_FALSE(absl::ascii_isdigit(t[0])) << t;
      // A vowel-less short term only as an acronym ("NBC").
      EXPECT_FALSE(LabelTermKindOfShape(absl::AsciiStrToLower(t)) == LabelTermKind::kExcluded &&
                   absl::AsciiStrToUpper(t) != t)
          << t;
      const bool name = absl::ascii_isupper(t[0]);
      EXPECT_FALSE(name && folded_seen) << absl::StrJoin(s.label, ", ");
      folded_seen = folded_seen || !name;
    }
    *name_first += absl::ascii_isupper(s.label[0][0]);
  }
}

ClusterResult Cluster(const std::vector<std::string>& paths) {
  auto input = InputStream::Open(paths, ReaderOptions());
  EXPECT_TRUE(input.ok()) << input.status();
  auto result = RunCluster(ClusterJobOptions(), *input, RunContext());
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

TEST(StoryLabelsDataTest, ReutersLabelsHoldNoNumbersOrWireAbbreviations) {
  const std::string reuters = kShared + "/reuters21578/reuters.jsonl";
  if (!std::filesystem::exists(reuters)) GTEST_SKIP() << "no shared data under " << kShared;
  const ClusterResult run = Cluster({reuters});
  size_t stories = 0, name_first = 0;
  ExpectReadableLabels(run, 5, &stories, &name_first);
  EXPECT_GE(stories, 300u);
  // Most stories of five or more wires are about someone or somewhere.
  EXPECT_GE(name_first * 10, stories * 9) << name_first << " of " << stories;
  // The template words that filled earnings labels before (#15).
  for (const RankedStory& s : run.stories) {
    for (const std::string& t : s.label) {
      for (const char* word : {"qtr", "qtly", "div", "net", "oper", "revs", "avg", "loss"}) {
        EXPECT_NE(t, word) << absl::StrJoin(s.label, ", ");
      }
    }
  }
}

TEST(StoryLabelsDataTest, SeedsAndBbcLabelsPutNamesFirst) {
  const std::string bbc = kShared + "/bbc/bbc.jsonl";
  if (!std::filesystem::exists(bbc)) GTEST_SKIP() << "no shared data under " << kShared;
  const ClusterResult run = Cluster({kSeedsDir, bbc});
  size_t stories = 0, name_first = 0;
  ExpectReadableLabels(run, 3, &stories, &name_first);
  EXPECT_GE(stories, 50u);
  EXPECT_GE(name_first * 10, stories * 9) << name_first << " of " << stories;
  const RankedStory* seeds = nullptr;
  for (const RankedStory& s : run.stories) {
    for (const RankedArticle& a : s.articles) {
      if (run.documents.ids[a.ordinal].rfind("000_", 0) == 0) seeds = &s;
    }
  }
  ASSERT_NE(seeds, nullptr);
  ASSERT_GE(seeds->label.size(), 3u);
  EXPECT_EQ(seeds->label[0], "Trump");  // Names of the event, written as names.
  EXPECT_EQ(seeds->label[1], "Kislyak");
}

}  // namespace
}  // namespace storysift::internal
