// TF-IDF interning (TfidfVectorizer::AddBatch), the per-batch stage of a
// cluster run's loader: news documents (Reuters bodies when the shared data
// is present) counted once, then added in 512-document batches, as
// LoadCorpus does. Arg: threads.
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "sketch_bench_data.h"
#include "storysift/tfidf.h"

namespace storysift {
namespace {

constexpr size_t kBatch = 512;  // PipelineOptions::batch_size.
constexpr int kCopies = 8;      // The documents again, so known terms recur.

void BM_TfidfInternNews(benchmark::State& state) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  std::vector<TermCounts> counts(docs.texts.size());
  for (size_t i = 0; i < docs.texts.size(); ++i) {
    TfidfVectorizer::CountTerms(TfidfOptions{}, docs.texts[i], nullptr, &counts[i]);
  }
  std::vector<TfidfVectorizer::CountedDoc> all;
  for (int c = 0; c < kCopies; ++c) {
    for (const TermCounts& doc : counts) {
      all.push_back({static_cast<DocOrdinal>(all.size()), &doc});
    }
  }
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    auto vectorizer = TfidfVectorizer::Create(TfidfOptions{});
    state.ResumeTiming();
    for (size_t start = 0; start < all.size(); start += kBatch) {
      const size_t n = std::min(kBatch, all.size() - start);
      const absl::Status status =
          vectorizer->AddBatch(absl::MakeConstSpan(all).subspan(start, n), threads);
      if (!status.ok()) state.SkipWithError(std::string(status.message()).c_str());
    }
    state.PauseTiming();
    vectorizer = absl::InternalError("freed outside the timing");
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * all.size()));
  state.SetLabel(docs.from_reuters ? "reuters, per document" : "generated, per document");
}
BENCHMARK(BM_TfidfInternNews)->Arg(1)->Arg(2)->UseRealTime();

}  // namespace
}  // namespace storysift
