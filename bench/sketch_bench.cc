// Shingling, MinHash and SimHash throughput on ~3 KB news documents
// (bytes = raw text bytes of the documents processed).
#include "benchmark/benchmark.h"
#include "sketch_bench_data.h"
#include "storysift/minhash.h"
#include "storysift/shingle.h"
#include "storysift/simhash.h"
#include "storysift/sketcher.h"

namespace storysift {
namespace {

void SetCounters(benchmark::State& state, const bench::BenchDocs& docs) {
  const int64_t rounds = state.iterations();
  state.SetItemsProcessed(rounds * docs.tokens.size());
  state.SetBytesProcessed(rounds * docs.total_bytes);
  state.SetLabel(docs.from_reuters ? "reuters" : "generated");
}

void BM_WordShingles(benchmark::State& state) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  std::vector<uint64_t> shingles;
  for (auto _ : state) {
    for (const auto& t : docs.tokens) {
      WordShingles(t, kDefaultWordShingleSize, kDefaultShingleSeed, &shingles);
      benchmark::DoNotOptimize(shingles.data());
    }
  }
  SetCounters(state, docs);
}
BENCHMARK(BM_WordShingles);

// Word 5-shingles + MinHash signature: the whole per-document sketch cost
// after normalization.
void BM_MinHashSignature(benchmark::State& state, MinHashScheme scheme) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  MinHashOptions o;
  o.scheme = scheme;
  o.num_perm = static_cast<int>(state.range(0));
  auto hasher = MinHasher::Create(o);
  if (!hasher.ok()) {
    state.SkipWithError(hasher.status().ToString().c_str());
    return;
  }
  std::vector<uint64_t> shingles;
  std::vector<uint32_t> sig;
  for (auto _ : state) {
    for (const auto& t : docs.tokens) {
      WordShingles(t, kDefaultWordShingleSize, kDefaultShingleSeed, &shingles);
      hasher->Compute(shingles, &sig);
      benchmark::DoNotOptimize(sig.data());
    }
  }
  SetCounters(state, docs);
}
BENCHMARK_CAPTURE(BM_MinHashSignature, one_permutation, MinHashScheme::kOnePermutation)
    ->Arg(64)->Arg(128)->Arg(256);
BENCHMARK_CAPTURE(BM_MinHashSignature, affine61, MinHashScheme::kAffine61)
    ->Arg(64)->Arg(128)->Arg(256);

// What Sketcher::Compute does for `storysift dedup` at the defaults: word
// 3-shingles in document order, OPH MinHash-128, distinct count (no sort).
void BM_DedupSketch(benchmark::State& state) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  const MinHasher hasher = *MinHasher::Create(MinHashOptions{});
  std::vector<uint64_t> shingles, table;
  std::vector<uint32_t> sig(hasher.options().num_perm);
  for (auto _ : state) {
    for (const auto& t : docs.tokens) {
      WordShingleSequence(t, 3, kDefaultShingleSeed, &shingles);
      hasher.Compute(shingles, absl::MakeSpan(sig));
      benchmark::DoNotOptimize(CountDistinct(shingles, &table));
      benchmark::DoNotOptimize(sig.data());
    }
  }
  SetCounters(state, docs);
}
BENCHMARK(BM_DedupSketch);

// The distinct count alone (dedup's containment and short-pair rules read
// it), over each document's word 3-shingles in document order, one table
// kept across documents as the sketcher keeps it.
void BM_CountDistinct(benchmark::State& state) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  std::vector<std::vector<uint64_t>> sequences(docs.tokens.size());
  for (size_t d = 0; d < docs.tokens.size(); ++d) {
    WordShingleSequence(docs.tokens[d], 3, kDefaultShingleSeed, &sequences[d]);
  }
  std::vector<uint64_t> table;
  for (auto _ : state) {
    for (const std::vector<uint64_t>& shingles : sequences) {
      benchmark::DoNotOptimize(CountDistinct(shingles, &table));
    }
  }
  SetCounters(state, docs);
}
BENCHMARK(BM_CountDistinct);

// The same work from normalized texts, as `storysift dedup` runs it:
// look-alike token hashes, word 3-shingles, OPH MinHash-128 and the distinct
// count. Arg 0: the separate passes (ComputeShingleSequence, MinHasher,
// CountDistinct); 1: Sketcher::Compute, which fuses them into one pass; 2:
// the same on texts that carry look-alike token hashes (no fold here).
void BM_DedupSketchFromText(benchmark::State& state) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  const SketchOptions options;
  const Sketcher sketcher = *Sketcher::Create(options);
  const MinHasher hasher = *MinHasher::Create(options.minhash);
  Sketcher::Scratch scratch;
  std::vector<uint32_t> sig(hasher.options().num_perm);
  uint64_t simhash = 0;
  const bool fused = state.range(0) >= 1;
  const std::vector<NormalizedText>& texts =
      state.range(0) == 2 ? docs.lookalike_texts : docs.texts;
  for (auto _ : state) {
    for (const NormalizedText& text : texts) {
      if (fused) {
        sketcher.Compute(text, absl::MakeSpan(sig), &simhash, &scratch);
        benchmark::DoNotOptimize(scratch.set_size);
      } else {
        ComputeShingleSequence(text, options.shingle, &scratch.shingles, &scratch.tokens);
        hasher.Compute(scratch.shingles, absl::MakeSpan(sig));
        benchmark::DoNotOptimize(CountDistinct(scratch.shingles, &scratch.table));
      }
      benchmark::DoNotOptimize(sig.data());
    }
  }
  SetCounters(state, docs);
}
BENCHMARK(BM_DedupSketchFromText)->Arg(0)->Arg(1)->Arg(2);

void BM_SimHash(benchmark::State& state) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  SimHasher hasher = *SimHasher::Create({});
  std::vector<uint64_t> scratch;
  for (auto _ : state) {
    for (const auto& t : docs.tokens) benchmark::DoNotOptimize(hasher.Compute(t, &scratch));
  }
  SetCounters(state, docs);
}
BENCHMARK(BM_SimHash);

}  // namespace
}  // namespace storysift
