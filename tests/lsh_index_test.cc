#include "storysift/lsh_index.h"

#include <random>

#include "gtest/gtest.h"
#include "reference/sketch_data.h"
#include "storysift/minhash.h"

namespace storysift {
namespace {

LshIndex MakeIndex(LshParams p = {16, 8}) {
  LshIndexOptions o;
  o.params = p;
  auto index = LshIndex::Create(o);
  EXPECT_TRUE(index.ok()) << index.status();
  return std::move(index).value();
}

std::vector<uint32_t> RandomSig(std::mt19937_64& rng) {
  std::vector<uint32_t> s(128);
  for (auto& v : s) v = static_cast<uint32_t>(rng());
  return s;
}

TEST(LshIndexTest, QueryFindsSharedBandsSortedAndUnique) {
  LshIndex index = MakeIndex();
  std::mt19937_64 rng(1);
  std::vector<uint32_t> a = RandomSig(rng), b = RandomSig(rng), c = a;
  for (int i = 8; i < 128; ++i) c[i] ^= 1;  // Shares band 0 only.
  ASSERT_TRUE(index.Add(7, {a}).ok());
  ASSERT_TRUE(index.Add(3, {b}).ok());
  ASSERT_TRUE(index.Add(5, {a}).ok());
  std::vector<DocOrdinal> out;
  ASSERT_TRUE(index.Query({c}, &out).ok());
  EXPECT_EQ(out, (std::vector<DocOrdinal>{5, 7}));
  ASSERT_TRUE(index.Query({b}, &out).ok());
  EXPECT_EQ(out, (std::vector<DocOrdinal>{3}));
  EXPECT_EQ(index.size(), 3u);
}

TEST(LshIndexTest, RemovedDocumentIsNoLongerACandidate) {
  LshIndex index = MakeIndex();
  std::mt19937_64 rng(2);
  std::vector<uint32_t> a = RandomSig(rng), other = RandomSig(rng);
  ASSERT_TRUE(index.Add(1, {a}).ok());
  ASSERT_TRUE(index.Add(2, {a}).ok());
  ASSERT_TRUE(index.Add(3, {a}).ok());
  EXPECT_EQ(index.Remove(2, {other}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Remove(9, {a}).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(index.Remove(1, {a}).ok());
  std::vector<DocOrdinal> out;
  ASSERT_TRUE(index.Query({a}, &out).ok());
  EXPECT_EQ(out, (std::vector<DocOrdinal>{2, 3}));
  ASSERT_TRUE(index.Remove(3, {a}).ok());
  ASSERT_TRUE(index.Remove(2, {a}).ok());
  ASSERT_TRUE(index.Query({a}, &out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(index.size(), 0u);
  ASSERT_TRUE(index.Add(1, {a}).ok());  // Ordinal can come back.
}

TEST(LshIndexTest, RejectsDuplicateOrdinalAndWrongLength) {
  LshIndex index = MakeIndex();
  std::vector<uint32_t> a(128, 1), short_sig(64, 1);
  ASSERT_TRUE(index.Add(1, {a}).ok());
  EXPECT_EQ(index.Add(1, {a}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Add(2, {short_sig}).code(), absl::StatusCode::kInvalidArgument);
  std::vector<DocOrdinal> out;
  EXPECT_EQ(index.Query({short_sig}, &out).code(), absl::StatusCode::kInvalidArgument);
  LshIndexOptions bad;
  bad.params = {20, 7};
  EXPECT_EQ(LshIndex::Create(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LshIndexTest, EmptySignaturesNeverPair) {
  LshIndex index = MakeIndex();
  std::vector<uint32_t> empty(128, kEmptySlot);
  ASSERT_TRUE(index.Add(1, {empty}).ok());
  std::vector<DocOrdinal> out;
  ASSERT_TRUE(index.Query({empty}, &out).ok());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(index.size(), 1u);
  EXPECT_TRUE(index.Remove(1, {empty}).ok());
}

// Recall over 2000 pairs at each similarity follows the S-curve
// 1 - (1 - s^r)^b within 4 points (binomial sd is about 1 point).
TEST(LshIndexTest, RecallFollowsTheSCurve) {
  for (MinHashScheme scheme : {MinHashScheme::kAffine61, MinHashScheme::kOnePermutation}) {
    MinHashOptions mo;
    mo.scheme = scheme;
    MinHasher hasher = *MinHasher::Create(mo);
    LshIndexOptions lo;
    lo.threshold = 0.8;
    LshIndex index = *LshIndex::Create(lo);
    for (double s : {0.6, 0.7, 0.8, 0.9}) {
      constexpr int kPairs = 2000;
      int found = 0;
      std::vector<uint32_t> sa, sb;
      std::vector<DocOrdinal> out;
      for (int p = 0; p < kPairs; ++p) {
        auto [a, b] = testdata::SetPairWithJaccard(s, 80, 7919 * p + int(s * 100));
        hasher.Compute(a, &sa);
        hasher.Compute(b, &sb);
        const DocOrdinal id = p + static_cast<DocOrdinal>(s * 10) * kPairs;
        ASSERT_TRUE(index.Add(id, {sa}).ok());
        ASSERT_TRUE(index.Query({sb}, &out).ok());
        found += std::binary_search(out.begin(), out.end(), id);
        ASSERT_TRUE(index.Remove(id, {sa}).ok());
      }
      const double recall = static_cast<double>(found) / kPairs;
      EXPECT_NEAR(recall, LshCandidateProbability(s, index.params()), 0.04)
          << "scheme " << int(scheme) << " s " << s << " b " << index.num_bands()
          << " r " << index.rows_per_band();
    }
  }
}

TEST(LshIndexTest, MemoryPerDocumentIsWellUnderOneKilobyte) {
  LshIndexOptions lo;
  lo.threshold = 0.8;
  LshIndex index = *LshIndex::Create(lo);
  std::mt19937_64 rng(4);
  constexpr int kDocs = 20000;
  for (int d = 0; d < kDocs; ++d) ASSERT_TRUE(index.Add(d, {RandomSig(rng)}).ok());
  const double per_doc = static_cast<double>(index.MemoryUsage()) / kDocs;
  RecordProperty("bytes_per_doc", std::to_string(per_doc));
  EXPECT_LT(per_doc, 512.0);
  EXPECT_GT(per_doc, 16.0 * index.num_bands());  // At least key + bucket per band.
}

}  // namespace
}  // namespace storysift
