#include "pipeline/document_pipeline.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <utility>
#include <vector>

#include "pipeline/ahead_reader.h"
#include "pipeline/clock.h"
#include "pipeline/parallel.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

using internal::ThreadCpuSeconds;
using internal::WallSeconds;

// Thread-CPU seconds as integer nanoseconds, summed lock-free by workers.
struct CpuAccumulator {
  std::atomic<int64_t> normalize_ns{0};
  std::atomic<int64_t> stage_ns{0};
};

// The most a worker thread keeps of its body buffers between documents
// (a 3 KB news article takes ~25 KB).
constexpr size_t kMaxThreadBodyBytes = size_t{4} << 20;

// The first batch's size; each next one doubles up to batch_size. Nothing
// overlaps the first batch's read (the workers wait for it), so a small
// first batch starts them sooner: a full 512 took ~2.5 ms to read and parse.
// (Reverted once: it raised cluster's peak memory at 250k documents by
// moving where the TF-IDF rows' last copying doubling landed; the rows now
// grow without a copy, growable_array.h.)
constexpr size_t kFirstBatchSize = 64;

size_t BufferBytes(const NormalizedText& text) {
  return text.clean.capacity() + text.folded.capacity() +
         text.tokens.capacity() * sizeof(Token);
}

// Frees the staged records' buffers on up to `threads` threads, while
// `serial` (if set) runs on this one. Freed on the caller alone at the end
// of the run, they kept the other core idle (~1 ms at 20k documents).
absl::Status FreeStaged(std::vector<StagedRecord>* staged, int threads,
                        const std::function<absl::Status()>& serial) {
  const std::function<void(size_t)> release = [staged](size_t i) {
    (*staged)[i] = StagedRecord();
  };
  ParallelJob job(staged->size(), threads, release);
  const absl::Status status = serial ? serial() : absl::OkStatus();
  job.Wait();
  return status;
}

}  // namespace

absl::Status RunDocumentPipeline(InputStream& input, const Normalizer& normalizer,
                                 const PipelineOptions& options, const RunContext& context,
                                 RunReport* report,
                                 const ParallelStage& stage, const OrderedSink& sink) {
  return RunDocumentPipeline(input, normalizer, options, context, report, stage, nullptr, sink);
}

