// The AVX-512 kernels of dedup's path against the scalar code they replace
// (skipped on CPUs without AVX-512): the eight-lane token hash of a block's
// words against PaddedTokenHash at every word length 1-32 and every start
// in the block, and the eight-shingle OPH loop against WordShingleHash3 +
// AddToBinsByShift; and the bucketed distinct count against a sort.
#include <algorithm>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sketch/count_distinct.h"
#include "sketch/sketch_kernels.h"
#include "sketch/word3_bins_avx512.h"
#include "storysift/shingle.h"
#include "text/block_hash_avx512.h"
#include "text/cpu_features.h"
#include "text/token_hash.h"

namespace storysift::internal {
namespace {

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
__attribute__((target(STORYSIFT_AVX512_TARGET))) void HashBlockWords(const char* block,
                                                                     uint64_t starts,
                                                                     uint64_t ends, size_t count,
                                                                     uint64_t* hashes) {
  BlockHashes lanes;
  HashBlockWordsAvx512(block, starts, ends, count, &lanes);
  for (size_t k = 0; k < count; ++k) hashes[k] = lanes.hash[lanes.slot[k]];
}

// A 64-byte block (and the scan's slack after it) of random bytes, word
// bytes or not: the hash may only read the word's own bytes.
std::string RandomBlock(std::mt19937_64& rng) {
  std::string block(64 + 16, '\0');
  for (char& c : block) c = static_cast<char>(rng());
  return block;
}

// The lane hash of each word of `block` (at, length), listed by start and
// end bits, against PaddedTokenHash; words longer than the lanes take are
// the scalar path's and are skipped.
::testing::AssertionResult LaneHashesMatch(const std::string& block,
                                           const std::vector<std::pair<size_t, size_t>>& words,
                                           uint64_t starts, uint64_t ends) {
  uint64_t hashes[kMaxBlockWords];
  HashBlockWords(block.data(), starts, ends, words.size(), hashes);
  for (size_t k = 0; k < words.size(); ++k) {
    const auto [at, len] = words[k];
    if (len > kMaxLaneWordBytes) continue;
    if (hashes[k] != PaddedTokenHash(block.data() + at, len)) {
      return ::testing::AssertionFailure() << "word " << k << " at " << at << " length " << len;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(Avx512KernelsTest, BlockWordHashesEqualPaddedTokenHashAtEveryLengthAndStart) {
  if (!CpuHasAvx512()) GTEST_SKIP() << "no AVX-512 on this CPU";
  std::mt19937_64 rng(12);
  for (size_t len = 1; len <= 32; ++len) {
    for (size_t start = 0; start + len < 64; ++start) {  // A separator follows the word.
      const std::string block = RandomBlock(rng);
      uint64_t hashes[kMaxBlockWords];
      HashBlockWords(block.data(), uint64_t{1} << start, uint64_t{1} << (start + len), 1,
                     hashes);
      if (len <= kMaxLaneWordBytes) {
        ASSERT_EQ(hashes[0], PaddedTokenHash(block.data() + start, len))
            << "length " << len << " start " << start;
      }
      ASSERT_EQ(PaddedTokenHash(block.data() + start, len),
                XXH3_64bits_withSeed(block.data() + start, len, kTokenHashSeed));
    }
  }
}

// Blocks full of words of random lengths (up to 32 a block: one-byte words
// with one-byte gaps), every lane of every batch used.
TEST(Avx512KernelsTest, BlockWordHashesOfManyWordsEqualPaddedTokenHash) {
  if (!CpuHasAvx512()) GTEST_SKIP() << "no AVX-512 on this CPU";
  std::mt19937_64 rng(13);
  for (int round = 0; round < 2000; ++round) {
    const std::string block = RandomBlock(rng);
    const size_t max_len = round % 2 == 0 ? 1 : 1 + rng() % 17;
    std::vector<std::pair<size_t, size_t>> words;
    uint64_t starts = 0, ends = 0;
    for (size_t at = rng() % 2; at < 63;) {
      const size_t len = std::min<size_t>(1 + rng() % max_len, 63 - at);
      words.push_back({at, len});
      starts |= uint64_t{1} << at;
      ends |= uint64_t{1} << (at + len);
      at += len + 1 + (round % 3 == 0 ? 0 : rng() % 3);
    }
    ASSERT_LE(words.size(), kMaxBlockWords);
    ASSERT_TRUE(LaneHashesMatch(block, words, starts, ends)) << "round " << round;
  }
}

// Blocks whose words all take one XXH3 form (1-3, 4-8 or 9-16 bytes), as
// many as fit (up to 32, 12 and 6), some with a longer word among them:
// each form's batches fill every lane, and the slots keep the word order.
TEST(Avx512KernelsTest, BlockWordHashesOfOneFormFillEveryBatch) {
  if (!CpuHasAvx512()) GTEST_SKIP() << "no AVX-512 on this CPU";
  std::mt19937_64 rng(15);
  const std::pair<size_t, size_t> forms[] = {{1, 3}, {4, 8}, {9, 16}};
  for (const auto& [min_len, max_len] : forms) {
    for (int round = 0; round < 500; ++round) {
      const std::string block = RandomBlock(rng);
      std::vector<std::pair<size_t, size_t>> words;
      uint64_t starts = 0, ends = 0;
      const size_t odd_one = rng() % 12;  // A word of another length, now and then.
      for (size_t at = 0; at < 63;) {
        size_t len = min_len + rng() % (max_len - min_len + 1);
        if (round % 2 == 1 && words.size() == odd_one) len = 1 + rng() % 20;
        len = std::min(len, 63 - at);
        words.push_back({at, len});
        starts |= uint64_t{1} << at;
        ends |= uint64_t{1} << (at + len);
        at += len + 1;
      }
      ASSERT_TRUE(LaneHashesMatch(block, words, starts, ends))
          << "lengths " << min_len << "-" << max_len << " round " << round;
    }
  }
}

TEST(Avx512KernelsTest, ShingleBinsEqualTheScalarLoop) {
  if (!CpuHasAvx512()) GTEST_SKIP() << "no AVX-512 on this CPU";
  std::mt19937_64 rng(14);
  for (size_t n = 3; n < 300; n += 1 + n / 8) {
    std::vector<Token> tokens(n);
    for (Token& t : tokens) t.hash = rng() % 4 == 0 ? rng() % 8 : rng();  // Repeats too.
    for (const int shift : {57, 64 - 9}) {
      std::vector<uint64_t> want_bins(512, kUnsetBin), got_bins(512, kUnsetBin);
      std::vector<uint64_t> want(n - 2), got(n - 2, 0);
      for (size_t i = 2; i < n; ++i) {
        want[i - 2] = WordShingleHash3(tokens[i - 2].hash, tokens[i - 1].hash, tokens[i].hash,
                                       kDefaultShingleSeed);
        AddToBinsByShift(want[i - 2], 0x1234, shift, want_bins.data());
      }
      const size_t done = HashedTokensToBinsAvx512(tokens.data(), n, kDefaultShingleSeed, 0x1234,
                                                   shift, got_bins.data(), got.data());
      ASSERT_EQ(done % 8, 0u);
      ASSERT_EQ(done, n < 16 ? 0 : (n - 8) / 8 * 8) << n;
      for (size_t i = done + 2; i < n; ++i) {  // The scalar loop's part.
        got[i - 2] = WordShingleHash3(tokens[i - 2].hash, tokens[i - 1].hash, tokens[i].hash,
                                      kDefaultShingleSeed);
        AddToBinsByShift(got[i - 2], 0x1234, shift, got_bins.data());
      }
      ASSERT_EQ(got, want) << n;
      ASSERT_EQ(got_bins, want_bins) << n;
    }
  }
}
size_t SortedDistinct(std::vector<uint64_t> values) {
  std::sort(values.begin(), values.end());
  return static_cast<size_t>(std::unique(values.begin(), values.end()) - values.begin());
}

TEST(Avx512KernelsTest, BucketedAndTableDistinctCountsEqualASort) {
  if (!CpuHasAvx512()) GTEST_SKIP() << "no AVX-512 on this CPU";
  std::mt19937_64 rng(15);
  std::vector<uint64_t> table;  // Kept across calls, as the sketcher keeps it.
  for (size_t n : {0, 1, 2, 3, 15, 16, 17, 100, 600, 601, 5000, 40000}) {
    for (int repeats : {0, 1, 2}) {  // None, some (a boilerplate run), many.
      std::vector<uint64_t> values(n);
      for (uint64_t& v : values) {
        v = repeats == 0 ? rng() : rng() % (repeats == 1 ? 4 * n + 1 : n / 3 + 1) * 0x9E3779B97F4A7C15ull;
      }
      if (n > 3) values[n / 2] = 0;  // Zero is a value like any other.
      EXPECT_EQ(CountDistinctAvx512(values, &table), SortedDistinct(values))
          << n << " repeats " << repeats;
      EXPECT_EQ(CountDistinctTable(values, &table), SortedDistinct(values)) << n;
      EXPECT_EQ(CountDistinct(values, &table), SortedDistinct(values)) << n;
    }
  }
}

// Values whose top bits are all ones share the last bucket; past its eight
// slots they go on into the first buckets, where values of their own (top
// bits zero) already lie or come later. Every value is then seen again, in
// the same order and reversed: a repeat must be found along the chain.
TEST(Avx512KernelsTest, BucketedDistinctCountFollowsFullBucketsAroundTheTable) {
  if (!CpuHasAvx512()) GTEST_SKIP() << "no AVX-512 on this CPU";
  std::vector<uint64_t> table;
  for (size_t crowd : {9, 16, 17, 30}) {
    std::vector<uint64_t> values;
    for (size_t k = 0; k < crowd; ++k) {
      values.push_back(~uint64_t{0} - k);  // The last bucket's.
      if (k % 3 == 0) values.push_back(k + 1);  // The first buckets'.
    }
    const std::vector<uint64_t> once = values;
    values.insert(values.end(), once.begin(), once.end());
    values.insert(values.end(), once.rbegin(), once.rend());
    EXPECT_EQ(CountDistinctAvx512(values, &table), once.size()) << crowd;
    EXPECT_EQ(CountDistinctAvx512(values, &table), SortedDistinct(values)) << crowd;
  }
}
#endif

}  // namespace
}  // namespace storysift::internal
