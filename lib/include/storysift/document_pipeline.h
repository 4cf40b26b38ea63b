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

struct PipelineOptions {
  int threads = 0;            // 0 = all cores.
  size_t batch_size = 4096;   // Records held in memory at once.
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
