#include "storysift/copy_grouper.h"

#include <cstdio>
#include <random>

#include "absl/container/flat_hash_set.h"

#include "gtest/gtest.h"
#include "reference/brute_force.h"
#include "reference/sketch_data.h"
#include "sketch_docs.h"
#include "storysift/minhash.h"
#include "storysift/shingle.h"

namespace storysift {
namespace {

using Docs = testdata::SketchDocs;
using testdata::Range;

MinHasher Hasher() { return *MinHasher::Create(MinHashOptions{}); }

// A = [0,100), B = [10,110), C = [20,120): J(A,B) = J(B,C) = 0.82,
// J(A,C) = 0.67; threshold 0.75.
TEST(CopyGrouperTest, NonChainingKeepsAChainApartButComponentsMergeIt) {
  Docs docs;
  MinHasher h = Hasher();
  docs.Add(Range(0, 100), h);
  docs.Add(Range(10, 110), h);
  docs.Add(Range(20, 120), h);
  CopyGrouperOptions o;
  o.jaccard_threshold = 0.75;
  o.lsh = {32, 4};  // Candidates all three pairs with near certainty.
  o.keep = KeepPolicy::kFirst;
  auto groups = GroupCopies(docs.Table(true), {}, testdata::MakeVerifier(o));
  ASSERT_TRUE(groups.ok()) << groups.status();
  ASSERT_EQ(groups->pairs.size(), 2u);  // A-B and B-C verified, A-C not.
  EXPECT_EQ(groups->docs[1].representative, 0u);
  EXPECT_EQ(groups->docs[1].role, CopyRole::kCopy);
  EXPECT_EQ(groups->docs[2].representative, 2u);  // Not chained to A.
  EXPECT_EQ(groups->docs[2].role, CopyRole::kUnique);
  EXPECT_EQ(groups->docs[0].role, CopyRole::kOriginal);
  EXPECT_EQ(groups->largest_group, 2u);

  o.mode = GroupingMode::kConnectedComponents;
  groups = GroupCopies(docs.Table(true), {}, testdata::MakeVerifier(o));
  ASSERT_TRUE(groups.ok());
  EXPECT_EQ(groups->docs[2].representative, 0u);
  EXPECT_NEAR(groups->docs[2].similarity, 80.0 / 120.0, 1e-9);  // Below threshold.
  EXPECT_EQ(groups->largest_group, 3u);
}

TEST(CopyGrouperTest, KeepPoliciesChooseTheRepresentative) {
  Docs docs;
  MinHasher h = Hasher();
  for (int i = 0; i < 4; ++i) docs.Add(Range(0, 50 + i), h);  // All J >= 0.94.
  std::vector<DocMeta> meta(4);
  meta[0].published = 300;
  meta[2].published = 100;  // Earliest.
  meta[3].published = 200;  // meta[1] is undated: last.
  for (int i = 0; i < 4; ++i) meta[i].num_tokens = 50 + i;
  CopyGrouperOptions o;
  o.keep = KeepPolicy::kEarliest;
  auto g = GroupCopies(docs.Table(true), meta, testdata::MakeVerifier(o));
  ASSERT_TRUE(g.ok()) << g.status();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(g->docs[i].representative, 2u) << i;
  EXPECT_EQ(*PriorityOrder(KeepPolicy::kEarliest, 4, meta),
            (std::vector<DocOrdinal>{2, 3, 0, 1}));
  o.keep = KeepPolicy::kLongest;
  g = GroupCopies(docs.Table(true), meta, testdata::MakeVerifier(o));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->docs[0].representative, 3u);
  o.keep = KeepPolicy::kFirst;
  g = GroupCopies(docs.Table(true), {}, testdata::MakeVerifier(o));
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->docs[3].representative, 0u);
  EXPECT_EQ(g->num_groups, 1u);
  o.keep = KeepPolicy::kEarliest;
  EXPECT_EQ(GroupCopies(docs.Table(true), {}, testdata::MakeVerifier(o)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CopyGrouperTest, SimHashGroupingUsesHammingDistance) {
  std::vector<uint64_t> fps = {0xFFFF0000FFFF0000ull, 0xFFFF0000FFFF0007ull,
                               0x0123456789ABCDEFull, 0xFFFF0000FFFF000Full};
  SketchTable t;
  t.num_docs = fps.size();
  t.simhash = fps;
  CopyGrouperOptions o;
  o.keep = KeepPolicy::kFirst;
  auto g = GroupCopies(t, {}, testdata::MakeVerifier(o, 0, SketchKind::kSimHash));
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ(g->docs[1].representative, 0u);
  EXPECT_DOUBLE_EQ(g->docs[1].similarity, 1.0 - 3 / 64.0);
  EXPECT_EQ(g->docs[2].role, CopyRole::kUnique);
  // Distance 4 to doc 0, 1 to doc 1 (a copy): non-chaining keeps it apart.
  EXPECT_EQ(g->docs[3].representative, 3u);
  EXPECT_EQ(g->pairs.size(), 2u);  // 0-1 and 1-3.
}

// Reuters-21578 with word 5-shingles, one-permutation MinHash 128, LSH at
// 0.8 and estimated-Jaccard verification at 0.8, against the exhaustive gold
// pairs. Measured with the placeholder ASCII normalizer: 474 verified pairs;
// recall of gold pairs with J >= 0.9 1.000 (423 pairs), with J >= 0.8 0.949
// (493); precision (verified pairs with gold J >= 0.7) 1.000. Bounds sit a
// little under these.
TEST(CopyGrouperTest, ReutersRecallOfGoldNearDuplicates) {
  const testdata::Corpus& corpus = testdata::Reuters();
  const std::vector<testdata::GoldPair> gold = testdata::ReutersGoldPairs();
  if (corpus.texts.empty() || gold.empty()) GTEST_SKIP() << "Reuters data absent";
  MinHasher h = Hasher();
  Docs docs;
  docs.shingles.reserve(corpus.texts.size());
  std::vector<uint64_t> shingles;
  for (const std::string& text : corpus.texts) {
    WordShingles(testdata::TokenHashes(text), 5, kDefaultShingleSeed, &shingles);
    docs.Add(shingles, h);
  }
  CopyGrouperOptions o;
  o.jaccard_threshold = 0.8;
  auto pairs = FindVerifiedPairs(docs.Table(false), testdata::MakeVerifier(o));
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  auto key = [](uint32_t a, uint32_t b) { return uint64_t{a} << 32 | b; };
  absl::flat_hash_map<uint64_t, double> gold_j;
  for (const auto& g : gold) gold_j[key(g.a, g.b)] = g.jaccard;
  absl::flat_hash_set<uint64_t> found;
  for (const VerifiedPair& p : *pairs) found.insert(key(p.a, p.b));
  int gold09 = 0, hit09 = 0, gold08 = 0, hit08 = 0;
  for (const auto& g : gold) {
    const bool hit = found.contains(key(g.a, g.b));
    if (g.jaccard >= 0.9) gold09++, hit09 += hit;
    if (g.jaccard >= 0.8) gold08++, hit08 += hit;
  }
  int precise = 0;
  for (const VerifiedPair& p : *pairs) {
    auto it = gold_j.find(key(p.a, p.b));
    precise += it != gold_j.end() && it->second >= 0.7;
  }
  const double recall09 = double(hit09) / gold09, recall08 = double(hit08) / gold08;
  const double precision = pairs->empty() ? 1.0 : double(precise) / pairs->size();
  std::printf("Reuters: %zu verified pairs; recall J>=0.9 %.3f (%d), J>=0.8 %.3f (%d); "
              "precision (gold J>=0.7) %.3f\n",
              pairs->size(), recall09, gold09, recall08, gold08, precision);
  EXPECT_GE(recall09, 0.98);
  EXPECT_GE(recall08, 0.92);
  EXPECT_GE(precision, 0.97);
}

}  // namespace
}  // namespace storysift
