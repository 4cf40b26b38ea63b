#include "pipeline/document_pipeline.h"

#include <atomic>
#include <future>
#include <utility>
#include <vector>

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

size_t BufferBytes(const NormalizedText& text) {
  return text.clean.capacity() + text.folded.capacity() +
         text.tokens.capacity() * sizeof(Token);
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
  auto read_next = [&input, &next_records, &options] {
    return input.NextBatch(options.batch_size, &next_records);
  };
  std::future<absl::StatusOr<bool>> pending = std::async(std::launch::async, read_next);
  // Staged records persist across batches so their buffers are reused.
  std::vector<StagedRecord> staged;
  for (;;) {
    double t0 = timings ? WallSeconds() : 0;
    absl::StatusOr<bool> got = pending.get();
    if (!got.ok()) return got.status();
    const bool more = *got;
    std::swap(records, next_records);
    if (more) pending = std::async(std::launch::async, read_next);
    if (timings) {
      const double t1 = WallSeconds();
      timings->read_wall += t1 - t0;
      t0 = t1;
    }
    if (!more) {
      report->set_inputs(input.summaries());
      break;
    }
    if (staged.size() < records.size()) staged.resize(records.size());
    // Swapped, not moved: the last batch's buffers go back with `records` to
    // the reader, which frees them (in NextBatch) off this, the sink's, thread.
    for (size_t i = 0; i < records.size(); ++i) std::swap(staged[i].record, records[i]);
    ParallelFor(records.size(), threads, [&](size_t i) {
      StagedRecord& rec = staged[i];
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
      if (stage) stage(i, rec);
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
    });
    if (timings) {
      const double t1 = WallSeconds();
      timings->parallel_wall += t1 - t0;
      t0 = t1;
    }
    if (batch_stage) {
      STORYSIFT_RETURN_IF_ERROR(
          batch_stage(absl::MakeSpan(staged.data(), records.size())));
      if (timings) {
        const double t1 = WallSeconds();
        timings->batch_wall += t1 - t0;
        t0 = t1;
      }
    }
    for (size_t i = 0; i < records.size(); ++i) {
      StagedRecord& rec = staged[i];
      if (rec.record.skipped()) {
        report->AddSkipped(rec.record);
      } else {
        report->AddProcessed(rec.record.doc, rec.body_tokens, rec.boilerplate_lines_dropped);
      }
      STORYSIFT_RETURN_IF_ERROR(sink(i, rec));
    }
    if (timings) timings->sink_wall += WallSeconds() - t0;
  }
  if (timings) {
    timings->normalize_cpu += 1e-9 * static_cast<double>(cpu.normalize_ns.load());
    timings->stage_cpu += 1e-9 * static_cast<double>(cpu.stage_ns.load());
  }
  return absl::OkStatus();
}

}  // namespace storysift
