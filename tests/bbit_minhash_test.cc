#include "storysift/bbit_minhash.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "gtest/gtest.h"
#include "reference/sketch_data.h"
#include "storysift/minhash.h"

namespace storysift {
namespace {

std::vector<uint8_t> Truncate(const std::vector<uint32_t>& sig, int bits) {
  std::vector<uint8_t> row(VerifyRowBytes(bits, static_cast<int>(sig.size())));
  TruncateSignature(sig, bits, absl::MakeSpan(row));
  return row;
}

TEST(BbitMinHashTest, ThirtyTwoBitsIsExactlyTheFullEstimate) {
  MinHasher h = *MinHasher::Create({});
  for (double j : {0.0, 0.2, 0.6, 0.95}) {
    auto [a, b] = testdata::SetPairWithJaccard(j, 400, 77 + int(j * 100));
    std::vector<uint32_t> sa, sb;
    h.Compute(a, &sa);
    h.Compute(b, &sb);
    EXPECT_EQ(EstimateJaccardBbit(Truncate(sa, 32), Truncate(sb, 32), 32),
              EstimateJaccard(sa, sb));
  }
}

TEST(BbitMinHashTest, EmptySetRowMatchesNothingAndOnlyItIsEmpty) {
  const std::vector<uint32_t> empty(128, kEmptySlot);
  std::vector<uint32_t> ones(128, kEmptySlot);
  ones[5] = 0x123400FFu;  // Low byte all ones, but not the empty set.
  for (int bits : {8, 16, 32}) {
    EXPECT_TRUE(IsEmptyVerifyRow(Truncate(empty, bits)));
    EXPECT_EQ(EstimateJaccardBbit(Truncate(empty, bits), Truncate(empty, bits), bits), 0.0);
  }
  EXPECT_FALSE(IsEmptyVerifyRow(Truncate(ones, 8)));
  EXPECT_EQ(EstimateJaccardBbit(Truncate(ones, 8), Truncate(ones, 8), 8), 1.0);
  EXPECT_FALSE(ValidateVerifyBits(12).ok());
  EXPECT_TRUE(ValidateVerifyBits(16).ok());
}

// 2,000 generated pairs with known exact Jaccard (0.1 .. 0.9, 200 .. 2,000
// shingles). The corrected 8-bit estimate differs from the 32-bit one only by
// chance low-bit collisions: per pair about sqrt(k (1 - J) / 256) / k ~ 0.004,
// so the mean difference over 2,000 pairs has a standard deviation ~ 1e-4;
// 5e-4 is 5 sigma. Uncorrected, the bias is 2^-8 (1 - J) ~ 0.002.
TEST(BbitMinHashTest, CorrectedEightBitEstimateIsUnbiasedWithRmseNearFullSignatures) {
  MinHasher h = *MinHasher::Create({});
  constexpr int kPairs = 2000;
  double err32 = 0, sq32 = 0, err8 = 0, sq8 = 0, err16 = 0, sq16 = 0, diff8 = 0, raw8 = 0;
  for (int p = 0; p < kPairs; ++p) {
    const double j = 0.1 + 0.1 * (p % 9);
    const int union_size = 200 + 450 * (p % 5);
    auto [a, b] = testdata::SetPairWithJaccard(j, union_size, 5000 + p);
    const double exact = ExactJaccard(a, b);
    std::vector<uint32_t> sa, sb;
    h.Compute(a, &sa);
    h.Compute(b, &sb);
    const double e32 = EstimateJaccard(sa, sb);
    const double e8 = EstimateJaccardBbit(Truncate(sa, 8), Truncate(sb, 8), 8);
    const double e16 = EstimateJaccardBbit(Truncate(sa, 16), Truncate(sb, 16), 16);
    size_t equal8 = 0;
    for (size_t i = 0; i < sa.size(); ++i) equal8 += (sa[i] & 0xFF) == (sb[i] & 0xFF);
    raw8 += static_cast<double>(equal8) / sa.size() - e32;
    err32 += e32 - exact;
    sq32 += (e32 - exact) * (e32 - exact);
    err8 += e8 - exact;
    sq8 += (e8 - exact) * (e8 - exact);
    err16 += e16 - exact;
    sq16 += (e16 - exact) * (e16 - exact);
    diff8 += e8 - e32;
  }
  const double rmse32 = std::sqrt(sq32 / kPairs), rmse8 = std::sqrt(sq8 / kPairs),
               rmse16 = std::sqrt(sq16 / kPairs);
  std::printf(
      "b=32: mean error %+.5f RMSE %.5f | b=16: %+.5f RMSE %.5f | b=8: %+.5f RMSE %.5f "
      "(mean b8-b32 %+.5f, uncorrected %+.5f)\n",
      err32 / kPairs, rmse32, err16 / kPairs, rmse16, err8 / kPairs, rmse8, diff8 / kPairs,
      raw8 / kPairs);
  EXPECT_LT(std::abs(diff8 / kPairs), 5e-4);
  EXPECT_GT(raw8 / kPairs, 1.5e-3);  // The correction is needed and does its job.
  EXPECT_LT(std::abs(err8 / kPairs), 0.01);
  EXPECT_LE(rmse8, 1.1 * rmse32);
  EXPECT_LE(rmse16, 1.01 * rmse32);
}

}  // namespace
}  // namespace storysift
