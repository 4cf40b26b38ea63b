#include "cluster/band_pairs.h"

#include <algorithm>
#include <random>

#include "gtest/gtest.h"
#include "sketch_docs.h"
#include "storysift/lsh_index.h"
#include "storysift/minhash.h"

namespace storysift {
namespace {

TEST(BandPairsTest, RadixSortIsStableByKey) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> v;
  for (uint32_t ord = 0; ord < 5000; ++ord) {
    const uint64_t key = rng() % 300 * 0x01010101u;  // Keys differ in every byte.
    v.push_back(key << 32 | ord);
  }
  std::vector<uint64_t> expected = v;
  std::stable_sort(expected.begin(), expected.end(),
                   [](uint64_t a, uint64_t b) { return (a >> 32) < (b >> 32); });
  std::vector<uint64_t> scratch;
  internal::SortByBandKey(&v, &scratch);
  EXPECT_EQ(v, expected);
}

// Families of near copies (some exact), unrelated documents and two empty
// sets, with band keys as LoadCorpus makes them.
struct KeyedDocs {
  testdata::SketchDocs docs;
  std::vector<uint32_t> keys;
  LshParams bands;
};

KeyedDocs MakeKeyedDocs(const CopyGrouperOptions& o) {
  KeyedDocs k;
  std::mt19937_64 rng(11);
  for (int family = 0; family < 80; ++family) {
    std::vector<uint64_t> base;
    for (int i = 0; i < 150; ++i) base.push_back(rng());
    const int copies = 1 + rng() % 5;
    for (int c = 0; c < copies; ++c) {
      std::vector<uint64_t> v = base;
      if (c % 2 == 1) {
        for (int e = 0; e < static_cast<int>(rng() % 60); ++e) v[rng() % v.size()] = rng();
      }
      if (c == 3) v.resize(v.size() / 2);  // A truncated copy (containment).
      k.docs.Add(v);
    }
    if (family % 30 == 0) k.docs.Add({});
  }
  k.docs.sized = true;
  k.bands = *ResolveLshParams(o, k.docs.num_perm);
  LshIndexOptions lo;
  lo.num_perm = k.docs.num_perm;
  lo.params = k.bands;
  lo.short_keys = true;
  const LshIndex keyer = *LshIndex::Create(lo);
  const size_t n = k.docs.shingles.size(), p = k.docs.num_perm;
  k.keys.resize(n * k.bands.num_bands);
  for (size_t d = 0; d < n; ++d) {
    keyer.ComputeBandKeys(absl::MakeConstSpan(k.docs.minhash).subspan(d * p, p),
                          absl::MakeSpan(k.keys).subspan(d * k.bands.num_bands,
                                                         k.bands.num_bands));
  }
  return k;
}

TEST(BandPairsTest, SameVerifiedPairsAsTheIncrementalIndexForAnyThreadCount) {
  CopyGrouperOptions o;
  const KeyedDocs k = MakeKeyedDocs(o);
  const SketchTable plain = k.docs.Table(false);
  auto expected = FindVerifiedPairs(plain, o);  // LshIndex over full signatures.
  ASSERT_TRUE(expected.ok());
  ASSERT_GT(expected->size(), 50u);
  SketchTable keyed = plain;
  keyed.band_keys = k.keys;
  keyed.band_params = k.bands;
  for (int threads : {1, 2, 3}) {
    RunContext context;
    context.threads = threads;
    auto got = FindVerifiedPairs(keyed, o, context);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->size(), expected->size()) << threads;
    for (size_t i = 0; i < got->size(); ++i) {
      EXPECT_EQ((*got)[i].a, (*expected)[i].a);
      EXPECT_EQ((*got)[i].b, (*expected)[i].b);
      EXPECT_EQ((*got)[i].similarity, (*expected)[i].similarity);
    }
  }
}

}  // namespace
}  // namespace storysift
