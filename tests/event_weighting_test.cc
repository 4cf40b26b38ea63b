// The same-event judgement of #15: names and tickers weigh more, table
// words of results wires less, and short texts are grown into stories by
// centroid. Unit tests on hand-made texts, then the dev sets end to end
// through the CLI at default settings (skipped when the shared data is
// absent); the floors sit just under the measured values in docs/quality.md.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "cli_test_util.h"
#include "gtest/gtest.h"
#include "simdjson.h"
#include "storysift/normalize.h"
#include "storysift/story_clusterer.h"
#include "story_test_util.h"
#include "storysift/tfidf.h"

namespace storysift {
namespace {

NormalizedText Norm(std::string_view text) {
  static const Normalizer normalizer = *Normalizer::Create({});
  NormalizedText out;
  normalizer.Normalize(text, &out);
  return out;
}

// tf of `word` in the counts of body (and title).
float TfOf(const TfidfOptions& o, std::string_view body, std::string_view word,
           std::string_view title = "") {
  const NormalizedText b = Norm(body), t = Norm(title), w = Norm(word);
  TermCounts counts;
  TfidfVectorizer::CountTerms(o, b, title.empty() ? nullptr : &t, &counts);
  for (const TermCounts::Entry& e : counts.entries) {
    if (e.term == w.tokens.at(0).term) return e.tf;
  }
  return 0;
}

TEST(EventWeightingTest, CapitalisedWordInsideASentenceIsAName) {
  const TfidfOptions o;
  ASSERT_EQ(o.name_weight, kDefaultNameWeight);
  EXPECT_FLOAT_EQ(TfOf(o, "The court heard that Reid left the clinic.", "reid"), o.name_weight);
  EXPECT_FLOAT_EQ(TfOf(o, "The court heard that Reid left the clinic.", "court"), 1.0f);
  // Lowercased text (tweets) has no names.
  EXPECT_FLOAT_EQ(TfOf(o, "the court heard that reid left the clinic.", "reid"), 1.0f);
  TfidfOptions off;
  off.name_weight = 1.0f;
  EXPECT_FLOAT_EQ(TfOf(off, "The court heard that Reid left the clinic.", "reid"), 1.0f);
}

TEST(EventWeightingTest, SentenceOpenersAndAllCapsTitlesAreNotNames) {
  const TfidfOptions o;
  // "Court" opens the text and "Police" a sentence; a wrapped line goes on.
  const std::string body = "Court heard it. Police said so, and the\nJudge agreed today.";
  EXPECT_FLOAT_EQ(TfOf(o, body, "court"), 1.0f);
  EXPECT_FLOAT_EQ(TfOf(o, body, "police"), 1.0f);
  EXPECT_FLOAT_EQ(TfOf(o, body, "judge"), o.name_weight);
  // An all-caps wire title has no casing signal, but its <TICKER> is a name.
  const std::string title = "NATIONAL FUEL GAS CO <NFG> 1ST QTR NET";
  EXPECT_FLOAT_EQ(TfOf(o, "results were reported.", "fuel", title), o.title_weight);
  EXPECT_FLOAT_EQ(TfOf(o, "results were reported.", "nfg", title),
                  o.title_weight * o.name_weight);
}

TEST(EventWeightingTest, WordsOnTableLinesAreDampedButTheirNumbersAreNot) {
  const TfidfOptions o;
  ASSERT_LT(o.table_word_weight, 1.0f);
  const std::string body =
      "Shr 118 cts vs 104 cts\nNet 154 mln vs 132 mln\nthe company said net sales rose\n";
  EXPECT_FLOAT_EQ(TfOf(o, body, "shr"), o.table_word_weight);
  EXPECT_FLOAT_EQ(TfOf(o, body, "cts"), 2 * o.table_word_weight);
  EXPECT_FLOAT_EQ(TfOf(o, body, "118"), 1.0f);
  EXPECT_FLOAT_EQ(TfOf(o, body, "company"), 1.0f);
  // "Net" opens a layout line after "cts": a row label, not a name.
  EXPECT_FLOAT_EQ(TfOf(o, body, "net"), 1.0f + o.table_word_weight);
  // A sentence with one number is prose, not a table.
  EXPECT_FLOAT_EQ(TfOf(o, "sales rose 12 pct in the year to march\n", "sales"), 1.0f);
}

// A short line with a number ("Pay April 15") is layout only where such
// lines are at least half of the text's lines (a dividend notice), and the
// text is then templated; in prose it is the end of a wrapped paragraph.
TEST(EventWeightingTest, ShortNumberedLinesAreLayoutOnlyInTemplatedTexts) {
  const TfidfOptions o;
  const std::string notice = "Pay April 15\nRecord March 31\nthe board approved a dividend\n";
  EXPECT_FLOAT_EQ(TfOf(o, notice, "pay"), o.table_word_weight);
  EXPECT_FLOAT_EQ(TfOf(o, notice, "record"), o.table_word_weight);
  EXPECT_FLOAT_EQ(TfOf(o, notice, "board"), 1.0f);
  TermCounts counts;
  TfidfVectorizer::CountTerms(o, Norm(notice), nullptr, &counts);
  EXPECT_TRUE(counts.templated);
  const std::string prose =
      "the board met on monday and approved a dividend\npay april 15\n"
      "shareholders welcomed the payment\nthe shares rose in early trading\n";
  EXPECT_FLOAT_EQ(TfOf(o, prose, "pay"), 1.0f);
  TfidfVectorizer::CountTerms(o, Norm(prose), nullptr, &counts);
  EXPECT_FALSE(counts.templated);
}

// --- The dev sets, end to end --------------------------------------------

const std::string kShared = STORYSIFT_SHARED_DATA_DIR;

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

class EventDevSetTest : public ::testing::Test {
 protected:
  // `storysift cluster ARGS -o stories.jsonl`, then `eval --json` against
  // gold; returns the clusters object's `field`.
  double ClusterAndEval(const std::vector<std::string>& inputs, const std::string& gold_field,
                        const std::vector<std::string>& field_names, std::vector<double>* out) {
    const std::string stories = dir_.path() + "/stories.jsonl";
    std::vector<std::string> args = {"cluster", "-q", "-o", stories};
    args.insert(args.end(), inputs.begin(), inputs.end());
    const cli_test::CliResult c = cli_test::RunCli(args, dir_.path());
    EXPECT_EQ(c.exit_code, 0) << c.err;
    const cli_test::CliResult e = cli_test::RunCli(
        {"eval", stories, inputs.back(), "--gold-field", gold_field, "--json"}, dir_.path());
    EXPECT_EQ(e.exit_code, 0) << e.err;
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(e.out);
    out->clear();
    for (const std::string& f : field_names) {
      double v = -1;
      EXPECT_EQ(doc["clusters"][f].get_double().get(v), simdjson::SUCCESS) << f;
      out->push_back(v);
    }
    return out->empty() ? 0 : out->front();
  }
  const testing_util::TempDir dir_;
};

TEST_F(EventDevSetTest, EcbPlusEventsAtDefaults) {
  const std::string ecb = kShared + "/ecbplus/ecbplus_topics_1-25.jsonl";
  if (!Exists(ecb)) GTEST_SKIP() << "ECB+ not found under " << kShared;
  std::vector<double> v;
  ClusterAndEval({"--id-field", "doc_id", ecb}, "cluster", {"bcubed_f1", "pair_f1"}, &v);
  std::printf("ECB+ B-cubed F1 %.4f pairwise F1 %.4f\n", v[0], v[1]);
  // 0.869 before names weighed more, 0.891 before the cohesion split, 0.914
  // before the stray join.
  EXPECT_GE(v[0], 0.92);
  EXPECT_GE(v[1], 0.89);  // 0.846 before the cohesion split, 0.888 before the stray join.
  // Without the cohesion split two topics' events stay joined (topic 7: two
  // Klitschko title fights; topic 12: the Indian Navy foiling pirates in the
  // Gulf of Aden in 2008 and in 2011).
  std::vector<double> off;
  ClusterAndEval({"--id-field", "doc_id", "--cohesion-split", "0", ecb}, "cluster",
                 {"bcubed_f1", "pair_f1"}, &off);
  std::printf("ECB+ without the cohesion split: B-cubed F1 %.4f pairwise F1 %.4f\n", off[0],
              off[1]);
  EXPECT_GT(v[0], off[0] + 0.01);
  EXPECT_GT(v[1], off[1] + 0.02);
  // Without the stray join, articles that average linkage leaves alone beside
  // their event's story (a short item, a side angle) stay alone: 0.914 / 0.888.
  std::vector<double> no_strays;
  ClusterAndEval({"--id-field", "doc_id", "--stray-join", "0", ecb}, "cluster",
                 {"bcubed_f1", "pair_f1"}, &no_strays);
  std::printf("ECB+ without the stray join: B-cubed F1 %.4f pairwise F1 %.4f\n", no_strays[0],
              no_strays[1]);
  EXPECT_GT(v[0], no_strays[0] + 0.01);
  EXPECT_GT(v[1], no_strays[1] + 0.01);
}

TEST_F(EventDevSetTest, TweetsFormStoriesByCentroidAtDefaults) {
  const std::string tweets = kShared + "/mstream_tweets/tweets.jsonl";
  if (!Exists(tweets)) GTEST_SKIP() << "tweets not found under " << kShared;
  std::vector<double> v;
  ClusterAndEval({tweets}, "story", {"normalized_mutual_info", "adjusted_mutual_info"}, &v);
  std::printf("tweets NMI %.4f AMI %.4f\n", v[0], v[1]);
  EXPECT_GE(v[0], 0.84);  // 0.757 by average linkage alone.
}

// Reuters earnings wires name their company's ticker in the title
// ("NATIONAL FUEL GAS CO <NFG> 1ST QTR NET"); two companies' results are two
// events. Before #15, 7,687 of 8,013 same-story pairs of such wires (96 %)
// joined two companies; with names and layout words weighed, 3,643 of 4,011;
// with the ticker split (rank/story_split.h), 139 of 507 (27 %; most of the
// rest were dividend notices dedup calls copies, which followed their
// original); with such copies standing alone and groups rejoining at cosine
// 0.7, 50 of 426 (12 %; 6 of them one company under two ticker spellings).
TEST_F(EventDevSetTest, ReutersEarningsWiresRarelyJoinTwoCompanies) {
  const std::string reuters = kShared + "/reuters21578/reuters.jsonl";
  if (!Exists(reuters)) GTEST_SKIP() << "Reuters not found under " << kShared;
  std::map<std::string, std::string> ticker_of;
  {
    std::ifstream in(reuters);
    simdjson::dom::parser parser;
    for (std::string line; std::getline(in, line);) {
      simdjson::dom::element doc = parser.parse(line);
      std::string_view title, id;
      if (doc["title"].get_string().get(title) != simdjson::SUCCESS) continue;
      ASSERT_EQ(doc["id"].get_string().get(id), simdjson::SUCCESS);
      bool earn = false;
      simdjson::dom::array topics;
      if (doc["topics"].get_array().get(topics) == simdjson::SUCCESS) {
        for (simdjson::dom::element t : topics) earn |= t.get_string().value() == "earn";
      }
      const size_t open = title.find('<'), close = title.find('>');
      if (earn && open != title.npos && close != title.npos && open < close) {
        ticker_of[std::string(id)] = std::string(title.substr(open + 1, close - open - 1));
      }
    }
  }
  ASSERT_GT(ticker_of.size(), 3000u);
  const std::string stories = dir_.path() + "/r.jsonl";
  const cli_test::CliResult c =
      cli_test::RunCli({"cluster", "-q", "-o", stories, reuters}, dir_.path());
  ASSERT_EQ(c.exit_code, 0) << c.err;
  int64_t pairs = 0, cross = 0;
  simdjson::dom::parser parser;
  std::ifstream in(stories);
  for (std::string line; std::getline(in, line);) {
    simdjson::dom::element story = parser.parse(line);
    std::vector<std::string> tickers;
    for (simdjson::dom::element a : story["articles"].get_array()) {
      auto it = ticker_of.find(std::string(a["id"].get_string().value()));
      if (it != ticker_of.end()) tickers.push_back(it->second);
    }
    for (size_t i = 0; i < tickers.size(); ++i) {
      for (size_t j = i + 1; j < tickers.size(); ++j) {
        ++pairs;
        cross += tickers[i] != tickers[j];
      }
    }
  }
  const double share = pairs == 0 ? 0 : static_cast<double>(cross) / pairs;
  std::printf("Reuters earnings wires: %lld same-story pairs, %lld two companies (%.3f)\n",
              static_cast<long long>(pairs), static_cast<long long>(cross), share);
  EXPECT_LE(cross, 80);
  EXPECT_LE(share, 0.15);
}

}  // namespace
}  // namespace storysift

