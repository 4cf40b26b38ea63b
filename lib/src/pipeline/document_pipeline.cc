#include "storysift/document_pipeline.h"

#include <vector>

#include "storysift/parallel.h"
#include "storysift/status_macros.h"

namespace storysift {

absl::Status RunDocumentPipeline(InputStream& input, const Normalizer& normalizer,
                                 const PipelineOptions& options, RunReport* report,
                                 const ParallelStage& stage, const OrderedSink& sink) {
  const int threads = ResolveThreadCount(options.threads);
  std::vector<ReadRecord> records;
  // Staged records persist across batches so their buffers are reused.
  std::vector<StagedRecord> staged;
  for (;;) {
    STORYSIFT_ASSIGN_OR_RETURN(const bool more, input.NextBatch(options.batch_size, &records));
    if (!more) break;
    if (staged.size() < records.size()) staged.resize(records.size());
    for (size_t i = 0; i < records.size(); ++i) staged[i].record = std::move(records[i]);
    ParallelFor(records.size(), threads, [&](size_t i) {
      StagedRecord& rec = staged[i];
      if (rec.record.skipped()) return;
      normalizer.Normalize(rec.record.doc.text, &rec.body);
      normalizer.Normalize(rec.record.doc.title, &rec.title);
      if (rec.body.utf8_repaired) rec.record.doc.flags.utf8_repaired = true;
      if (stage) stage(i, rec);
    });
    for (size_t i = 0; i < records.size(); ++i) {
      StagedRecord& rec = staged[i];
      if (rec.record.skipped()) {
        report->AddSkipped(rec.record);
      } else {
        report->AddProcessed(rec.record.doc, rec.body.tokens.size(),
                             rec.body.boilerplate_lines_dropped);
      }
      STORYSIFT_RETURN_IF_ERROR(sink(i, rec));
    }
  }
  return absl::OkStatus();
}

}  // namespace storysift
