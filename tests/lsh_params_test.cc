#include "storysift/lsh_params.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "gtest/gtest.h"

namespace storysift {
namespace {

TEST(LshParamsTest, AreasOfTheIdentityCurveAreTriangles) {
  // b = r = 1: P(s) = s.
  LshParams p{1, 1};
  EXPECT_NEAR(LshFalsePositiveArea(0.8, p), 0.8 * 0.8 / 2, 1e-9);
  EXPECT_NEAR(LshFalseNegativeArea(0.8, p), 0.2 * 0.2 / 2, 1e-9);
  EXPECT_NEAR(LshCandidateProbability(0.5, {2, 3}), 1 - (1 - 0.125) * (1 - 0.125), 1e-12);
}

TEST(LshParamsTest, OptimumMinimisesWeightedErrorOverAllBandings) {
  for (double t : {0.5, 0.8, 0.9}) {
    auto best = OptimalLshParams(t, 128);
    ASSERT_TRUE(best.ok()) << best.status();
    ASSERT_LE(best->num_bands * best->rows_per_band, 128);
    auto error = [t](LshParams p) {
      return 0.5 * LshFalsePositiveArea(t, p) + 0.5 * LshFalseNegativeArea(t, p);
    };
    const double best_error = error(*best);
    for (int b = 1; b <= 128; ++b) {
      for (int r = 1; b * r <= 128; ++r) EXPECT_GE(error({b, r}), best_error);
    }
    // The S-curve's steep part sits near the threshold.
    EXPECT_LT(LshCandidateProbability(t - 0.15, *best), 0.5) << t;
    EXPECT_GT(LshCandidateProbability(std::min(t + 0.1, 0.99), *best), 0.5) << t;
  }
}

// The search skips bandings that cannot win; it must pick exactly what the
// exhaustive search in (b, r) order picks, ties included, for any weights.
TEST(LshParamsTest, OptimumIsTheExhaustiveSearchsChoice) {
  // Weight 0 on either side, and thresholds near 0 and 1, make areas round
  // to 0 and so ties; 128 slots with 32 bands is the dedup default.
  const std::pair<int, int> kSizes[] = {{16, 0}, {16, 8}, {64, 0}, {64, 8}, {128, 32}};
  for (const auto& [num_perm, max_bands] : kSizes) {
    for (double t : {0.05, 0.5, 0.62, 0.99}) {
      for (double fp : {0.0, 0.1, 0.5, 1.0}) {
        const double fn = fp == 0.0 ? 1.0 : 1.0 - fp;
        LshParams expected;
        double expected_error = INFINITY;
        const int bands = max_bands > 0 ? std::min(max_bands, num_perm) : num_perm;
        for (int b = 1; b <= bands; ++b) {
          for (int r = 1; b * r <= num_perm; ++r) {
            const double err = fp * LshFalsePositiveArea(t, {b, r}) +
                               fn * LshFalseNegativeArea(t, {b, r});
            if (err < expected_error) {
              expected_error = err;
              expected = {b, r};
            }
          }
        }
        auto best = OptimalLshParams(t, num_perm, fp, fn, max_bands);
        ASSERT_TRUE(best.ok()) << best.status();
        EXPECT_EQ(best->num_bands, expected.num_bands) << num_perm << " " << t << " " << fp;
        EXPECT_EQ(best->rows_per_band, expected.rows_per_band) << num_perm << " " << t;
        // Asked again (the remembered answer), the same.
        auto again = OptimalLshParams(t, num_perm, fp, fn, max_bands);
        EXPECT_EQ(again->num_bands, best->num_bands);
        EXPECT_EQ(again->rows_per_band, best->rows_per_band);
      }
    }
  }
}

TEST(LshParamsTest, WeightingFalseNegativesBuysRecall) {
  auto even = *OptimalLshParams(0.8, 128, 0.5, 0.5);
  auto recall = *OptimalLshParams(0.8, 128, 0.1, 0.9);
  EXPECT_GT(LshCandidateProbability(0.8, recall), LshCandidateProbability(0.8, even));
}

TEST(LshParamsTest, RejectsBandingLargerThanNumPerm) {
  absl::Status s = ValidateLshParams({20, 7}, 128);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("140"), std::string::npos) << s;
  EXPECT_TRUE(ValidateLshParams({16, 8}, 128).ok());
  EXPECT_EQ(ValidateLshParams({0, 8}, 128).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OptimalLshParams(1.0, 128).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OptimalLshParams(0.8, 0).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace storysift
