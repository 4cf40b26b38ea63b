#include "storysift/sketcher.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/normalize.h"

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

}  // namespace
}  // namespace storysift
