#include "cluster/band_pairs.h"

#include <algorithm>
#include <random>

#include "gtest/gtest.h"
#include "sketch_docs.h"
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
// sets, with band keys as LoadCorpus makes them (Verifier::Encode).
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
  const Verifier verifier = testdata::MakeVerifier(o, k.docs.num_perm);
  k.bands = verifier.bands();
  const size_t n = k.docs.shingles.size(), p = k.docs.num_perm;
  k.keys.resize(n * k.bands.num_bands);
  for (size_t d = 0; d < n; ++d) {
    verifier.Encode(absl::MakeConstSpan(k.docs.minhash).subspan(d * p, p), {},
                    absl::MakeSpan(k.keys).subspan(d * k.bands.num_bands, k.bands.num_bands));
  }
  return k;
}

TEST(BandPairsTest, SameVerifiedPairsAsTheIncrementalIndexForAnyThreadCount) {
  CopyGrouperOptions o;
  const KeyedDocs k = MakeKeyedDocs(o);
  const SketchTable plain = k.docs.Table(false);
  // LshIndex over full signatures.
  auto expected = FindVerifiedPairs(plain, testdata::MakeVerifier(o));
  ASSERT_TRUE(expected.ok());
  ASSERT_GT(expected->size(), 50u);
  SketchTable keyed = plain;
  keyed.band_keys = k.keys;
  keyed.band_params = k.bands;
  for (int threads : {1, 2, 3}) {
    RunContext context;
    context.threads = threads;
    auto got = FindVerifiedPairs(keyed, testdata::MakeVerifier(o), context);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->size(), expected->size()) << threads;
    for (size_t i = 0; i < got->size(); ++i) {
      EXPECT_EQ((*got)[i].a, (*expected)[i].a);
      EXPECT_EQ((*got)[i].b, (*expected)[i].b);
      EXPECT_EQ((*got)[i].similarity, (*expected)[i].similarity);
    }
  }
}

// GroupCopies sorts the keep priority on the caller while the band job's
// pool threads start: the groups are those of the three steps run one after
// another, at any thread count, and a priority error still comes first.
TEST(BandPairsTest, GroupCopiesSortsThePriorityBesideTheBandJob) {
  CopyGrouperOptions o;
  o.keep = KeepPolicy::kLongest;
  const KeyedDocs k = MakeKeyedDocs(o);
  SketchTable keyed = k.docs.Table(false);
  keyed.band_keys = k.keys;
  keyed.band_params = k.bands;
  const size_t n = keyed.num_docs;
  std::vector<DocMeta> meta(n);
  std::mt19937_64 rng(5);
  for (DocMeta& m : meta) m.num_tokens = rng() % 40;  // Many ties: stable order matters.
  const Verifier verifier = testdata::MakeVerifier(o);
  auto priority = PriorityOrder(o.keep, n, meta);
  auto pairs = FindVerifiedPairs(keyed, verifier);
  ASSERT_TRUE(priority.ok() && pairs.ok());
  ASSERT_NE(*priority, PriorityOrder(KeepPolicy::kFirst, n, meta).value());
  const CopyGroups expected = GroupVerifiedPairs(keyed, verifier, *priority, *pairs);
  ASSERT_GT(expected.pairs.size(), 50u);
  size_t copies = 0;
  for (int threads : {1, 2, 3}) {
    RunContext context;
    context.threads = threads;
    auto got = GroupCopies(keyed, meta, verifier, context);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->docs.size(), n);
    for (size_t d = 0; d < n; ++d) {
      EXPECT_EQ(got->docs[d].representative, expected.docs[d].representative) << d;
      EXPECT_EQ(got->docs[d].role, expected.docs[d].role) << d;
      copies += got->docs[d].role == CopyRole::kCopy;
    }
    EXPECT_EQ(got->pairs.size(), expected.pairs.size());
    EXPECT_EQ(got->num_groups, expected.num_groups);
  }
  EXPECT_GT(copies, 0u);
  // Metadata for too few documents: the priority's error, also when the
  // table is rejected too (band keys for one document fewer).
  const std::vector<DocMeta> short_meta(meta.begin(), meta.end() - 1);
  auto no_meta = GroupCopies(keyed, short_meta, verifier);
  ASSERT_FALSE(no_meta.ok());
  EXPECT_NE(no_meta.status().message().find("metadata"), std::string::npos) << no_meta.status();
  SketchTable broken = keyed;
  broken.band_keys = absl::MakeConstSpan(k.keys).subspan(0, k.keys.size() - k.bands.num_bands);
  auto both = GroupCopies(broken, short_meta, verifier);
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("metadata"), std::string::npos) << both.status();
  EXPECT_NE(GroupCopies(broken, meta, verifier).status().message().find("band keys"),
            std::string::npos);
}

}  // namespace
}  // namespace storysift