absl::Status RunDocumentPipeline(InputStream& input, const Normalizer& normalizer,
                                 const PipelineOptions& options, const RunContext& context,
                                 RunReport* report,
                                 const ParallelStage& stage, const BatchStage& batch_stage,
                                 const OrderedSink& sink) {
  const int threads = ResolveThreadCount(context.threads);
  PipelineTimings* timings = context.timings != nullptr ? &context.timings->read : nullptr;
  CpuAccumulator cpu;
  // Reading and parsing are serial; the next batch is read on a helper
  // thread while this one is normalized and sunk, so the serial parse
  // overlaps the parallel work. Only one thread touches `input` at a time,
  // and records still reach the sink in input order.
  std::vector<ReadRecord> records, next_records;
  size_t next_batch_size = std::min(options.batch_size, kFirstBatchSize);
  auto read_next = [&input, &next_records, &next_batch_size, &options] {
    const size_t size = next_batch_size;
    next_batch_size = std::min(options.batch_size, 2 * size);
    return input.NextBatch(size, &next_records);
  };
  internal::AheadReader reader(read_next);
  reader.Start();
  // Two sets of staged records, batch after batch in turn: while the
  // workers stage one batch, this thread sinks the one before (the sink is
  // serial; run between batches, it left the other cores idle). Staged
  // records persist across batches so their buffers are reused.
  std::vector<StagedRecord> staged[2];
  size_t half = 0;       // The set the current batch uses: slots from half * batch_size.
  size_t unsunk = 0;     // Records of the previous batch (the other set) not yet sunk.
  auto sink_previous = [&]() -> absl::Status {
    const size_t other = 1 - half;
    const double t0 = timings ? WallSeconds() : 0;
    for (size_t i = 0; i < unsunk; ++i) {
      StagedRecord& rec = staged[other][i];
      if (rec.record.skipped()) {
        report->AddSkipped(rec.record);
      } else {
        report->AddProcessed(rec.record.doc, rec.body_tokens, rec.boilerplate_lines_dropped);
      }
      STORYSIFT_RETURN_IF_ERROR(sink(other * options.batch_size + i, rec));
    }
    unsunk = 0;
    if (timings) timings->sink_wall += WallSeconds() - t0;
    return absl::OkStatus();
  };
  for (;;) {
    double t0 = timings ? WallSeconds() : 0;
    absl::StatusOr<bool> got = reader.Wait();
    half = 1 - half;
    // The batch before an input error or the end is still the sink's.
    if (!got.ok() || !*got) {
      // The set of the batch before last is sunk: it is freed while the
      // last batch is sunk, and that one's set after.
      STORYSIFT_RETURN_IF_ERROR(FreeStaged(&staged[half], threads, sink_previous));
      STORYSIFT_RETURN_IF_ERROR(FreeStaged(&staged[1 - half], threads, nullptr));
      if (!got.ok()) return got.status();
      report->set_inputs(input.summaries());
      break;
    }
    std::swap(records, next_records);
    reader.Start();
    if (timings) {
      const double t1 = WallSeconds();
      timings->read_wall += t1 - t0;
      t0 = t1;
    }
    std::vector<StagedRecord>& batch = staged[half];
    if (batch.size() < records.size()) batch.resize(records.size());
    const size_t first_slot = half * options.batch_size;
    const std::function<void(size_t)> work = [&](size_t i) {
      StagedRecord& rec = batch[i];
      // Swapped, not moved: the buffers of the batch before last go back
      // with `records` to the reader, which reuses them (NextBatch).
      std::swap(rec.record, records[i]);
      if (rec.record.skipped()) return;
      // Without kept bodies, this thread's buffers stand in for the body
      // during the stage (swaps move no text).
      thread_local NormalizedText thread_body;
      if (!options.keep_bodies) std::swap(rec.body, thread_body);
      const double c0 = timings ? ThreadCpuSeconds() : 0;
      normalizer.Normalize(rec.record.doc.text, &rec.body);
      if (options.normalize_titles) normalizer.Normalize(rec.record.doc.title, &rec.title);
      if (rec.body.utf8_repaired) rec.record.doc.flags.utf8_repaired = true;
      const double c1 = timings ? ThreadCpuSeconds() : 0;
      if (stage) stage(first_slot + i, rec);
      rec.body_tokens = rec.body.tokens.size();
      rec.boilerplate_lines_dropped = rec.body.boilerplate_lines_dropped;
      if (!options.keep_bodies) {
        std::swap(rec.body, thread_body);
        // Pool threads outlive the run: a huge document's buffers go now.
        if (BufferBytes(thread_body) > kMaxThreadBodyBytes) thread_body = NormalizedText();
      }
      if (timings) {
        const double c2 = ThreadCpuSeconds();
        cpu.normalize_ns.fetch_add(static_cast<int64_t>((c1 - c0) * 1e9),
                                   std::memory_order_relaxed);
        cpu.stage_ns.fetch_add(static_cast<int64_t>((c2 - c1) * 1e9),
                               std::memory_order_relaxed);
      }
    };
    {
      // The pool starts on this batch; this thread sinks the previous one
      // (the job waits for its helpers on every return path) and joins.
      ParallelJob job(records.size(), threads, work);
      STORYSIFT_RETURN_IF_ERROR(sink_previous());
      const double t1 = timings ? WallSeconds() : 0;
      job.Wait();
      if (timings) {
        const double t2 = WallSeconds();
        timings->parallel_wall += t2 - t1;
        t0 = t2;
      }
    }
    if (batch_stage) {
      STORYSIFT_RETURN_IF_ERROR(
          batch_stage(first_slot, absl::MakeSpan(batch.data(), records.size())));
      if (timings) timings->batch_wall += WallSeconds() - t0;
    }
    unsunk = records.size();
  }
  if (timings) {
    timings->normalize_cpu += 1e-9 * static_cast<double>(cpu.normalize_ns.load());
    timings->stage_cpu += 1e-9 * static_cast<double>(cpu.stage_ns.load());
  }
  return absl::OkStatus();
}

}  // namespace storysift
