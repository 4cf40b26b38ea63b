#include "storysift/shingle.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "xxhash.h"

namespace storysift {
namespace {

std::vector<uint64_t> Words(std::initializer_list<const char*> words) {
  std::vector<uint64_t> out;
  for (const char* w : words) {
    out.push_back(XXH3_64bits_withSeed(w, std::strlen(w), kTokenHashSeed));
  }
  return out;
}

TEST(ShingleTest, WordShingleIsXxh3OfLittleEndianTokenHashes) {
  std::vector<uint64_t> t = Words({"a", "b", "c"});
  std::vector<uint64_t> out;
  WordShingles(t, 2, 7, &out);
  uint8_t bytes[16];
  for (int w = 0; w < 2; ++w) {
    for (int i = 0; i < 8; ++i) bytes[8 * w + i] = (t[w] >> (8 * i)) & 0xFF;
  }
  const uint64_t first = XXH3_64bits_withSeed(bytes, 16, 7);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(std::find(out.begin(), out.end(), first) != out.end());
}

// Word 3-shingles (the default) hash their window from registers with
// XXH3's 17-128 byte form written out; each must still be XXH3 of the 24
// little-endian bytes, for any token hashes and seed.
TEST(ShingleTest, WordThreeShinglesAreXxh3OfTheirTwentyFourBytes) {
  std::mt19937_64 rng(24);
  for (int round = 0; round < 200; ++round) {
    std::vector<uint64_t> tokens(3 + rng() % 20);
    for (uint64_t& t : tokens) t = rng();
    if (round == 0) tokens.assign(tokens.size(), 0);  // All-zero bytes.
    const uint64_t seed = round == 1 ? 0 : rng();
    std::vector<uint64_t> out;
    WordShingleSequence(tokens, 3, seed, &out);
    ASSERT_EQ(out.size(), tokens.size() - 2);
    for (size_t i = 0; i < out.size(); ++i) {
      uint8_t bytes[24];
      for (int w = 0; w < 3; ++w) {
        for (int b = 0; b < 8; ++b) bytes[8 * w + b] = (tokens[i + w] >> (8 * b)) & 0xFF;
      }
      ASSERT_EQ(out[i], XXH3_64bits_withSeed(bytes, 24, seed)) << "round " << round << " at " << i;
    }
  }
}

TEST(ShingleTest, WordShinglesAreASortedSet) {
  std::vector<uint64_t> t = Words({"x", "y", "x", "y", "x", "y", "x"});
  std::vector<uint64_t> out;
  WordShingles(t, 2, kDefaultShingleSeed, &out);
  EXPECT_EQ(out.size(), 2u);  // "x y" and "y x" only.
  EXPECT_TRUE(std::is_sorted(out.begin(), out.end()));
}

TEST(ShingleTest, ShortDocumentGivesOneShingleOfAllTokens) {
  std::vector<uint64_t> out;
  WordShingles(Words({"only", "three", "words"}), 5, kDefaultShingleSeed, &out);
  std::vector<uint64_t> all;
  WordShingles(Words({"only", "three", "words"}), 3, kDefaultShingleSeed, &all);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out, all);
}

TEST(ShingleTest, EmptyDocumentGivesEmptySet) {
  std::vector<uint64_t> out = {1, 2};
  WordShingles({}, 5, kDefaultShingleSeed, &out);
  EXPECT_TRUE(out.empty());
  out = {1};
  CharShingles("", 5, kDefaultShingleSeed, &out);
  EXPECT_TRUE(out.empty());
}

TEST(ShingleTest, CharShinglesCountCodePointsNotBytes) {
  std::vector<uint64_t> out;
  // 6 code points (9 bytes): 4 distinct 3-grams.
  CharShingles("h\xC3\xA9l\xC3\xA9n\xC3\xA9", 3, 1, &out);
  EXPECT_EQ(out.size(), 4u);
  CharShingles("h\xC3\xA9", 3, 1, &out);  // Shorter than n: one shingle.
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], XXH3_64bits_withSeed("h\xC3\xA9", 3, 1));
}

TEST(ShingleTest, ComputeShinglesReadsTokenHashesOfNormalizedText) {
  auto normalizer = Normalizer::Create(NormalizeOptions{});
  ASSERT_TRUE(normalizer.ok());
  NormalizedText text;
  normalizer->Normalize("One two three four five six.", &text);
  std::vector<uint64_t> out, scratch, expected;
  ComputeShingles(text, ShingleOptions{}, &out, &scratch);
  WordShingles(Words({"one", "two", "three", "four", "five", "six"}), kDefaultWordShingleSize,
               kDefaultShingleSeed, &expected);
  EXPECT_EQ(out, expected);
  ShingleOptions chars{ShingleKind::kChar, 9, kDefaultShingleSeed};
  ComputeShingles(text, chars, &out, &scratch);
  CharShingles(text.folded, 9, kDefaultShingleSeed, &expected);
  EXPECT_EQ(out, expected);
}

// Random words over look-alike letters, other letters, digits and
// multi-byte letters, 1-40 bytes long, so tokens straddle every position of
// the vector fold's 16-byte steps and 64-bit change masks.
std::string LookalikeTestText(std::mt19937_64& rng, size_t words) {
  static const char* const kPieces[] = {"o", "i", "l", "z", "s", "b", "h", "e", "m", "v",
                                        "a", "d", "n", "t", "r", "1", "9", "0",
                                        "\xC3\xA9", "\xC3\x9F", "\xD0\xBE"};
  std::string text;
  for (size_t w = 0; w < words; ++w) {
    const size_t len = 1 + rng() % (rng() % 8 == 0 ? 40 : 7);
    for (size_t k = 0; k < len; ++k) text += kPieces[rng() % std::size(kPieces)];
    text += rng() % 10 == 0 ? ". " : " ";
  }
  return text;
}

