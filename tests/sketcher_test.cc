#include "storysift/sketcher.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/normalize.h"
#include "storysift/shingle.h"
#include "text/cpu_features.h"

namespace storysift {
namespace {

NormalizedText Normalized(const std::string& raw) {
  NormalizedText text;
  Normalizer::Create(NormalizeOptions{})->Normalize(raw, &text);
  return text;
}

// A sentence repeated, so the document has many repeated shingles.
const char kRepetitive[] =
    "Officials said the talks would resume on Monday. Officials said the talks "
    "would resume on Monday. Officials said the talks would resume on Monday, "
    "and the ministers agreed on a final text for the summit next week.";

TEST(SketcherTest, KeepingTheSetChangesNeitherSignatureNorSetSize) {
  const Sketcher sketcher = *Sketcher::Create(SketchOptions{});
  const NormalizedText text = Normalized(kRepetitive);
  const int k = sketcher.num_perm();
  std::vector<uint32_t> fast(k), with_set(k);
  uint64_t unused = 0;
  Sketcher::Scratch a, b;
  b.keep_set = true;
  sketcher.Compute(text, absl::MakeSpan(fast), &unused, &a);
  sketcher.Compute(text, absl::MakeSpan(with_set), &unused, &b);
  EXPECT_EQ(fast, with_set);
  EXPECT_EQ(a.set_size, b.set_size);
  EXPECT_EQ(b.shingles.size(), b.set_size);
  EXPECT_TRUE(std::is_sorted(b.shingles.begin(), b.shingles.end()));
  // The set really is smaller than the token count here: repeats were removed.
  EXPECT_LT(a.set_size + 10, text.tokens.size());

  std::vector<uint64_t> expected, tokens;
  ComputeShingles(text, sketcher.options().shingle, &expected, &tokens);
  EXPECT_EQ(b.shingles, expected);
}

TEST(SketcherTest, SetSizeIsZeroForAnEmptyDocument) {
  const Sketcher sketcher = *Sketcher::Create(SketchOptions{});
  std::vector<uint32_t> sig(sketcher.num_perm());
  uint64_t unused = 0;
  Sketcher::Scratch scratch;
  scratch.set_size = 99;
  sketcher.Compute(Normalized(""), absl::MakeSpan(sig), &unused, &scratch);
  EXPECT_EQ(scratch.set_size, 0u);
  EXPECT_TRUE(IsEmptySignature(sig));
}

// The documents the fused-pass test runs on: the committed seed articles,
// a text full of repeats, look-alike spellings and texts of 0-6 words (the
// shortest have fewer tokens than a shingle and take the separate passes).
std::vector<std::string> SketchTestTexts() {
  std::vector<std::string> texts = {kRepetitive, "",
                                    "one", "one two", "one two three",
                                    "one two three four", "a b c d e",
                                    "0ne tw0 three f0ur five six",
                                    "Officials said the ta1ks wou1d resume on M0nday."};
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(STORYSIFT_DATA_DIR) + "/seeds")) {
    std::ifstream in(entry.path());
    std::stringstream body;
    body << in.rdbuf();
    texts.push_back(body.str());
  }
  // Generated text from a small vocabulary: many repeated shingles.
  std::mt19937_64 rng(7);
  std::string generated;
  for (int i = 0; i < 3000; ++i) generated += "w" + std::to_string(rng() % 40) + " ";
  texts.push_back(generated);
  return texts;
}

// Sketcher::Compute without keep_set runs word shingles, OPH MinHash and the
// distinct count in one fused pass; it must give what the separate passes
// give, and a set size equal to the sorted set's, for every shingle size,
// with and without the look-alike fold, at signature sizes on and past the
// fused path's stack bins.
TEST(SketcherTest, FusedPassMatchesTheSeparatePasses) {
  const std::vector<std::string> raw = SketchTestTexts();
  ASSERT_GE(raw.size(), 12u);
  for (int size = 1; size <= 5; ++size) {
    for (bool fold : {true, false}) {
      for (int num_perm : {2, 64, 100, 128, 512, 1024}) {
        SketchOptions options;
        options.shingle.size = size;
        options.shingle.fold_lookalikes = fold;
        options.minhash.num_perm = num_perm;
        const Sketcher sketcher = *Sketcher::Create(options);
        const MinHasher hasher = *MinHasher::Create(options.minhash);
        for (const std::string& r : raw) {
          SCOPED_TRACE(::testing::Message() << "size " << size << " fold " << fold
                                            << " num_perm " << num_perm << " text "
                                            << r.substr(0, 40));
          const NormalizedText text = Normalized(r);
          std::vector<uint32_t> fused(num_perm), expected(num_perm);
          uint64_t unused = 0;
          Sketcher::Scratch scratch;
          sketcher.Compute(text, absl::MakeSpan(fused), &unused, &scratch);
          std::vector<uint64_t> shingles, tokens, table;
          ComputeShingleSequence(text, options.shingle, &shingles, &tokens);
          hasher.Compute(shingles, absl::MakeSpan(expected));
          EXPECT_EQ(fused, expected);
          EXPECT_EQ(scratch.shingles, shingles);  // In document order.
          EXPECT_EQ(scratch.set_size, CountDistinct(shingles, &table));
          SortUnique(&shingles);
          EXPECT_EQ(scratch.set_size, shingles.size());
        }
      }
    }
  }
}

