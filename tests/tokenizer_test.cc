// The tokenizer's 64-byte block scan against its code-point-at-a-time scan,
// on generated text with every kind of separator at every alignment and on
// real articles; and the inlined token hash against XXH3.
#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "normalize_test_data.h"
#include "storysift/shingle.h"
#include "text/cpu_features.h"
#include "text/fold.h"
#include "text/lookalike.h"
#include "text/token_hash.h"
#include "text/tokenizer.h"

namespace storysift::internal {
namespace {

struct Tokenized {
  NormalizedText text;
  std::vector<LineStats> lines;
};

// Which scan: the block scan (CPU-dispatched), the bytewise scan, the
// block scan as built for the x86-64 baseline, or without AVX-512.
enum class Scan { kBlocks, kBytewise, kPortableBlocks, kAvx2Blocks };

Tokenized TokenizeWith(const std::string& clean, TermMode terms, Scan scan,
                       TokenHashKind hash = TokenHashKind::kFolded) {
  Tokenized r;
  r.text.clean = clean;
  r.text.token_hash = hash;
  switch (scan) {
    case Scan::kBlocks:
      Tokenize(terms, &r.text, &r.lines);
      break;
    case Scan::kBytewise:
      TokenizeBytewise(terms, &r.text, &r.lines);
      break;
    case Scan::kPortableBlocks:
      TokenizePortable(terms, &r.text, &r.lines);
      break;
    case Scan::kAvx2Blocks:
      TokenizeAvx2Bmi2(terms, &r.text, &r.lines);
      break;
  }
  return r;
}

Tokenized TokenizeWith(const std::string& clean, TermMode terms, bool blocks,
                       TokenHashKind hash = TokenHashKind::kFolded) {
  return TokenizeWith(clean, terms, blocks ? Scan::kBlocks : Scan::kBytewise, hash);
}

// Compares field by field, so a failure names the first token or line that
// differs; terms only when `compare_terms`.
void ExpectSameTokens(const Tokenized& got, const Tokenized& want, const std::string& clean,
                      bool compare_terms) {
  ASSERT_EQ(got.text.folded, want.text.folded) << clean;
  ASSERT_EQ(got.text.tokens.size(), want.text.tokens.size()) << clean;
  for (size_t i = 0; i < want.text.tokens.size(); ++i) {
    const Token& a = got.text.tokens[i];
    const Token& b = want.text.tokens[i];
    ASSERT_EQ(a.begin, b.begin) << "token " << i << " of " << clean;
    ASSERT_EQ(a.length, b.length) << "token " << i << " of " << clean;
    ASSERT_EQ(a.folded_begin, b.folded_begin) << "token " << i << " of " << clean;
    ASSERT_EQ(a.folded_length, b.folded_length) << "token " << i << " of " << clean;
    ASSERT_EQ(a.hash, b.hash) << "token " << i << " of " << clean;
    if (compare_terms) {
      ASSERT_EQ(a.term, b.term) << "token " << i << " of " << clean;
    }
  }
  ASSERT_EQ(got.lines.size(), want.lines.size()) << clean;
  for (size_t l = 0; l < want.lines.size(); ++l) {
    const LineStats& a = got.lines[l];
    const LineStats& b = want.lines[l];
    ASSERT_EQ(a.begin, b.begin) << "line " << l << " of " << clean;
    ASSERT_EQ(a.end, b.end) << "line " << l << " of " << clean;
    ASSERT_EQ(a.first_token, b.first_token) << "line " << l << " of " << clean;
    ASSERT_EQ(a.end_token, b.end_token) << "line " << l << " of " << clean;
    ASSERT_EQ(a.words, b.words) << "line " << l << " of " << clean;
    ASSERT_EQ(a.capitals, b.capitals) << "line " << l << " of " << clean;
    ASSERT_EQ(a.clause_punct, b.clause_punct) << "line " << l << " of " << clean;
    ASSERT_EQ(a.first_lower, b.first_lower) << "line " << l << " of " << clean;
    ASSERT_EQ(a.last_lower, b.last_lower) << "line " << l << " of " << clean;
  }
}

// The block scan's builds (the dispatched one, the x86-64 baseline's and
// TokenizeAvx2Bmi2's: the look-alike scan's AVX2 + BMI2 build, for terms the
// baseline's again) against the bytewise scan, terms included.
void ExpectSame(const std::string& clean, TermMode terms) {
  const Tokenized want = TokenizeWith(clean, terms, Scan::kBytewise);
  for (Scan scan : {Scan::kBlocks, Scan::kPortableBlocks, Scan::kAvx2Blocks}) {
    ExpectSameTokens(TokenizeWith(clean, terms, scan), want, clean, /*compare_terms=*/true);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

void ExpectSame(const std::string& clean, bool stem) {
  ExpectSame(clean, stem ? TermMode::kStemmed : TermMode::kFolded);
}

// Cleaned text (valid UTF-8, no controls but \n and \t) made of words of
// 1-70 bytes and every separator the scans treat differently.
std::string RandomClean(std::mt19937_64& rng, size_t pieces) {
  static const char* const kSeparators[] = {
      " ", " ", " ", "  ", ", ", ". ", ".", "; ", "!", "?", "\n", "\n\n", "\t", "-",
      "'", "\"", "...", "(", ")", ":", "/", "\xE2\x80\x99",  // ’
      "\xE2\x80\x9C",                                         // “
      "\xE2\x80\x94",                                         // —
      "\xE2\x80\xA6",                                         // …
      "\xE3\x80\x82",                                         // 。
  };
  static const char* const kNonAsciiWords[] = {
      "Caf\xC3\xA9", "\xC3\x89tude", "stra\xC3\x9F" "e", "e\xCC\x81t\xC3\xA9",
      "\xE6\x97\xA5\xE6\x9C\xAC",  // 日本
      "co\xC2\xADop",              // soft hyphen inside
      "\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1",  // Αθήνα
      "\xC2\xBD",                                  // ½ folds to nothing foldable
  };
  static const char kWordBytes[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s;
  for (size_t k = 0; k < pieces; ++k) {
    const unsigned kind = static_cast<unsigned>(rng() % 10);
    if (kind < 6) {
      const size_t len = rng() % 4 == 0 ? 1 + rng() % 70 : 1 + rng() % 9;
      for (size_t j = 0; j < len; ++j) s.push_back(kWordBytes[rng() % (sizeof(kWordBytes) - 1)]);
    } else if (kind < 9) {
      s += kSeparators[rng() % std::size(kSeparators)];
    } else {
      s += kNonAsciiWords[rng() % std::size(kNonAsciiWords)];
    }
  }
  return s;
}

TEST(TokenizerTest, BlockScanMatchesBytewiseOnGeneratedText) {
  std::mt19937_64 rng(20261126);
  for (int doc = 0; doc < 3000; ++doc) {
    const std::string clean = RandomClean(rng, rng() % 160);
    ExpectSame(clean, /*stem=*/doc % 7 == 0);
    if (HasFatalFailure()) return;
  }
}

TEST(TokenizerTest, BlockScanMatchesBytewiseAtEveryAlignment) {
  // One text with words ending, newlines and periods at each block edge.
  std::mt19937_64 rng(7);
  const std::string body = RandomClean(rng, 120) + " U.S. 0.3 end.\nNext";
  for (size_t pad = 0; pad < 80; ++pad) {
    ExpectSame(std::string(pad, 'x') + " " + body, /*stem=*/false);
    ExpectSame(std::string(pad, ' ') + body, /*stem=*/false);
    if (HasFatalFailure()) return;
  }
}

TEST(TokenizerTest, BlockScanMatchesBytewiseOnLongWordsAndRuns) {
  for (size_t len : {15, 16, 17, 63, 64, 65, 79, 80, 81, 200}) {
    ExpectSame(std::string(len, 'A'), false);
    ExpectSame(std::string(len, 'b') + ". " + std::string(len, '7'), false);
    ExpectSame(std::string(len, ' ') + "word", false);
    ExpectSame(std::string(len, '\n') + "Word\n", false);
    ExpectSame(std::string(len, 'c') + "\xC3\xA9" + std::string(len, 'd'), false);
    if (HasFatalFailure()) return;
  }
}

TEST(TokenizerTest, BlockScanMatchesBytewiseOnRealArticles) {
  std::vector<std::string> texts = testing::ReadSeeds();
  for (std::string& t : testing::ReadCorpusTexts("reuters21578/reuters.jsonl", 300)) {
    texts.push_back(std::move(t));
  }
  if (texts.empty()) GTEST_SKIP() << "shared data absent";
  for (size_t i = 0; i < texts.size(); ++i) {
    // Tokenize expects cleaned text; these are plain and valid UTF-8 except
    // for \r, which cleaning turns into \n.
    std::string clean = texts[i];
    for (char& c : clean) {
      if (c == '\r') c = '\n';
    }
    ExpectSame(clean, /*stem=*/i % 2 == 0);
    if (HasFatalFailure()) return;
  }
}

// TermMode::kNone (dedup's tokenizing) gives the same folded text, tokens
// and lines as kFolded, with every term 0; its block scan matches its
// bytewise scan.
TEST(TokenizerTest, TermsOffChangesOnlyTheTerms) {
  std::mt19937_64 rng(19);
  size_t terms_seen = 0;
  for (int doc = 0; doc < 500; ++doc) {
    const std::string clean = RandomClean(rng, rng() % 160);
    ExpectSame(clean, TermMode::kNone);
    if (HasFatalFailure()) return;
    const Tokenized with = TokenizeWith(clean, TermMode::kFolded, /*blocks=*/true);
    const Tokenized without = TokenizeWith(clean, TermMode::kNone, /*blocks=*/true);
    ExpectSameTokens(without, with, clean, /*compare_terms=*/false);
    if (HasFatalFailure()) return;
    for (size_t i = 0; i < with.text.tokens.size(); ++i) {
      ASSERT_EQ(without.text.tokens[i].term, 0u) << "token " << i << " of " << clean;
      terms_seen += with.text.tokens[i].term != 0;
    }
  }
  EXPECT_GT(terms_seen, 1000u);  // kFolded did fill terms.
}

// TokenHashKind::kLookalike (dedup's tokenizing) against kNone: the same
// tokens and lines, each hash the folded token's LookalikeTokenHash (what
// the sketcher's own fold made of it), no folded text, by both scans, on
// generated text (non-ASCII words included) and articles.
TEST(TokenizerTest, LookalikeHashesAreTheFoldedTokensLookalikeHashes) {
  std::mt19937_64 rng(23);
  std::vector<std::string> texts = testing::ReadSeeds();
  for (std::string& t : texts) std::replace(t.begin(), t.end(), '\r', '\n');  // As cleaned.
  for (int doc = 0; doc < 500; ++doc) texts.push_back(RandomClean(rng, rng() % 160));
  size_t changed = 0;
  for (const std::string& clean : texts) {
    Tokenized want = TokenizeWith(clean, TermMode::kNone, /*blocks=*/true);
    for (size_t i = 0; i < want.text.tokens.size(); ++i) {
      Token& token = want.text.tokens[i];
      const uint64_t lookalike = LookalikeTokenHash(want.text.folded_token(i));
      changed += lookalike != token.hash;
      token.hash = lookalike;
      token.folded_begin = token.folded_length = 0;
    }
    want.text.folded.clear();
    for (Scan scan : {Scan::kBlocks, Scan::kBytewise, Scan::kPortableBlocks, Scan::kAvx2Blocks}) {
      ExpectSameTokens(
          TokenizeWith(clean, TermMode::kNone, scan, TokenHashKind::kLookalike), want,
          clean, /*compare_terms=*/true);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GT(changed, 5000u);  // Most words have a look-alike letter.
}

// The look-alike block scan (words closed inside a block made tokens in one
// loop, line statistics from bit masks; the dispatched and the portable
// build) against the bytewise scan, with words, newlines and periods at
// every block edge and words longer than a block.
TEST(TokenizerTest, LookalikeBlockScansMatchBytewiseAtEveryAlignment) {
  std::mt19937_64 rng(29);
  const std::string body = RandomClean(rng, 120) + " U.S. 0.3 end.\nNext a B 7 x\n";
  std::vector<std::string> texts;
  for (size_t pad = 0; pad < 80; ++pad) {
    texts.push_back(std::string(pad, 'x') + " " + body);
    texts.push_back(std::string(pad, ' ') + body);
    texts.push_back(std::string(pad, '\n') + "A b " + body);
  }
  for (size_t len : {1, 2, 15, 16, 17, 63, 64, 65, 79, 80, 81, 200}) {
    texts.push_back(std::string(len, 'A'));
    texts.push_back(std::string(len, 'b') + ". " + std::string(len, '7') + "\n" + body);
    texts.push_back(std::string(len, 'c') + "\xC3\xA9" + std::string(len, 'd') + " e");
  }
  for (const std::string& clean : texts) {
    const Tokenized want =
        TokenizeWith(clean, TermMode::kNone, Scan::kBytewise, TokenHashKind::kLookalike);
    for (Scan scan : {Scan::kBlocks, Scan::kPortableBlocks, Scan::kAvx2Blocks}) {
      ExpectSameTokens(TokenizeWith(clean, TermMode::kNone, scan, TokenHashKind::kLookalike),
                       want, clean, /*compare_terms=*/true);
      if (HasFatalFailure()) return;
    }
  }
}

// The look-alike block scan (on AVX-512 CPUs: a block's closed words hashed
// in batches of eight lanes) against the bytewise scan: word counts 0-40 of
// every lane length (1-16 bytes, 17 off the lanes), so blocks and documents
// end on every part batch, with words over block edges and lines.
TEST(TokenizerTest, LookalikeLanesOfEveryBatchFillMatchBytewise) {
  std::mt19937_64 rng(31);
  static const char kWordBytes[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::vector<std::string> texts;
  for (size_t words = 0; words <= 40; ++words) {
    for (int variant = 0; variant < 4; ++variant) {
      std::string s;
      for (size_t w = 0; w < words * (variant + 1); ++w) {
        const size_t len = variant == 0 ? 1 + w % 17 : 1 + rng() % 17;
        for (size_t j = 0; j < len; ++j) s.push_back(kWordBytes[rng() % (sizeof(kWordBytes) - 1)]);
        s += rng() % 9 == 0 ? "\n" : (rng() % 5 == 0 ? ", " : " ");
      }
      texts.push_back(s);
    }
  }
  for (const std::string& clean : texts) {
    const Tokenized want =
        TokenizeWith(clean, TermMode::kNone, Scan::kBytewise, TokenHashKind::kLookalike);
    ExpectSameTokens(TokenizeWith(clean, TermMode::kNone, Scan::kBlocks, TokenHashKind::kLookalike),
                     want, clean, /*compare_terms=*/true);
    if (HasFatalFailure()) return;
  }
}

// The AVX-512 terms build (Tokenize with look-alike hashes: words closed in
// a block hashed twice in the lanes) against the bytewise scan, every field
// of every token and line, terms folded and stemmed, and each token's
// look-alike hash against LookalikeTokenHash of its folded form: words,
// newlines and periods at every block edge, words of every lane form and
// longer, non-ASCII words, generated text and articles.
TEST(TokenizerTest, TermsAvx512BuildMatchesBytewiseWithLookalikeHashes) {
  if (!CpuHasAvx512()) GTEST_SKIP() << "no AVX-512";
  std::mt19937_64 rng(31);
  const std::string body = RandomClean(rng, 120) + " U.S. 0.3 end.\nNext a B 7 x\n";
  std::vector<std::string> texts = testing::ReadSeeds();
  for (std::string& t : testing::ReadCorpusTexts("reuters21578/reuters.jsonl", 100)) {
    texts.push_back(std::move(t));
  }
  for (std::string& t : texts) std::replace(t.begin(), t.end(), '\r', '\n');  // As cleaned.
  for (size_t pad = 0; pad < 80; ++pad) {
    texts.push_back(std::string(pad, 'x') + " " + body);
    texts.push_back(std::string(pad, ' ') + body);
    texts.push_back(std::string(pad, '\n') + "A b " + body);
  }
  for (size_t len = 1; len <= 40; ++len) {
    texts.push_back(std::string(len, 'O') + " " + std::string(len, 'l') + ". " + body);
    texts.push_back(std::string(len, 'c') + "\xC3\xA9" + std::string(len, 'd') + " e " + body);
  }
  for (int doc = 0; doc < 300; ++doc) texts.push_back(RandomClean(rng, rng() % 160));
  size_t mapped = 0;
  for (const std::string& clean : texts) {
    for (TermMode terms : {TermMode::kFolded, TermMode::kStemmed}) {
      Tokenized got;
      got.text.clean = clean;
      Tokenize(terms, &got.text, &got.lines, /*lookalike_hashes=*/true);
      ExpectSameTokens(got, TokenizeWith(clean, terms, Scan::kBytewise), clean,
                       /*compare_terms=*/true);
      if (HasFatalFailure()) return;
      ASSERT_EQ(got.text.lookalike_hashes.size(), got.text.tokens.size()) << clean;
      for (size_t i = 0; i < got.text.tokens.size(); ++i) {
        const uint64_t want = LookalikeTokenHash(got.text.folded_token(i));
        ASSERT_EQ(got.text.lookalike_hashes[i], want) << "token " << i << " of " << clean;
        mapped += want != got.text.tokens[i].hash;
      }
    }
  }
  EXPECT_GT(mapped, 5000u);  // Most words have a look-alike letter.
  Tokenized without;  // Not asked for: none made.
  without.text.clean = body;
  Tokenize(TermMode::kFolded, &without.text, &without.lines);
  EXPECT_TRUE(without.text.lookalike_hashes.empty());
}

// The look-alike copy of the text (by AVX2 where the CPU has it) against
// the SSE2 form, byte for byte, at every length up to 200 and 32 offsets;
// and each ASCII letter or digit is its lowercase form's kLookalikeByte.
TEST(LookalikeMapTest, DispatchedMapEqualsTheSse2FormAtEveryLengthAndOffset) {
  std::mt19937_64 rng(41);
  std::vector<uint8_t> bytes(256 + 32);
  for (size_t j = 0; j < bytes.size(); ++j) bytes[j] = static_cast<uint8_t>(j < 256 ? j : rng());
  std::shuffle(bytes.begin(), bytes.begin() + 256, rng);
  std::vector<uint8_t> got(bytes.size()), want(bytes.size());
  for (size_t offset = 0; offset < 32; ++offset) {
    for (size_t len = 0; offset + len <= 256 && len <= 200; ++len) {
      const uint8_t* p = bytes.data() + offset;
      LowerAndMapLookalikes(p, len, got.data());
      LowerAndMapLookalikesSse2(p, len, want.data());
      ASSERT_TRUE(std::equal(got.begin(), got.begin() + len, want.begin()))
          << "offset " << offset << " length " << len;
      for (size_t j = 0; j < len; ++j) {
        const uint8_t c = p[j];
        if (!kAsciiWordByte[c]) continue;
        const uint8_t lower = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
        ASSERT_EQ(got[j], kLookalikeByte[lower]) << "byte " << int{c};
      }
    }
  }
}

TEST(TokenHashTest, EqualsXxh3AtEveryLengthAndOffset) {
  std::mt19937_64 rng(3);
  std::string bytes(128, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t len = 0; len <= 48; ++len) {
      const char* p = bytes.data() + offset;
      EXPECT_EQ(TokenHash(p, len), XXH3_64bits_withSeed(p, len, kTokenHashSeed))
          << "offset " << offset << " length " << len;
      EXPECT_EQ(PaddedTokenHash(p, len), XXH3_64bits_withSeed(p, len, kTokenHashSeed))
          << "padded, offset " << offset << " length " << len;
    }
  }
  // Each word in an allocation of exactly its size: under AddressSanitizer
  // a read past the word fails here (callers such as IsStopWord pass
  // unpadded strings).
  for (size_t len = 1; len <= 20; ++len) {
    std::unique_ptr<char[]> word(new char[len]);
    for (size_t k = 0; k < len; ++k) word[k] = static_cast<char>('a' + (k * 7 + len) % 26);
    EXPECT_EQ(TokenHash(word.get(), len), XXH3_64bits_withSeed(word.get(), len, kTokenHashSeed))
        << "length " << len;
  }
}

}  // namespace
}  // namespace storysift::internal