namespace storysift {
namespace {

// Letters-only words (digits would make them numbers): "ba", "bb", ...
std::string Word(const std::string& stem, int k) {
  std::string w = stem;
  w += static_cast<char>('a' + k / 26);
  w += static_cast<char>('a' + k % 26);
  return w;
}

// Two stories of 30 tweet-like texts each: four of the story's twelve words
// and one word of the text's own, so two texts of a story share a word or
// two, or none. Average linkage leaves such stories in pieces; the short-text
// regime must put each story together and keep the two apart.
TEST(ShortTextRegimeTest, TweetLikeStoriesAreGrownByCentroid) {
  std::vector<std::string> texts;
  for (int s = 0; s < 2; ++s) {
    const std::string stem = s == 0 ? "zor" : "kel";
    uint32_t rng = 12345;  // A fixed LCG: four distinct words per text.
    for (int k = 0; k < 30; ++k) {
      std::set<int> picked;
      while (picked.size() < 4) {
        rng = rng * 1664525u + 1013904223u;
        picked.insert(static_cast<int>((rng >> 16) % 12));
      }
      std::string text = Word("own" + stem, k);
      for (int w : picked) text += " " + Word(stem, w);
      texts.push_back(text);
    }
  }
  const TfidfMatrix m = testing::Vectorize(texts);
  const std::vector<StoryItem> items = testing::ItemsOf(m);
  const auto cluster = [&](int short_text_terms) {
    StoryOptions o;
    o.short_text_terms = short_text_terms;
    return *StoryClusterer::Create(o)->Cluster(items, m.vocabulary());
  };
  const std::vector<Story> off = cluster(0);
  EXPECT_GT(off.size(), 2u) << "average linkage alone should leave the stories in pieces";
  const std::vector<Story> on = cluster(StoryOptions().short_text_terms);
  ASSERT_EQ(on.size(), 2u);
  for (int s = 0; s < 2; ++s) {
    ASSERT_EQ(on[s].members.size(), 30u);
    EXPECT_EQ(on[s].members.front(), static_cast<DocOrdinal>(30 * s));
    EXPECT_EQ(on[s].members.back(), static_cast<DocOrdinal>(30 * s + 29));
  }
  // Long texts never enter the regime: the same texts with the limit at 4
  // terms (each has 5) cluster as with the regime off.
  const std::vector<Story> long_texts = cluster(4);
  ASSERT_EQ(long_texts.size(), off.size());
  for (size_t i = 0; i < off.size(); ++i) EXPECT_EQ(long_texts[i].members, off[i].members);
}

}  // namespace
}  // namespace storysift