// Tokens normalized with SketchTokenHash's look-alike hashes (what dedup
// normalizes with) give the same signature, set size and shingles as
// folded tokens folded by the sketcher, fused pass and separate passes,
// for every shingle size; sketches that need the folded hashes ask for them.
TEST(SketcherTest, LookalikeTokensGiveTheSameSketches) {
  NormalizeOptions lookalike;
  lookalike.terms = false;
  lookalike.token_hash = TokenHashKind::kLookalike;
  const Normalizer lookalike_normalizer = *Normalizer::Create(lookalike);
  size_t differing_tokens = 0;
  for (int size = 1; size <= 5; ++size) {
    SketchOptions options;
    options.shingle.size = size;
    ASSERT_EQ(SketchTokenHash(options), TokenHashKind::kLookalike);
    const Sketcher sketcher = *Sketcher::Create(options);
    for (const std::string& r : SketchTestTexts()) {
      SCOPED_TRACE(::testing::Message() << "size " << size << " text " << r.substr(0, 40));
      const NormalizedText folded = Normalized(r);
      NormalizedText mapped;
      lookalike_normalizer.Normalize(r, &mapped);
      ASSERT_EQ(mapped.token_hash, TokenHashKind::kLookalike);
      ASSERT_EQ(mapped.tokens.size(), folded.tokens.size());
      for (size_t i = 0; i < folded.tokens.size(); ++i) {
        differing_tokens += mapped.tokens[i].hash != folded.tokens[i].hash;
      }
      for (bool keep_set : {false, true}) {
        std::vector<uint32_t> want(sketcher.num_perm()), got(sketcher.num_perm());
        uint64_t unused = 0;
        Sketcher::Scratch a, b;
        a.keep_set = b.keep_set = keep_set;
        sketcher.Compute(folded, absl::MakeSpan(want), &unused, &a);
        sketcher.Compute(mapped, absl::MakeSpan(got), &unused, &b);
        EXPECT_EQ(got, want);
        EXPECT_EQ(b.set_size, a.set_size);
        EXPECT_EQ(b.shingles, a.shingles);
      }
    }
  }
  EXPECT_GT(differing_tokens, 1000u);  // The hashes themselves did differ.
  for (auto change : {+[](SketchOptions* o) { o->shingle.fold_lookalikes = false; },
                      +[](SketchOptions* o) { o->shingle.kind = ShingleKind::kChar; },
                      +[](SketchOptions* o) { o->kind = SketchKind::kSimHash; }}) {
    SketchOptions options;
    change(&options);
    EXPECT_EQ(SketchTokenHash(options), TokenHashKind::kFolded);
  }
  lookalike.terms = true;  // TF-IDF terms are folded-word hashes.
  EXPECT_EQ(Normalizer::Create(lookalike).status().code(), absl::StatusCode::kInvalidArgument);
}

// Cluster's tokens with their look-alike hashes given (the AVX-512 terms
// tokenizer, NormalizedText::lookalike_hashes) give the sketch the cache
// path gives from the folded tokens: signature, set size and shingles, at
// signature sizes with and without the 8-lane loop (powers of two).
TEST(SketcherTest, GivenLookalikeHashesGiveTheCachePathsSketches) {
  NormalizeOptions given_options;
  given_options.lookalike_hashes = true;
  const Normalizer normalizer = *Normalizer::Create(given_options);
  size_t given_texts = 0;
  int dropped = 0;
  std::vector<std::string> texts = SketchTestTexts();
  // Furniture between two paragraphs: its lines' hashes go with its tokens.
  texts.push_back(
      "Officials said the talks would resume on Monday, in Geneva.\n"
      "Home News Sport Weather Contact Us\nShare Facebook Twitter Email\n"
      "The ministers agreed on a final text for the summit next week, a day early.\n");
  for (int num_perm : {2, 64, 100, 128, 512}) {
    SketchOptions options;
    options.minhash.num_perm = num_perm;
    const Sketcher sketcher = *Sketcher::Create(options);
    for (const std::string& r : texts) {
      SCOPED_TRACE(::testing::Message() << "num_perm " << num_perm << " text " << r.substr(0, 40));
      NormalizedText given;
      normalizer.Normalize(r, &given);
      const bool has = !given.lookalike_hashes.empty();
      ASSERT_EQ(has, internal::CpuHasAvx512() && !given.tokens.empty());
      if (has) {
        ASSERT_EQ(given.lookalike_hashes.size(), given.tokens.size());
      }
      for (size_t i = 0; has && i < given.tokens.size(); ++i) {
        ASSERT_EQ(given.lookalike_hashes[i], LookalikeTokenHash(given.folded_token(i))) << i;
      }
      given_texts += has;
      dropped += has ? given.boilerplate_lines_dropped : 0;
      NormalizedText cached = given;
      cached.lookalike_hashes.clear();
      std::vector<uint32_t> want(num_perm), got(num_perm);
      uint64_t unused = 0;
      Sketcher::Scratch a, b;
      sketcher.Compute(cached, absl::MakeSpan(want), &unused, &a);
      sketcher.Compute(given, absl::MakeSpan(got), &unused, &b);
      EXPECT_EQ(got, want);
      EXPECT_EQ(b.set_size, a.set_size);
      EXPECT_EQ(b.shingles, a.shingles);
    }
  }
  if (given_texts == 0) GTEST_SKIP() << "no AVX-512: no given hashes (compared the cache path)";
  EXPECT_GT(dropped, 0);  // Lines were removed after tokenizing.
}

}  // namespace
}  // namespace storysift
