// Benchmarks of the story stages on generated news-like documents: Zipfian
// background words plus per-story vocabularies, so candidate postings have
// realistic skew. Item counts via SetItemsProcessed.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "benchmark/benchmark.h"
#include "cluster/average_linkage.h"
#include "cluster/dot_table.h"
#include "sketch_bench_data.h"
#include "storysift/normalize.h"
#include "storysift/story_clusterer.h"
#include "storysift/tfidf.h"
#include "vector/row_sum.h"

namespace storysift {
namespace {

// n documents of ~200 words: 150 Zipf-distributed from a 20k-word background
// and 50 from their story's own 60 words (stories of ~10 documents).
const std::vector<NormalizedText>& Docs(size_t n) {
  static std::vector<NormalizedText> docs;
  if (docs.size() == n) return docs;
  docs.clear();
  std::mt19937_64 rng(42);
  std::vector<double> cdf(20000);
  double sum = 0;
  for (size_t k = 0; k < cdf.size(); ++k) cdf[k] = sum += 1.0 / (k + 1);
  const Normalizer normalizer = *Normalizer::Create({});
  std::string text;
  for (size_t d = 0; d < n; ++d) {
    text.clear();
    for (int w = 0; w < 150; ++w) {
      const double u = std::uniform_real_distribution<double>(0, sum)(rng);
      absl::StrAppend(&text, "w", std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin(), " ");
    }
    for (int w = 0; w < 50; ++w) absl::StrAppend(&text, "s", d / 10, "x", rng() % 60, " ");
    docs.emplace_back();
    normalizer.Normalize(text, &docs.back());
  }
  return docs;
}

TfidfMatrix Build(const std::vector<NormalizedText>& docs) {
  TfidfVectorizer v = *TfidfVectorizer::Create({});
  for (size_t i = 0; i < docs.size(); ++i) {
    if (!v.Add(i, docs[i]).ok()) std::abort();
  }
  return *v.Build();
}

std::vector<StoryItem> Items(const TfidfMatrix& m) {
  std::vector<StoryItem> items;
  for (size_t r = 0; r < m.num_rows(); ++r) items.push_back({m.ordinal(r), m.row(r), {}});
  return items;
}

// The per-document half of TF-IDF (runs on the worker threads).
void BM_TfidfCountTerms(benchmark::State& state) {
  const auto& docs = Docs(1000);
  const TfidfOptions options;
  TermCounts counts;
  for (auto _ : state) {
    for (const NormalizedText& d : docs) {
      TfidfVectorizer::CountTerms(options, d, nullptr, &counts);
      benchmark::DoNotOptimize(counts.entries.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * docs.size());
}
BENCHMARK(BM_TfidfCountTerms);

// The same on news text (Reuters bodies joined to ~3 KB when the shared data
// is present): stop words, capitalised names, tickers and table lines take
// the branches that the generated lowercase words above never do. Each
// document's tokens and text are read first (counted in the time, the same
// for any CountTerms), as in the pipeline, where the tokenizer and the
// sketcher have just read them: 500 documents are too many for the caches,
// and a few repeated would let the branch predictor learn them.
void BM_TfidfCountTermsNews(benchmark::State& state) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  const TfidfOptions options;
  TermCounts counts;
  size_t tokens = 0;
  for (const NormalizedText& d : docs.texts) tokens += d.tokens.size();
  uint64_t touched = 0;
  for (auto _ : state) {
    for (const NormalizedText& d : docs.texts) {
      for (const Token& t : d.tokens) touched += t.term;
      constexpr size_t kLine = 64;
      for (size_t b = 0; b < d.clean.size(); b += kLine) touched += d.clean[b];
      TfidfVectorizer::CountTerms(options, d, nullptr, &counts);
      benchmark::DoNotOptimize(counts.entries.data());
    }
  }
  benchmark::DoNotOptimize(touched);
  state.SetItemsProcessed(state.iterations() * tokens);
  state.SetBytesProcessed(state.iterations() * docs.total_bytes);
  state.SetLabel(docs.from_reuters ? "reuters, per token" : "generated, per token");
}
BENCHMARK(BM_TfidfCountTermsNews);

// Cosine of two unit TF-IDF rows by sparse merge (novelty, verification).
void BM_SparseDot(benchmark::State& state) {
  static const TfidfMatrix m = Build(Docs(1000));
  float sum = 0;
  for (auto _ : state) {
    for (size_t r = 1; r < m.num_rows(); ++r) sum += Dot(m.row(r - 1), m.row(r));
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * (m.num_rows() - 1));
}
BENCHMARK(BM_SparseDot);

// The candidate scorer's exact cosines: row i loaded once into a DotTable,
// then dotted with its next 32 rows (the default candidate cap). Arg 0: the
// cuckoo table (vocabulary size unknown); 1: the dense array.
void BM_DotTable(benchmark::State& state) {
  static const TfidfMatrix m = Build(Docs(1000));
  constexpr size_t kCandidates = 32;
  internal::DotTable table(state.range(0) == 0 ? 0 : m.vocabulary().size());
  float sum = 0;
  size_t dots = 0;
  for (auto _ : state) {
    for (size_t r = 0; r + kCandidates < m.num_rows(); ++r) {
      table.Load(m.row(r));
      for (size_t c = 1; c <= kCandidates; ++c) sum += table.Dot(m.row(r + c));
      dots += kCandidates;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(dots);
}
BENCHMARK(BM_DotTable)->Arg(0)->Arg(1);

// BM_DotTable over a vocabulary of range(0) terms (a day's news: ~100k; 250k
// documents: 223k; 1M: ~2x that), range(1) 0: the cuckoo table, 1: the dense
// array. Rows of 200 terms drawn Zipf-like (s = 1) and scattered over the
// ids by a fixed permutation, so a row's terms touch the array at random (a
// pessimistic layout for the dense array: real ids keep each shard's common
// terms together). Which layout wins at which size set kDenseMaxTerms
// (dot_table.h; above the cap both args are the table).
void BM_DotTableWide(benchmark::State& state) {
  const size_t vocabulary = static_cast<size_t>(state.range(0));
  constexpr size_t kRows = 4096, kTermsPerRow = 200, kCandidates = 32;
  std::mt19937_64 rng(7);
  std::vector<double> cdf(vocabulary);
  double total = 0;
  for (size_t k = 0; k < vocabulary; ++k) cdf[k] = total += 1.0 / (k + 1);
  std::vector<uint32_t> scatter(vocabulary);
  for (uint32_t k = 0; k < vocabulary; ++k) scatter[k] = k;
  std::shuffle(scatter.begin(), scatter.end(), rng);
  std::vector<std::vector<uint32_t>> ids(kRows);
  std::vector<std::vector<float>> weights(kRows);
  for (size_t r = 0; r < kRows; ++r) {
    while (ids[r].size() < kTermsPerRow) {
      const double u = std::uniform_real_distribution<double>(0, total)(rng);
      ids[r].push_back(scatter[std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin()]);
      if (ids[r].size() == kTermsPerRow) {
        std::sort(ids[r].begin(), ids[r].end());
        ids[r].erase(std::unique(ids[r].begin(), ids[r].end()), ids[r].end());
      }
    }
    for (size_t k = 0; k < ids[r].size(); ++k) weights[r].push_back(0.01f + (rng() % 100) * 1e-3f);
  }
  const auto row = [&](size_t r) { return SparseVectorView{ids[r], weights[r]}; };
  internal::DotTable table(state.range(1) == 0 ? 0 : vocabulary);
  float sum = 0;
  size_t dots = 0;
  for (auto _ : state) {
    for (size_t r = 0; r + kCandidates < kRows; ++r) {
      table.Load(row(r));
      // Candidates are random rows of the matrix, not its neighbours.
      for (size_t c = 1; c <= kCandidates; ++c) sum += table.Dot(row((r * 7919 + c * 104729) % kRows));
      dots += kCandidates;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(dots);
}
BENCHMARK(BM_DotTableWide)
    ->Args({1 << 17, 0})->Args({1 << 17, 1})
    ->Args({1 << 19, 0})->Args({1 << 19, 1})
    ->Args({1 << 20, 0})->Args({1 << 20, 1});

// Average linkage (the serial merge loop) over a generated graph of Arg
// items shaped like the candidate pairs at 250k: stories of Zipf-like sizes
// (1 to 64 items, the largest growing into hubs that absorb one article at
// a time), each item paired with up to 24 of its story at 0.25-0.8 and with
// 8 random items at 0.02-0.22 (threshold 0.2), at most 32 pairs an item.
void BM_AverageLinkage(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  std::mt19937_64 rng(5);
  std::vector<uint32_t> story_first;  // Items of story s: [first[s], first[s + 1]).
  for (uint32_t i = 0; i < n;) {
    story_first.push_back(i);
    const uint32_t size = std::min<uint32_t>(n - i, 1 + 64 / (1 + rng() % 64));
    i += size;
  }
  story_first.push_back(n);
  std::vector<SimilarPair> pairs;
  std::uniform_real_distribution<float> close(0.25f, 0.8f), far(0.02f, 0.22f);
  for (size_t s = 0; s + 1 < story_first.size(); ++s) {
    const uint32_t lo = story_first[s], hi = story_first[s + 1];
    for (uint32_t a = lo; a < hi; ++a) {
      for (uint32_t b = a + 1; b < std::min(hi, a + 25); ++b) pairs.push_back({a, b, close(rng)});
    }
  }
  for (uint32_t a = 0; a < n; ++a) {
    for (int k = 0; k < 8; ++k) {
      const uint32_t b = static_cast<uint32_t>(rng() % n);
      if (b > a) pairs.push_back({a, b, far(rng)});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const SimilarPair& x, const SimilarPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [](const SimilarPair& x, const SimilarPair& y) {
                            return x.a == y.a && x.b == y.b;
                          }),
              pairs.end());
  std::vector<DocOrdinal> keys(n);
  for (uint32_t i = 0; i < n; ++i) keys[i] = i;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<SimilarPair> copy = pairs;
    state.ResumeTiming();
    benchmark::DoNotOptimize(internal::AverageLinkageRoots(n, &copy, keys, 0.2f).data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_AverageLinkage)->Arg(25000)->Arg(100000)->Unit(benchmark::kMillisecond);

// A story's summed terms (labels, headlines, centroids): SumRows over
// stories of Arg consecutive rows.
void BM_SumRows(benchmark::State& state) {
  static const TfidfMatrix m = Build(Docs(1000));
  const size_t k = static_cast<size_t>(state.range(0));
  std::vector<SparseVectorView> rows;
  SparseVector sum;
  size_t stories = 0;
  for (auto _ : state) {
    for (size_t first = 0; first + k <= m.num_rows(); first += k) {
      rows.clear();
      for (size_t r = first; r < first + k; ++r) rows.push_back(m.row(r));
      internal::SumRows(rows, &sum);
      benchmark::DoNotOptimize(sum.weights.data());
      ++stories;
    }
  }
  state.SetItemsProcessed(stories);
}
BENCHMARK(BM_SumRows)->Arg(4)->Arg(32);

void BM_TfidfBuild(benchmark::State& state) {
  const auto& docs = Docs(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(Build(docs));
  state.SetItemsProcessed(state.iterations() * docs.size());
}
BENCHMARK(BM_TfidfBuild)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_CosineTopTermCandidates(benchmark::State& state) {
  const TfidfMatrix m = Build(Docs(state.range(0)));
  const std::vector<StoryItem> items = Items(m);
  size_t pairs = 0;
  for (auto _ : state) {
    auto out = FindSimilarPairs(items, CandidateOptions());
    pairs = out->size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["pairs"] = pairs;
  state.SetItemsProcessed(state.iterations() * items.size());
}
BENCHMARK(BM_CosineTopTermCandidates)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_StoryClusterBatch(benchmark::State& state) {
  const TfidfMatrix m = Build(Docs(state.range(0)));
  const std::vector<StoryItem> items = Items(m);
  const StoryClusterer clusterer = *StoryClusterer::Create({});
  size_t stories = 0;
  for (auto _ : state) {
    auto out = clusterer.Cluster(items, m.vocabulary());
    stories = out->size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["stories"] = stories;
  state.SetItemsProcessed(state.iterations() * items.size());
}
BENCHMARK(BM_StoryClusterBatch)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_StoryTrackerStream(benchmark::State& state) {
  const TfidfMatrix m = Build(Docs(state.range(0)));
  const std::vector<StoryItem> items = Items(m);
  for (auto _ : state) {
    StoryTracker t = *StoryTracker::Create({});
    for (const StoryItem& it : items) benchmark::DoNotOptimize(t.Add(it));
    benchmark::DoNotOptimize(t.Finish(m.vocabulary()));
  }
  state.SetItemsProcessed(state.iterations() * items.size());
}
BENCHMARK(BM_StoryTrackerStream)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace storysift
