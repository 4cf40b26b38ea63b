#include "storysift/minhash.h"

#include <cmath>
#include <cstring>
#include <random>

#include "gtest/gtest.h"
#include "reference/sketch_data.h"
#include "storysift/shingle.h"
#include "xxhash.h"

namespace storysift {
namespace {

constexpr MinHashScheme kSchemes[] = {MinHashScheme::kAffine61,
                                      MinHashScheme::kOnePermutation};

MinHasher Make(MinHashScheme scheme, int k = 128) {
  MinHashOptions o;
  o.scheme = scheme;
  o.num_perm = k;
  return *MinHasher::Create(o);
}

// Per estimate: 3 sigma holds for 99.7% of estimates, so allow a rare miss
// (at most 1% of 100 pairs per scheme) but none beyond 4 sigma; the mean of
// the 10 pairs per setting must be within 3 sigma / sqrt(10) (no bias).
TEST(MinHashTest, EstimatesAreWithinThreeStdDevsOfExactJaccard) {
  for (MinHashScheme scheme : kSchemes) {
    MinHasher h = Make(scheme);
    int beyond_3sd = 0, total = 0;
    for (double j : {0.1, 0.3, 0.5, 0.7, 0.9}) {
      for (int union_size : {60, 1000}) {
        double sum_err = 0;
        constexpr int kPairs = 10;
        for (int p = 0; p < kPairs; ++p) {
          const uint64_t seed = 1000003 * union_size + 1009 * int(j * 10) + p;
          auto [a, b] = testdata::SetPairWithJaccard(j, union_size, seed);
          const double exact = ExactJaccard(a, b);
          std::vector<uint32_t> sa, sb;
          h.Compute(a, &sa);
          h.Compute(b, &sb);
          const double err = EstimateJaccard(sa, sb) - exact;
          const double sd = JaccardStdDev(exact, 128);
          EXPECT_LE(std::abs(err), 4 * sd)
              << "scheme " << int(scheme) << " J " << exact << " n " << union_size;
          beyond_3sd += std::abs(err) > 3 * sd;
          ++total;
          sum_err += err;
        }
        EXPECT_LE(std::abs(sum_err / kPairs), 3 * JaccardStdDev(j, 128) / std::sqrt(kPairs))
            << "scheme " << int(scheme) << " J " << j << " n " << union_size;
      }
    }
    EXPECT_LE(beyond_3sd, total / 100) << "scheme " << int(scheme);
  }
}

// Reference for kAffine61: the same SplitMix64 coefficients, reduced with the
// 128-bit % operator instead of the Mersenne fold.
TEST(MinHashTest, Affine61MatchesExact128BitModularArithmetic) {
  constexpr unsigned __int128 p = (uint64_t{1} << 61) - 1;
  MinHashOptions o;
  o.scheme = MinHashScheme::kAffine61;
  o.num_perm = 100;  // Not a multiple of the 64-slot chunk.
  uint64_t state = o.seed;
  auto next = [&] { return internal::Mix64(state += 0x9E3779B97F4A7C15ull); };
  std::vector<uint64_t> a(o.num_perm), b(o.num_perm);
  for (int i = 0; i < o.num_perm; ++i) {
    do a[i] = next() >> 3; while (a[i] == 0 || a[i] >= p);
    do b[i] = next() >> 3; while (b[i] >= p);
  }
  std::vector<uint64_t> set = {0, 1, p - 1, p, p + 1, ~0ull, 0x123456789abcdefull};
  std::mt19937_64 rng(1);
  for (int i = 0; i < 200; ++i) set.push_back(rng());
  std::vector<uint32_t> sig;
  (*MinHasher::Create(o)).Compute(set, &sig);
  for (int i = 0; i < o.num_perm; ++i) {
    uint64_t min = ~0ull;
    for (uint64_t x : set) {
      unsigned __int128 v = (static_cast<unsigned __int128>(a[i]) * (x % p) + b[i]) % p;
      min = std::min(min, static_cast<uint64_t>(v));
    }
    ASSERT_EQ(sig[i], static_cast<uint32_t>(min)) << "slot " << i;
  }
}

// A changed value here is a format break: bump the scheme id instead.
TEST(MinHashTest, GoldenSignatureOfAFixedTextIsStable) {
  const char* words[] = {"the", "quick", "brown", "fox", "jumps", "over",
                         "the", "lazy", "dog", "again", "and", "again"};
  std::vector<uint64_t> tokens;
  for (const char* w : words) {
    tokens.push_back(XXH3_64bits_withSeed(w, std::strlen(w), kTokenHashSeed));
  }
  std::vector<uint64_t> shingles;
  constexpr int kGoldenShingleSize = 5;  // The goldens were taken with word 5-grams.
  WordShingles(tokens, kGoldenShingleSize, kDefaultShingleSeed, &shingles);
  std::vector<uint32_t> affine, oph;
  Make(MinHashScheme::kAffine61).Compute(shingles, &affine);
  Make(MinHashScheme::kOnePermutation).Compute(shingles, &oph);
  const std::vector<uint32_t> kAffineGolden = {1252020582, 3756383376, 532659227, 1009974281,
                                               2034449604, 3914824698, 2272378725, 1387815445};
  const std::vector<uint32_t> kOphGolden = {1388082272, 2102645008, 570446823, 3966225324,
                                            1443010298, 3966225324, 2102645008, 2102645008};
  EXPECT_EQ(std::vector<uint32_t>(affine.begin(), affine.begin() + 8), kAffineGolden);
  EXPECT_EQ(std::vector<uint32_t>(oph.begin(), oph.begin() + 8), kOphGolden);
}

TEST(MinHashTest, EmptySetIsAllEmptySlotsAndMatchesNothing) {
  for (MinHashScheme scheme : kSchemes) {
    std::vector<uint32_t> empty, other;
    MinHasher h = Make(scheme, 64);
    h.Compute({}, &empty);
    EXPECT_TRUE(IsEmptySignature(empty));
    EXPECT_EQ(EstimateJaccard(empty, empty), 0.0);
    std::vector<uint64_t> one = {42};
    h.Compute(one, &other);
    EXPECT_FALSE(IsEmptySignature(other));
    EXPECT_EQ(EstimateJaccard(empty, other), 0.0);
    EXPECT_EQ(EstimateJaccard(other, other), 1.0);
  }
}

TEST(MinHashTest, SignatureIgnoresOrderAndDuplicates) {
  for (MinHashScheme scheme : kSchemes) {
    MinHasher h = Make(scheme);
    std::vector<uint64_t> a = {5, 1, 9, 1, 5, 300}, b = {1, 5, 9, 300};
    std::vector<uint32_t> sa, sb;
    h.Compute(a, &sa);
    h.Compute(b, &sb);
    EXPECT_EQ(sa, sb);
  }
}

TEST(MinHashTest, CreateRejectsBadNumPerm) {
  MinHashOptions o;
  o.num_perm = 0;
  EXPECT_EQ(MinHasher::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
  o.num_perm = kMaxNumPerm + 1;
  EXPECT_EQ(MinHasher::Create(o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(MinHashTest, ExactJaccardCountsIntersectionOverUnion) {
  std::vector<uint64_t> a = {1, 2, 3, 4}, b = {3, 4, 5};
  EXPECT_DOUBLE_EQ(ExactJaccard(a, b), 2.0 / 5.0);
  EXPECT_EQ(ExactJaccard({}, {}), 0.0);
}

}  // namespace
}  // namespace storysift
