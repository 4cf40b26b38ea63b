// The normalizer on real articles: the three seeds in their messy shapes and
// the Reuters/BBC corpora (skipped when the shared data is absent).
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "normalize_test_data.h"
#include "storysift/normalize.h"

namespace storysift {
namespace {

using ::storysift::testing::ReadCorpusTexts;
using ::storysift::testing::ReadSeeds;

Normalizer MakeNormalizer(NormalizeOptions options = {}) {
  absl::StatusOr<Normalizer> n = Normalizer::Create(options);
  EXPECT_TRUE(n.ok()) << n.status();
  return *std::move(n);
}

std::vector<std::string> FoldedTokens(const NormalizedText& t) {
  std::vector<std::string> out;
  for (size_t i = 0; i < t.tokens.size(); ++i) {
    out.emplace_back(t.folded_token(i));
  }
  return out;
}

bool HasToken(const NormalizedText& t, std::string_view word) {
  for (size_t i = 0; i < t.tokens.size(); ++i) {
    if (t.folded_token(i) == word) return true;
  }
  return false;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t s = 0;
  while (s <= text.size()) {
    size_t e = text.find('\n', s);
    if (e == std::string_view::npos) e = text.size();
    lines.emplace_back(text.substr(s, e - s));
    s = e + 1;
  }
  return lines;
}

// Lines of `without` (boilerplate kept) that are missing from `with`.
std::vector<std::string> DroppedLines(const NormalizedText& with,
                                      const NormalizedText& without) {
  std::vector<std::string> dropped;
  for (const std::string& line : Lines(without.clean)) {
    if (!line.empty() && with.clean.find(line) == std::string::npos) {
      dropped.push_back(line);
    }
  }
  return dropped;
}

// Every token's clean bytes fold, on their own, to the token's folded form;
// folded is the tokens joined by single spaces; hashes match.
void ExpectOffsetsRoundTrip(const Normalizer& single, const NormalizedText& t) {
  std::string joined;
  NormalizedText alone;
  for (size_t i = 0; i < t.tokens.size(); ++i) {
    const Token& tok = t.tokens[i];
    ASSERT_LE(tok.begin + tok.length, t.clean.size());
    ASSERT_LE(tok.folded_begin + tok.folded_length, t.folded.size());
    if (i > 0) joined.push_back(' ');
    joined.append(t.folded_token(i));
    single.Normalize(t.clean_token(i), &alone);
    ASSERT_EQ(alone.tokens.size(), 1u) << "token " << i << " '"
                                       << t.clean_token(i) << "'";
    ASSERT_EQ(alone.folded_token(0), t.folded_token(i));
    ASSERT_EQ(alone.tokens[0].hash, tok.hash);
  }
  EXPECT_EQ(joined, t.folded);
}

class SeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seeds_ = ReadSeeds();
    if (seeds_.empty()) GTEST_SKIP() << "shared seeds absent";
  }
  std::vector<std::string> seeds_;
};

TEST_F(SeedTest, WireTextTokensStartLikeTheWire) {
  NormalizedText t;
  MakeNormalizer().Normalize(seeds_[0], &t);
  const std::vector<std::string> want = {"moscow", "reuters", "the",
                                         "russian", "embassy"};
  const std::vector<std::string> got = FoldedTokens(t);
  ASSERT_GE(got.size(), want.size());
  EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 5), want);
  EXPECT_EQ(t.boilerplate_lines_dropped, 0);
  EXPECT_NE(t.folded.find("russia s ambassador"), std::string::npos);
  EXPECT_NE(t.folded.find("doesn t comment"), std::string::npos);
}

TEST_F(SeedTest, LowercaseWireLineWithoutPunctuationIsKeptWhole) {
  NormalizeOptions keep;
  keep.drop_boilerplate = false;
  NormalizedText with, without;
  MakeNormalizer().Normalize(seeds_[0], &with);
  MakeNormalizer(keep).Normalize(seeds_[0], &without);
  EXPECT_EQ(with.folded, without.folded);
  EXPECT_EQ(with.tokens.size(), 372u);
}

