// The batch driver with dedup's per-document work (normalize, then sketch
// into a per-slot signature), one thread: Arg 1 keeps every record's body
// until the sink (as a run that keeps texts must), Arg 0 normalizes into the worker's
// own buffers (PipelineOptions::keep_bodies = false, as `dedup` runs).
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "pipeline/document_pipeline.h"
#include "sketch_bench_data.h"
#include "storysift/input_stream.h"
#include "storysift/sketcher.h"

namespace storysift {
namespace {

// Copies of the bench documents enough for several 512-record batches.
constexpr int kCopies = 4;

void BM_DedupPipeline(benchmark::State& state) {
  const bench::BenchDocs& docs = bench::NewsDocs();
  std::vector<ReadRecord> records;
  size_t bytes = 0;
  for (int c = 0; c < kCopies; ++c) {
    for (size_t i = 0; i < docs.texts.size(); ++i) {
      ReadRecord r;
      r.doc.id = std::to_string(c) + "-" + std::to_string(i);
      r.doc.text = docs.texts[i].clean;
      bytes += r.doc.text.size();
      records.push_back(std::move(r));
    }
  }
  NormalizeOptions normalize;
  normalize.terms = false;  // Only sketched, as in dedup.
  const Normalizer normalizer = *Normalizer::Create(normalize);
  const Sketcher sketcher = *Sketcher::Create(SketchOptions());
  const size_t k = static_cast<size_t>(sketcher.num_perm());
  PipelineOptions options;
  options.keep_bodies = state.range(0) == 1;
  RunContext context;
  context.threads = 1;
  std::vector<uint32_t> signatures(PipelineSlots(options) * k);
  uint64_t simhash = 0;
  for (auto _ : state) {
    state.PauseTiming();
    InputStream input = InputStream::FromRecords(records);
    state.ResumeTiming();
    RunReport report;
    auto stage = [&](size_t slot, const StagedRecord& rec) {
      thread_local Sketcher::Scratch scratch;
      sketcher.Compute(rec.body, absl::MakeSpan(signatures).subspan(slot * k, k), &simhash,
                       &scratch);
    };
    auto sink = [](size_t, StagedRecord&) { return absl::OkStatus(); };
    const absl::Status status =
        RunDocumentPipeline(input, normalizer, options, context, &report, stage, sink);
    if (!status.ok()) state.SkipWithError(std::string(status.message()).c_str());
    benchmark::DoNotOptimize(signatures.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records.size()));
}
BENCHMARK(BM_DedupPipeline)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Reading alone: Reuters' JSON lines through InputStream in 512-record
// batches (line split, simdjson, the record's fields, UTF-8 checks, dates),
// what the pipeline's reader thread does ahead of the workers.
void BM_ReadJsonLines(benchmark::State& state) {
  const std::string path =
      std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.jsonl";
  std::vector<ReadRecord> batch;
  int64_t records = 0;
  for (auto _ : state) {
    absl::StatusOr<InputStream> input = InputStream::Open({path}, ReaderOptions());
    if (!input.ok()) {
      state.SkipWithError("shared data (Reuters) absent");
      return;
    }
    while (true) {
      const absl::StatusOr<bool> more = input->NextBatch(512, &batch);
      if (!more.ok() || !*more) break;
      records += static_cast<int64_t>(batch.size());
    }
  }
  state.SetItemsProcessed(records);
}
BENCHMARK(BM_ReadJsonLines)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace storysift