TEST(ShingleTest, LookalikeFoldHashesEachTokenAsLookalikeTokenHash) {
  auto normalizer = Normalizer::Create(NormalizeOptions{});
  ASSERT_TRUE(normalizer.ok());
  ShingleOptions folded;
  folded.fold_lookalikes = true;
  std::mt19937_64 rng(19);
  NormalizedText text;
  std::vector<uint64_t> out, scratch, token_hashes, expected;
  for (int doc = 0; doc < 300; ++doc) {
    normalizer->Normalize(LookalikeTestText(rng, 1 + rng() % 400), &text);
    token_hashes.clear();
    for (const Token& t : text.tokens) {
      token_hashes.push_back(LookalikeTokenHash(
          std::string_view(text.folded).substr(t.folded_begin, t.folded_length)));
    }
    ComputeShingleSequence(text, folded, &out, &scratch);
    WordShingleSequence(token_hashes, folded.size, folded.seed, &expected);
    ASSERT_EQ(out, expected) << text.folded;
  }
  // "and 1987" has no look-alike: its shingle is the unfolded one.
  normalizer->Normalize("and 1987", &text);
  ShingleOptions plain = folded;
  plain.fold_lookalikes = false;
  ComputeShingleSequence(text, folded, &out, &scratch);
  ComputeShingleSequence(text, plain, &expected, &scratch);
  EXPECT_EQ(out, expected);
  normalizer->Normalize("the company", &text);
  ComputeShingleSequence(text, folded, &out, &scratch);
  ComputeShingleSequence(text, plain, &expected, &scratch);
  EXPECT_NE(out, expected);
}

TEST(ShingleTest, SortUniqueMatchesStdSortOnLargeInputs) {
  std::mt19937_64 rng(3);
  for (size_t n : {10, 300, 5000}) {
    std::vector<uint64_t> v;
    for (size_t i = 0; i < n; ++i) v.push_back(rng() % (i % 3 == 0 ? 1000 : ~0ull));
    std::vector<uint64_t> expected = v;
    std::sort(expected.begin(), expected.end());
    expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
    SortUnique(&v);
    EXPECT_EQ(v, expected) << n;
  }
}

// Zeros, small values (all in the first slot), values near 2^64 (all in the
// last slot: their probes wrap to the first) and repeats of random ones.
std::vector<uint64_t> CountDistinctTestValues(std::mt19937_64& rng, size_t n) {
  std::vector<uint64_t> v;
  for (size_t i = 0; i < n; ++i) {
    switch (i % 5) {
      case 0: v.push_back(0); break;
      case 1: v.push_back(rng() % 50); break;
      case 2: v.push_back(rng()); break;
      case 3: v.push_back(~(rng() % 50)); break;
      default: v.push_back(v[i / 2]); break;
    }
  }
  return v;
}

TEST(ShingleTest, CountDistinctIsTheSortUniqueSize) {
  std::mt19937_64 rng(11);
  for (size_t n : {0u, 1u, 2u, 7u, 300u, 5000u}) {
    std::vector<uint64_t> v = CountDistinctTestValues(rng, n);
    std::vector<uint64_t> table;
    const size_t counted = CountDistinct(v, &table);
    SortUnique(&v);
    EXPECT_EQ(counted, v.size()) << n;
  }
}

// One table through many calls (as the sketcher keeps it), sizes growing
// and shrinking, so that slots of earlier calls lie where later ones probe;
// and a table holding other contents.
TEST(ShingleTest, CountDistinctIsExactWithATableKeptBetweenCalls) {
  std::mt19937_64 rng(12);
  std::vector<uint64_t> table;
  for (int call = 0; call < 400; ++call) {
    const size_t n = rng() % 3 == 0 ? rng() % 3000 : rng() % 40;
    std::vector<uint64_t> v = CountDistinctTestValues(rng, n);
    std::shuffle(v.begin(), v.end(), rng);
    const size_t counted = CountDistinct(v, &table);
    SortUnique(&v);
    ASSERT_EQ(counted, v.size()) << "call " << call << ", " << n << " values";
  }
  std::vector<uint64_t> foreign(100, ~uint64_t{0});
  std::vector<uint64_t> v = CountDistinctTestValues(rng, 64);
  const size_t counted = CountDistinct(v, &foreign);
  SortUnique(&v);
  EXPECT_EQ(counted, v.size());
}

TEST(ShingleTest, SequencesHoldTheSetsShinglesInDocumentOrder) {
  const std::vector<uint64_t> t = Words({"a", "b", "a", "b", "a", "c", "d"});
  std::vector<uint64_t> seq, set;
  WordShingleSequence(t, 2, 3, &seq);
  WordShingles(t, 2, 3, &set);
  ASSERT_EQ(seq.size(), t.size() - 1);
  EXPECT_EQ(seq[0], seq[2]);  // "a b" twice.
  SortUnique(&seq);
  EXPECT_EQ(seq, set);
  CharShingleSequence("abcabcab", 3, 5, &seq);
  CharShingles("abcabcab", 3, 5, &set);
  EXPECT_EQ(seq.size(), 6u);
  SortUnique(&seq);
  EXPECT_EQ(seq, set);
}

TEST(ShingleTest, ValidateRejectsSizeOutOfRange) {
  EXPECT_EQ(ValidateShingleOptions({ShingleKind::kWord, 0, 1}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateShingleOptions({ShingleKind::kChar, 65, 1}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ValidateShingleOptions(ShingleOptions{}).ok());
}

}  // namespace
}  // namespace storysift
