#include "storysift/corpus.h"

#include <limits>

#include "storysift/status_macros.h"

namespace storysift {

SketchTable Corpus::sketch_table() const {
  SketchTable table;
  table.num_docs = num_docs();
  table.num_perm = num_perm;
  table.minhash = minhash;
  table.simhash = simhash;
  table.shingles = shingles;
  table.set_sizes = set_sizes;
  return table;
}

absl::StatusOr<Corpus> LoadCorpus(InputStream& input, const Normalizer& normalizer,
                                  const CorpusOptions& options,
                                  TfidfVectorizer* vectorizer) {
  STORYSIFT_ASSIGN_OR_RETURN(Sketcher sketcher, Sketcher::Create(options.sketch));
  Corpus corpus;
  corpus.num_perm = sketcher.num_perm();
  const size_t k = static_cast<size_t>(corpus.num_perm);

  // Per-slot results of the parallel stage, reused batch after batch.
  std::vector<uint32_t> slot_minhash;
  std::vector<uint64_t> slot_simhash;
  std::vector<Sketcher::Scratch> slot_scratch;
  auto stage = [&](size_t slot, const StagedRecord& rec) {
    sketcher.Compute(rec.body, absl::MakeSpan(slot_minhash).subspan(slot * k, k),
                     &slot_simhash[slot], &slot_scratch[slot]);
  };
  // The pipeline calls the stage only after sizing; size for a whole batch.
  const size_t batch = options.pipeline.batch_size;
  slot_minhash.resize(batch * k);
  slot_simhash.resize(batch);
  slot_scratch.resize(batch);

  auto sink = [&](size_t slot, StagedRecord& rec) -> absl::Status {
    if (rec.record.skipped()) {
      corpus.input_order.push_back(
          {true, static_cast<uint32_t>(corpus.report.skipped() - 1)});
      return absl::OkStatus();
    }
    if (corpus.ids.size() >= std::numeric_limits<DocOrdinal>::max()) {
      return absl::ResourceExhaustedError("more than 2^32 - 1 documents in one run");
    }
    const DocOrdinal ordinal = static_cast<DocOrdinal>(corpus.ids.size());
    const Document& doc = rec.record.doc;
    corpus.input_order.push_back({false, ordinal});
    corpus.ids.push_back(doc.id);
    corpus.meta.push_back({doc.published, static_cast<uint32_t>(rec.body.tokens.size())});
    if (k > 0) {
      const uint32_t* sig = slot_minhash.data() + slot * k;
      corpus.minhash.insert(corpus.minhash.end(), sig, sig + k);
    } else {
      corpus.simhash.push_back(slot_simhash[slot]);
    }
    if (k > 0) {
      corpus.set_sizes.push_back(static_cast<uint32_t>(slot_scratch[slot].shingles.size()));
    }
    if (options.keep_shingles) corpus.shingles.push_back(slot_scratch[slot].shingles);
    if (options.keep_text) corpus.texts.push_back(rec.body);
    if (options.keep_documents) corpus.documents.push_back(doc);
    if (vectorizer != nullptr) {
      STORYSIFT_RETURN_IF_ERROR(vectorizer->Add(ordinal, rec.body, &rec.title));
    }
    return absl::OkStatus();
  };
  STORYSIFT_RETURN_IF_ERROR(
      RunDocumentPipeline(input, normalizer, options.pipeline, &corpus.report, stage, sink));
  return corpus;
}

}  // namespace storysift
