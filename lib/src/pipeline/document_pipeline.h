// The batch driver shared by every corpus command: reads records in batches,
// runs the per-document stages (normalize, then the caller's own work such as
// sketching) on worker threads, and hands each record to a single-writer sink
// in input order. The streaming API uses the same stage objects one document
// at a time; this is only the batching around them.
#ifndef STORYSIFT_DOCUMENT_PIPELINE_H_
#define STORYSIFT_DOCUMENT_PIPELINE_H_

#include <cstddef>
#include <functional>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "storysift/input_stream.h"
#include "storysift/normalize.h"
#include "storysift/reader.h"
#include "storysift/report.h"
#include "storysift/run_context.h"

namespace storysift {

struct PipelineOptions {
  // Records held in memory at once. Each holds its normalized text and
  // sketches (~30 KB for a 3 KB article) until the sink; 512 keeps a batch
  // in L3, so the sink and the per-batch stages find it in cache: at 4096,
  // normalizing cost 10-15 % more CPU and 60k documents peaked 260 MiB higher.
  // The first batches are smaller (64, doubling up to this), so that the
  // workers start before a whole batch is read.
  size_t batch_size = 512;
  // Normalize each record's title into StagedRecord::title. Only TF-IDF
  // reads it; a dedup run skips the work (a second Normalize per document).
  bool normalize_titles = false;
  // Keep each record's normalized body in StagedRecord::body for the batch
  // stage and the sink. Off, a body lives only while its record's parallel
  // stage runs, in the worker thread's own buffers: they stay in its cache
  // from one document to the next, where a batch of kept bodies (~30 KB a
  // document, 15 MB at 512) passed through the caches and was first touched
  // page by page.
  bool keep_bodies = true;
};

// One record as the stages see it. `body` is valid only when the record is
// not skipped (and after the parallel stage only with
// PipelineOptions::keep_bodies), `title` only then and with
// PipelineOptions::normalize_titles. The body's counts stay either way.
struct StagedRecord {
  ReadRecord record;
  NormalizedText body;
  NormalizedText title;
  size_t body_tokens = 0;
  int boilerplate_lines_dropped = 0;
};

// Batches alternate between two sets of slots, [0, batch_size) and
// [batch_size, 2 * batch_size): the sink of one batch runs while the
// workers stage the next, so per-slot state written by the stage must not
// be shared by consecutive batches. Size per-slot arrays by this.
inline size_t PipelineSlots(const PipelineOptions& options) { return 2 * options.batch_size; }

// Called on a worker thread for each non-skipped record; `slot` (below
// PipelineSlots) is its place in the pipeline: write per-slot state there.
// Runs while the sink handles the previous batch, so it must not read what
// the sink writes.
using ParallelStage = std::function<void(size_t slot, const StagedRecord& rec)>;
// Called on the calling thread for every record, skipped or not, in input
// order, with the slot its stage saw. Returning an error stops the run with
// that error.
using OrderedSink = std::function<absl::Status(size_t slot, StagedRecord& rec)>;

// Called on the calling thread once per batch (all records, skipped ones
// included, in input order; batch[i] has slot first_slot + i), after the
// parallel stage and after the sink has seen every earlier batch, before
// it sees any of this one: room for work that is shared across documents
// but can be split another way than by document (e.g. by term shard), so
// that it need not run on the sink thread alone.
using BatchStage =
    std::function<absl::Status(size_t first_slot, absl::Span<StagedRecord> batch)>;

// Runs the inputs through normalization, `stage`, `batch_stage` (when set)
// and `sink`, on context.threads workers; adds its timings to
// context.timings->read when set. Counts every record into *report (processed or skipped).
// Returns the first fatal input error (e.g. NotFound), batch-stage or sink
// error.
absl::Status RunDocumentPipeline(InputStream& input, const Normalizer& normalizer,
                                 const PipelineOptions& options, const RunContext& context,
                                 RunReport* report,
                                 const ParallelStage& stage, const BatchStage& batch_stage,
                                 const OrderedSink& sink);
absl::Status RunDocumentPipeline(InputStream& input, const Normalizer& normalizer,
                                 const PipelineOptions& options, const RunContext& context,
                                 RunReport* report,
                                 const ParallelStage& stage, const OrderedSink& sink);

}  // namespace storysift

#endif  // STORYSIFT_DOCUMENT_PIPELINE_H_