TEST_F(SeedTest, ScrapedPageLosesPixelAndMenusButKeepsTheArticle) {
  NormalizeOptions keep;
  keep.drop_boilerplate = false;
  NormalizedText with, without;
  MakeNormalizer().Normalize(seeds_[1], &with);
  MakeNormalizer(keep).Normalize(seeds_[1], &without);
  EXPECT_EQ(with.clean.find("<img"), std::string::npos);
  EXPECT_EQ(without.clean.find("<img"), std::string::npos);
  EXPECT_FALSE(HasToken(with, "facebook"));
  EXPECT_FALSE(HasToken(with, "pinterest"));
  EXPECT_FALSE(HasToken(with, "careers"));
  EXPECT_TRUE(HasToken(with, "kislyak"));
  EXPECT_TRUE(HasToken(with, "hunt"));  // Last body sentence.
  EXPECT_TRUE(HasToken(with, "rourke"));  // Photo caption.
  const std::vector<std::string> want = {
      "About Our People Legal Stuff Careers", "Read Comments",
      "Facebook Twitter Instagram Pinterest Linked In List Menu Enlarge "
      "Gallery Info Menu Close Angle Down Angle Up Angle Left Angle Right "
      "Grid Grid Play Align Left Search Youtube Mail Mail Angle Down Bookmark"};
  EXPECT_EQ(DroppedLines(with, without), want);
  EXPECT_EQ(with.boilerplate_lines_dropped, 3);
  // Every sentence of the body survives.
  for (const std::string& line : Lines(without.clean)) {
    if (line.find(". ") != std::string::npos || line.back() == '.') {
      EXPECT_NE(with.clean.find(line), std::string::npos) << line;
    }
  }
  // The headline, which has no final punctuation, stays.
  EXPECT_NE(with.clean.find("Sessions reportedly talked with Russia\u2019s "
                            "ambassador about Trump\u2019s campaign"),
            std::string::npos);
}

TEST_F(SeedTest, MagazineArticleKeepsEverySentenceAndName) {
  NormalizeOptions keep;
  keep.drop_boilerplate = false;
  NormalizedText with, without;
  MakeNormalizer().Normalize(seeds_[2], &with);
  MakeNormalizer(keep).Normalize(seeds_[2], &without);
  EXPECT_TRUE(DroppedLines(with, without).empty());
  EXPECT_EQ(with.boilerplate_lines_dropped, 0);
  EXPECT_TRUE(HasToken(with, "franken"));
  EXPECT_TRUE(HasToken(with, "leahy"));
  // Markdown bold reads as words.
  EXPECT_NE(with.folded.find("denying under oath that"), std::string::npos);
}

TEST_F(SeedTest, TokenOffsetsRoundTripOnEverySeedToken) {
  NormalizeOptions plain;
  plain.markup = MarkupMode::kPlain;
  plain.drop_boilerplate = false;
  const Normalizer single = MakeNormalizer(plain);
  for (const std::string& seed : seeds_) {
    NormalizedText t;
    MakeNormalizer().Normalize(seed, &t);
    ExpectOffsetsRoundTrip(single, t);
  }
}

TEST(CorpusTest, CleanWireTextLosesUnderOnePercentOfTokens) {
  const std::vector<std::string> docs =
      ReadCorpusTexts("reuters21578/reuters.jsonl", 2000);
  if (docs.empty()) GTEST_SKIP() << "shared Reuters data absent";
  NormalizeOptions keep;
  keep.drop_boilerplate = false;
  const Normalizer dropping = MakeNormalizer(), keeping = MakeNormalizer(keep);
  size_t all = 0, kept = 0;
  NormalizedText a, b;
  for (const std::string& doc : docs) {
    dropping.Normalize(doc, &a);
    keeping.Normalize(doc, &b);
    kept += a.tokens.size();
    all += b.tokens.size();
  }
  ASSERT_GT(all, 100000u);
  // Most of what goes is the "Reuter" sign-off line.
  EXPECT_LT(static_cast<double>(all - kept), 0.01 * static_cast<double>(all));
}

TEST(CorpusTest, BbcProseLosesAlmostNothing) {
  const std::vector<std::string> docs = ReadCorpusTexts("bbc/bbc.jsonl", 3000);
  if (docs.empty()) GTEST_SKIP() << "shared BBC data absent";
  NormalizeOptions keep;
  keep.drop_boilerplate = false;
  const Normalizer dropping = MakeNormalizer(), keeping = MakeNormalizer(keep);
  size_t all = 0, kept = 0;
  NormalizedText a, b;
  for (const std::string& doc : docs) {
    dropping.Normalize(doc, &a);
    keeping.Normalize(doc, &b);
    kept += a.tokens.size();
    all += b.tokens.size();
  }
  EXPECT_LT(static_cast<double>(all - kept), 0.002 * static_cast<double>(all));
}

TEST(CorpusTest, TokenOffsetsRoundTripOnReutersDocs) {
  const std::vector<std::string> docs =
      ReadCorpusTexts("reuters21578/reuters.jsonl", 500);
  if (docs.empty()) GTEST_SKIP() << "shared Reuters data absent";
  NormalizeOptions plain;
  plain.markup = MarkupMode::kPlain;
  plain.drop_boilerplate = false;
  const Normalizer single = MakeNormalizer(plain);
  NormalizedText t;
  for (const std::string& doc : docs) {
    MakeNormalizer().Normalize(doc, &t);
    ExpectOffsetsRoundTrip(single, t);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace storysift
