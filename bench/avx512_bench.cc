// The AVX-512 kernels of dedup's path against the scalar code they replace,
// on the news documents of sketch_bench_data.h (skipped without AVX-512):
// the token hashes of the words that close inside 64-byte blocks, and the
// word 3-shingle OPH loop. Arg 0 = scalar (PaddedTokenHash; WordShingleHash3
// + AddToBinsByShift, built for AVX2 + BMI2 as the tokenizer's and sketch's
// scalar builds are), 1 = eight lanes. Items are words or shingles.
#include <benchmark/benchmark.h>

#include <vector>

#include "sketch/sketch_kernels.h"
#include "sketch/word3_bins_avx512.h"
#include "sketch_bench_data.h"
#include "storysift/shingle.h"
#include "text/block_hash_avx512.h"
#include "text/cpu_features.h"
#include "text/token_hash.h"

namespace storysift {
namespace {

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
// The words of one 64-byte block of a document's clean text that start and
// end inside it, as the tokenizer's block scan finds them.
struct BlockWords {
  const char* block;
  uint64_t starts;
  uint64_t ends;
  size_t count;
};

std::vector<BlockWords> CollectBlockWords(size_t* words) {
  std::vector<BlockWords> blocks;
  *words = 0;
  for (const NormalizedText& text : bench::NewsDocs().texts) {
    const size_t n = text.clean.size();
    size_t t = 0;
    for (size_t at = 0; at + 64 + 16 <= n; at += 64) {
      BlockWords b{text.clean.data() + at, 0, 0, 0};
      for (; t < text.tokens.size() && text.tokens[t].begin < at + 64; ++t) {
        const Token& token = text.tokens[t];
        if (token.begin < at || token.begin + token.length >= at + 64) continue;
        b.starts |= uint64_t{1} << (token.begin - at);
        b.ends |= uint64_t{1} << (token.begin + token.length - at);
        ++b.count;
      }
      *words += b.count;
      blocks.push_back(b);
    }
  }
  return blocks;
}

__attribute__((target(STORYSIFT_AVX512_TARGET))) uint64_t HashBlocks(
    const std::vector<BlockWords>& blocks, bool lanes) {
  uint64_t sum = 0;
  alignas(64) uint64_t hashes[internal::kMaxBlockWords];
  for (const BlockWords& b : blocks) {
    if (lanes) internal::HashBlockWordsAvx512(b.block, b.starts, b.ends, b.count, hashes);
    const uint64_t* hash = hashes;
    for (uint64_t s = b.starts, e = b.ends; s != 0; s &= s - 1, e &= e - 1, ++hash) {
      const size_t from = static_cast<size_t>(__builtin_ctzll(s));
      const size_t len = static_cast<size_t>(__builtin_ctzll(e)) - from;
      sum += lanes && len <= internal::kMaxLaneWordBytes
                 ? *hash
                 : internal::PaddedTokenHash(b.block + from, len);
    }
  }
  return sum;
}

void BM_BlockWordHashes(benchmark::State& state) {
  if (!internal::CpuHasAvx512()) {
    state.SkipWithError("no AVX-512 on this CPU");
    return;
  }
  size_t words = 0;
  const std::vector<BlockWords> blocks = CollectBlockWords(&words);
  for (auto _ : state) benchmark::DoNotOptimize(HashBlocks(blocks, state.range(0) == 1));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * words));
}
BENCHMARK(BM_BlockWordHashes)->Arg(0)->Arg(1);

constexpr uint64_t kBenchMinHashSeed = 0x4D494E48;
constexpr int kBinShift = 64 - 7;  // 128 bins.

__attribute__((target(STORYSIFT_AVX512_TARGET))) void ScalarBins(const Token* tokens, size_t n,
                                                                 uint64_t* bins,
                                                                 uint64_t* shingles) {
  for (size_t i = 2; i < n; ++i) {
    shingles[i - 2] = internal::WordShingleHash3(tokens[i - 2].hash, tokens[i - 1].hash,
                                                 tokens[i].hash, kDefaultShingleSeed);
    internal::AddToBinsByShift(shingles[i - 2], kBenchMinHashSeed, kBinShift, bins);
  }
}

void BM_ShingleBins(benchmark::State& state) {
  if (!internal::CpuHasAvx512()) {
    state.SkipWithError("no AVX-512 on this CPU");
    return;
  }
  const bool lanes = state.range(0) == 1;
  std::vector<uint64_t> shingles;
  size_t count = 0;
  for (auto _ : state) {
    for (const NormalizedText& text : bench::NewsDocs().lookalike_texts) {
      const size_t n = text.tokens.size();
      if (n < 3) continue;
      uint64_t bins[128];
      std::fill(bins, bins + 128, internal::kUnsetBin);
      shingles.resize(n - 2);
      size_t done = 0;
      if (lanes) {
        done = internal::HashedTokensToBinsAvx512(text.tokens.data(), n, kDefaultShingleSeed,
                                                  kBenchMinHashSeed, kBinShift, bins,
                                                  shingles.data());
      }
      ScalarBins(text.tokens.data() + done, n - done, bins, shingles.data() + done);
      benchmark::DoNotOptimize(bins);
      count += n - 2;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(count));
}
BENCHMARK(BM_ShingleBins)->Arg(0)->Arg(1);
#endif

}  // namespace
}  // namespace storysift
