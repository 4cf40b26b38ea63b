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
#include "storysift/input_stream.h"
#include "storysift/normalize.h"
#include "storysift/reader.h"
#include "storysift/report.h"

namespace storysift {

// Where the time of a run went, for benchmarks: wall seconds of the serial
// parts, and thread-CPU seconds summed over workers for the parallel part.
struct PipelineTimings {
  double read_wall = 0;       // Waiting for InputStream::NextBatch (read +
                              // parse), which overlaps the other stages.
  double parallel_wall = 0;   // The ParallelFor over each batch.
  double normalize_cpu = 0;   // Normalizer::Normalize, all threads.
  double stage_cpu = 0;       // The caller's ParallelStage, all threads.
  double sink_wall = 0;       // The ordered sink (and report accounting).
};

struct PipelineOptions {
  int threads = 0;            // 0 = all cores.
  size_t batch_size = 4096;   // Records held in memory at once.
  // When set, the run adds its timings here (costs two clock reads per
  // document and stage; not thread-safe to share between concurrent runs).
  PipelineTimings* timings = nullptr;
};

// One record as the stages see it. `body` and `title` are valid only when
// the record is not skipped.
struct StagedRecord {
  ReadRecord record;
  NormalizedText body;
  NormalizedText title;
};

// Called on a worker thread for each non-skipped record; `slot` is its index
// in the current batch (stable per batch: write per-slot state there).
using ParallelStage = std::function<void(size_t slot, const StagedRecord& rec)>;
// Called on the calling thread for every record, skipped or not, in input
// order. Returning an error stops the run with that error.
using OrderedSink = std::function<absl::Status(size_t slot, StagedRecord& rec)>;

// Runs the inputs through normalization, `stage` and `sink`. Counts every
// record into *report (processed or skipped). Returns the first fatal input
// error (e.g. NotFound) or sink error.
absl::Status RunDocumentPipeline(InputStream& input, const Normalizer& normalizer,
                                 const PipelineOptions& options, RunReport* report,
                                 const ParallelStage& stage, const OrderedSink& sink);

}  // namespace storysift

#endif  // STORYSIFT_DOCUMENT_PIPELINE_H_