namespace storysift {
namespace {

// The headline is the title of the member closest to the story's centroid:
// A shares words with both B and C, which share none with each other.
TEST(StoryHeadlineTest, HeadlineIsTheTitleOfTheMostCentralArticle) {
  const testing_util::TempDir dir;
  const std::string input = dir.path() + "/in.jsonl";
  testing_util::WriteFile(
      input,
      "{\"id\":\"b\",\"title\":\"Ash cloud over Iceland\",\"text\":\"volcano erupted iceland ash "
      "glacier\"}\n"
      "{\"id\":\"a\",\"title\":\"Iceland volcano grounds flights\",\"text\":\"volcano erupted "
      "iceland flights airports grounded\"}\n"
      "{\"id\":\"c\",\"title\":\"Airports shut as flights grounded\",\"text\":\"flights airports "
      "grounded passengers stranded\"}\n"
      "{\"id\":\"d\",\"text\":\"parliament budget vote taxes pensions\"}\n");
  const std::string out = dir.path() + "/s.jsonl";
  const cli_test::CliResult r = cli_test::RunCli({"cluster", "-q", input, "-o", out}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines =
      cli_test::SplitLines(testing_util::ReadFileOrEmpty(out));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(cli_test::JsonField(lines[0], "size"), "3");
  EXPECT_EQ(cli_test::JsonField(lines[0], "headline"), "Iceland volcano grounds flights");
  EXPECT_EQ(cli_test::JsonField(lines[1], "headline"), "null");  // No title.
}

}  // namespace
}  // namespace storysift
