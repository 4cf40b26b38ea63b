#include "storysift/simhash_index.h"

#include <random>

#include "gtest/gtest.h"
#include "reference/brute_force.h"

namespace storysift {
namespace {

// 5,000 fingerprints, a fifth of them planted at distance 0..5 from another.
std::vector<uint64_t> PlantedFingerprints(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> fps;
  while (fps.size() < 5000) {
    if (fps.size() > 10 && rng() % 5 == 0) {
      uint64_t f = fps[rng() % fps.size()];
      const int flips = rng() % 6;
      for (int i = 0; i < flips; ++i) f ^= uint64_t{1} << (rng() % 64);
      fps.push_back(f);
    } else {
      fps.push_back(rng());
    }
  }
  return fps;
}

TEST(SimHashIndexTest, QueryEqualsBruteForceOnPlantedNeighbours) {
  const std::vector<uint64_t> fps = PlantedFingerprints(11);
  for (int blocks : {0, 6}) {
    for (int k : {0, 3}) {
      SimHashIndexOptions o;
      o.max_distance = k;
      o.num_blocks = blocks > k ? blocks : 0;
      auto index = SimHashIndex::Create(o);
      ASSERT_TRUE(index.ok()) << index.status();
      for (DocOrdinal d = 0; d < fps.size(); ++d) ASSERT_TRUE(index->Add(d, {{}, fps[d]}).ok());
      std::vector<DocOrdinal> out;
      size_t total = 0;
      for (DocOrdinal d = 0; d < fps.size(); ++d) {
        ASSERT_TRUE(index->Query({{}, fps[d]}, &out).ok());
        ASSERT_EQ(out, reference::HammingNeighbours(fps, fps[d], k)) << d;
        total += out.size();
      }
      EXPECT_GT(total, fps.size() + (k == 0 ? 200 : 1000));  // Planted pairs found.
    }
  }
}

TEST(SimHashIndexTest, RemoveDropsTheDocumentAndChecksItsFingerprint) {
  auto index = *SimHashIndex::Create({});
  ASSERT_TRUE(index.Add(4, {{}, 0xF0F0}).ok());
  ASSERT_TRUE(index.Add(9, {{}, 0xF0F1}).ok());
  EXPECT_EQ(index.Add(4, {{}, 1}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Remove(4, {{}, 0x1234}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Remove(5, {{}, 0xF0F0}).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(index.Remove(4, {{}, 0xF0F0}).ok());
  std::vector<DocOrdinal> out;
  ASSERT_TRUE(index.Query({{}, 0xF0F0}, &out).ok());
  EXPECT_EQ(out, std::vector<DocOrdinal>{9});
  EXPECT_EQ(index.size(), 1u);
  EXPECT_GT(index.MemoryUsage(), 0u);
}

TEST(SimHashIndexTest, CreateRejectsTooFewBlocks) {
  EXPECT_EQ(SimHashIndex::Create({3, 3}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SimHashIndex::Create({17, 0}).status().code(), absl::StatusCode::kInvalidArgument);
  // 16 would need 17 blocks: refused as a distance past kMaxSimHashDistance.
  const absl::Status too_wide = SimHashIndex::Create({16, 0}).status();
  EXPECT_EQ(too_wide.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(too_wide.message(), "SimHash max_distance = 16 is outside [0, 15]");
  auto index = SimHashIndex::Create({3, 0});
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->num_tables(), 4);
  auto widest = SimHashIndex::Create({kMaxSimHashDistance, 0});
  ASSERT_TRUE(widest.ok()) << widest.status();
  EXPECT_EQ(widest->num_tables(), kMaxSimHashBlocks);
}

}  // namespace
}  // namespace storysift
