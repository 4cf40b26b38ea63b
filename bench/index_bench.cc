// Candidate index throughput: LSH inserts and queries over 128-slot MinHash
// signatures, SimHash Hamming-ball queries. Signatures are generated: 20% of
// documents are near copies (a few slots / bits changed) of an earlier one,
// so buckets and tables see realistic collisions.
#include <random>

#include "benchmark/benchmark.h"
#include "storysift/lsh_index.h"
#include "storysift/simhash_index.h"

namespace storysift {
namespace {

constexpr int kPerm = 128;

std::vector<uint32_t> Signatures(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> sigs(n * kPerm);
  for (size_t d = 0; d < n; ++d) {
    uint32_t* s = &sigs[d * kPerm];
    if (d > 0 && rng() % 5 == 0) {
      std::copy_n(&sigs[(rng() % d) * kPerm], kPerm, s);
      for (int e = 0; e < 10; ++e) s[rng() % kPerm] = static_cast<uint32_t>(rng());
    } else {
      for (int i = 0; i < kPerm; ++i) s[i] = static_cast<uint32_t>(rng());
    }
  }
  return sigs;
}

absl::Span<const uint32_t> Row(const std::vector<uint32_t>& sigs, size_t d) {
  return absl::MakeConstSpan(sigs).subspan(d * kPerm, kPerm);
}

void BM_LshInsert(benchmark::State& state) {
  const size_t n = state.range(0);
  const std::vector<uint32_t> sigs = Signatures(n, 1);
  LshIndexOptions o;
  o.threshold = 0.8;
  size_t memory = 0;
  for (auto _ : state) {
    LshIndex index = *LshIndex::Create(o);
    for (size_t d = 0; d < n; ++d) {
      if (!index.Add(d, {Row(sigs, d)}).ok()) state.SkipWithError("Add failed");
    }
    memory = index.MemoryUsage();
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["bytes_per_doc"] = static_cast<double>(memory) / n;
}
BENCHMARK(BM_LshInsert)->Arg(100000);

void BM_LshQuery(benchmark::State& state) {
  const size_t n = state.range(0);
  const std::vector<uint32_t> sigs = Signatures(n, 2);
  LshIndexOptions o;
  o.threshold = 0.8;
  LshIndex index = *LshIndex::Create(o);
  for (size_t d = 0; d < n; ++d) {
    if (!index.Add(d, {Row(sigs, d)}).ok()) state.SkipWithError("Add failed");
  }
  std::vector<DocOrdinal> out;
  size_t d = 0, found = 0;
  for (auto _ : state) {
    if (!index.Query({Row(sigs, d)}, &out).ok()) state.SkipWithError("Query failed");
    found += out.size();
    d = (d + 7919) % n;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["candidates"] =
      benchmark::Counter(static_cast<double>(found), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_LshQuery)->Arg(100000);

void BM_SimHashIndexQuery(benchmark::State& state) {
  const size_t n = state.range(0);
  std::mt19937_64 rng(3);
  std::vector<uint64_t> fps(n);
  for (size_t d = 0; d < n; ++d) {
    fps[d] = (d > 0 && rng() % 5 == 0) ? fps[rng() % d] ^ (uint64_t{1} << (rng() % 64))
                                       : rng();
  }
  SimHashIndexOptions o;
  o.num_blocks = static_cast<int>(state.range(1));
  auto index = SimHashIndex::Create(o);
  if (!index.ok()) {
    state.SkipWithError(index.status().ToString().c_str());
    return;
  }
  for (size_t d = 0; d < n; ++d) {
    if (!index->Add(d, {{}, fps[d]}).ok()) state.SkipWithError("Add failed");
  }
  std::vector<DocOrdinal> out;
  size_t d = 0;
  for (auto _ : state) {
    if (!index->Query({{}, fps[d]}, &out).ok()) state.SkipWithError("Query failed");
    benchmark::DoNotOptimize(out.data());
    d = (d + 7919) % n;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_doc"] = static_cast<double>(index->MemoryUsage()) / n;
}
// k = 3 with 4 blocks (4 tables of 16 bits) and 6 blocks (20 tables).
BENCHMARK(BM_SimHashIndexQuery)->Args({1000000, 0})->Args({1000000, 6});

}  // namespace
}  // namespace storysift
