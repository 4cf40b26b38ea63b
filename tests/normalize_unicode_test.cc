// Normalizer unit behaviour on generated inputs: UTF-8 repair, controls,
// Unicode folding, tokenization in wire style, CJK, stop words, stemming.
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/normalize.h"
#include "xxhash.h"

namespace storysift {
namespace {

NormalizedText NormalizeRaw(std::string_view raw, NormalizeOptions options = {}) {
  absl::StatusOr<Normalizer> n = Normalizer::Create(options);
  EXPECT_TRUE(n.ok()) << n.status();
  NormalizedText t;
  n->Normalize(raw, &t);
  return t;
}

std::string Folded(std::string_view raw) { return NormalizeRaw(raw).folded; }

TEST(NormalizeUnicodeTest, EmptyInputGivesNoTokens) {
  const NormalizedText t = NormalizeRaw("");
  EXPECT_TRUE(t.clean.empty());
  EXPECT_TRUE(t.folded.empty());
  EXPECT_TRUE(t.tokens.empty());
  EXPECT_FALSE(t.utf8_repaired);
  EXPECT_EQ(NormalizeRaw("  ,.;!? \n\t -- ").tokens.size(), 0u);
}

TEST(NormalizeUnicodeTest, PossessivesAndAbbreviationsSplitLikeWireText) {
  EXPECT_EQ(Folded("Russia's ambassador"), "russia s ambassador");
  EXPECT_EQ(Folded("Russia\u2019s ambassador"), "russia s ambassador");
  EXPECT_EQ(Folded("U.S. partners"), "u s partners");
  EXPECT_EQ(Folded("The embassy doesn't comment"), "the embassy doesn t comment");
  EXPECT_EQ(Folded("doesn\u2019t"), "doesn t");
}

TEST(NormalizeUnicodeTest, CurlyQuotesPrimesAndDashesAreSeparators) {
  EXPECT_EQ(Folded("\u201cwitch hunt\u201d \u2018no\u2019"), "witch hunt no");
  EXPECT_EQ(Folded("camp\u2014not his"), "camp not his");
  EXPECT_EQ(Folded("2016\u20132017"), "2016 2017");
  EXPECT_EQ(Folded("5\u2032 11\u2033"), "5 11");
  EXPECT_EQ(Folded("Trump-Russia"), "trump russia");
}

TEST(NormalizeUnicodeTest, InvalidUtf8IsReplacedAndFlagged) {
  const NormalizedText t = NormalizeRaw("caf\xC3 bar \xFF\xFEok \xE2\x80");
  EXPECT_TRUE(t.utf8_repaired);
  // Each maximal invalid subpart is one U+FFFD.
  EXPECT_EQ(t.clean, "caf\uFFFD bar \uFFFD\uFFFDok \uFFFD");
  EXPECT_EQ(t.folded, "caf bar ok");
  // Overlong encodings and surrogates are invalid too.
  EXPECT_TRUE(NormalizeRaw("\xC0\xAF").utf8_repaired);
  EXPECT_TRUE(NormalizeRaw("\xED\xA0\x80").utf8_repaired);
  EXPECT_TRUE(NormalizeRaw("\xF4\x90\x80\x80").utf8_repaired);
  EXPECT_FALSE(NormalizeRaw("\xF0\x9F\x98\x80 ok").utf8_repaired);
}

TEST(NormalizeUnicodeTest, ControlsAreDroppedButLineBreaksKept) {
  const NormalizedText t =
      NormalizeRaw(std::string("a\0b\x01 c\x7F\td\r\ne\rf\x0Bg\xC2\x85h", 19));
  EXPECT_EQ(t.clean, "ab c\td\ne\nf\ngh");
  EXPECT_EQ(t.folded, "ab c d e f gh");
  EXPECT_FALSE(t.utf8_repaired);
}

TEST(NormalizeUnicodeTest, NfkcCaseFoldingAndAccentsFold) {
  EXPECT_EQ(Folded("\uFF21\uFF22\uFF23 \uFB01nance"), "abc finance");  // Fullwidth, ligature.
  EXPECT_EQ(Folded("STRASSE Stra\u00DFe"), "strasse strasse");
  EXPECT_EQ(Folded("Caf\u00E9 cafe\u0301 CAF\u00C9"), "cafe cafe cafe");
  EXPECT_EQ(Folded("\u0394\u0399\u0395\u0398\u039D\u0397\u03A3"),
            "\u03B4\u03B9\u03B5\u03B8\u03BD\u03B7\u03C3");
  EXPECT_EQ(Folded("x\u00B2"), "x2");
  // Marks of other scripts carry meaning and stay.
  EXPECT_EQ(Folded("\u0939\u093F\u0928\u094D\u0926\u0940"),
            "\u0939\u093F\u0928\u094D\u0926\u0940");
  // A soft hyphen inside a word does not split it.
  EXPECT_EQ(Folded("inter\u00ADnational"), "international");
}

TEST(NormalizeUnicodeTest, EachCjkIdeographIsAToken) {
  const NormalizedText t = NormalizeRaw("\u4E2D\u56FD\u94F6\u884C said");
  ASSERT_EQ(t.tokens.size(), 5u);
  EXPECT_EQ(t.folded, "\u4E2D \u56FD \u94F6 \u884C said");
  EXPECT_EQ(t.clean_token(1), "\u56FD");
  EXPECT_EQ(Folded("\u6771\u4EAC\u3067"), "\u6771 \u4EAC \u3067");
}

TEST(NormalizeUnicodeTest, TokensCarryOffsetsAndHashes) {
  const NormalizedText t = NormalizeRaw("  Hello, W\u00D6RLD!");
  ASSERT_EQ(t.tokens.size(), 2u);
  EXPECT_EQ(t.clean_token(0), "Hello");
  EXPECT_EQ(t.clean_token(1), "W\u00D6RLD");
  EXPECT_EQ(t.folded_token(1), "world");
  EXPECT_EQ(t.tokens[0].hash, XXH3_64bits_withSeed("hello", 5, kTokenHashSeed));
  EXPECT_EQ(t.tokens[0].term, t.tokens[0].hash);
}

TEST(NormalizeUnicodeTest, StopWordsHaveTermZeroButKeepTheirHash) {
  const NormalizedText t = NormalizeRaw("The ambassador and the senator");
  ASSERT_EQ(t.tokens.size(), 5u);
  EXPECT_EQ(t.tokens[0].term, 0u);
  EXPECT_NE(t.tokens[0].hash, 0u);
  EXPECT_NE(t.tokens[1].term, 0u);
  EXPECT_EQ(t.tokens[2].term, 0u);
  EXPECT_TRUE(Normalizer::IsStopWord("the"));
  EXPECT_TRUE(Normalizer::IsStopWord("s"));
  EXPECT_TRUE(Normalizer::IsStopWord("t"));
  EXPECT_TRUE(Normalizer::IsStopWord("themselves"));
  EXPECT_FALSE(Normalizer::IsStopWord("u"));    // What is left of "U.S.".
  EXPECT_FALSE(Normalizer::IsStopWord("won"));  // A verb in news.
  EXPECT_FALSE(Normalizer::IsStopWord("The"));  // Only folded forms.
  EXPECT_FALSE(Normalizer::IsStopWord(""));
  EXPECT_FALSE(Normalizer::IsStopWord("kislyak"));
}

// Every word of the shipped list is found (the two-choice table placed them
// all), and words that differ from one by a letter are not.
TEST(NormalizeUnicodeTest, EveryListedStopWordIsFound) {
  std::ifstream in(std::string(STORYSIFT_DATA_DIR) + "/stopwords/english.txt");
  ASSERT_TRUE(in.good());
  std::string line;
  int words = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    EXPECT_TRUE(Normalizer::IsStopWord(line)) << line;
    EXPECT_FALSE(Normalizer::IsStopWord(line + "q")) << line;
    ++words;
  }
  EXPECT_GT(words, 100);
}

TEST(NormalizeUnicodeTest, NumbersAreTerms) {
  const NormalizedText t = NormalizeRaw("in 2016");
  ASSERT_EQ(t.tokens.size(), 2u);
  EXPECT_EQ(t.tokens[1].term, t.tokens[1].hash);
}

TEST(NormalizeUnicodeTest, StemmingMapsInflectionsToOneTerm) {
  NormalizeOptions stem;
  stem.stem = true;
  const NormalizedText a = NormalizeRaw("meetings", stem);
  const NormalizedText b = NormalizeRaw("meeting", stem);
  const NormalizedText c = NormalizeRaw("meet", stem);
  ASSERT_EQ(a.tokens.size(), 1u);
  EXPECT_EQ(a.tokens[0].term, b.tokens[0].term);
  EXPECT_EQ(a.tokens[0].term, c.tokens[0].term);
  EXPECT_EQ(a.tokens[0].term, XXH3_64bits_withSeed("meet", 4, kTokenHashSeed));
  EXPECT_NE(a.tokens[0].hash, b.tokens[0].hash);  // Shingles keep the word.
  EXPECT_EQ(a.folded, "meetings");
  // Without stemming, term is the word's own hash.
  const NormalizedText d = NormalizeRaw("meetings");
  EXPECT_EQ(d.tokens[0].term, d.tokens[0].hash);
  EXPECT_NE(d.tokens[0].term, b.tokens[0].term);
  EXPECT_EQ(NormalizeRaw("the", stem).tokens[0].term, 0u);
}

TEST(NormalizeUnicodeTest, ConcurrentStemmingMatchesSerial) {
  NormalizeOptions stem;
  stem.stem = true;
  const Normalizer n = *Normalizer::Create(stem);
  const std::string text =
      "Sessions reportedly talked with officials about the campaigns, meetings "
      "and investigations; the ambassadors' conversations were reported.";
  NormalizedText serial;
  n.Normalize(text, &serial);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      NormalizedText t;
      for (int rep = 0; rep < 200; ++rep) {
        n.Normalize(text, &t);
        for (size_t i = 0; i < t.tokens.size(); ++i) {
          if (t.tokens[i].term != serial.tokens[i].term) ++mismatches[k];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(NormalizeUnicodeTest, ReusedOutputIsFullyReplaced) {
  const Normalizer n = *Normalizer::Create({});
  NormalizedText t;
  n.Normalize("first text with <p>html</p> and \xFF bad byte", &t);
  n.Normalize("second", &t);
  EXPECT_EQ(t.clean, "second");
  EXPECT_EQ(t.folded, "second");
  EXPECT_EQ(t.tokens.size(), 1u);
  EXPECT_FALSE(t.utf8_repaired);
  EXPECT_EQ(t.boilerplate_lines_dropped, 0);
}

TEST(NormalizeUnicodeTest, HugeInputDoesNotCrash) {
  std::string huge;
  const std::string para =
      "Sessions met Kislyak twice \u2014 the Post said. <p>caf\u00E9 &amp; "
      "\xFF news</p>\n";
  while (huge.size() < (5u << 20)) huge += para;
  huge += std::string(100000, 'a');  // One very long token.
  const NormalizedText t = NormalizeRaw(huge);
  EXPECT_TRUE(t.utf8_repaired);
  EXPECT_GT(t.tokens.size(), 500000u);
  EXPECT_EQ(t.folded_token(t.tokens.size() - 1).size(), 100000u);
  EXPECT_EQ(NormalizeRaw(std::string(1u << 20, '\xFF')).clean.size(), 3u << 20);
}

}  // namespace
}  // namespace storysift
