#include "pipeline/corpus.h"

#include <limits>

#include "storysift/bbit_minhash.h"
#include "pipeline/parallel.h"
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
  table.verify = verify;
  table.verify_bits = verify_bits;
  table.band_keys = band_keys;
  table.band_params = band_params;
  return table;
}

void Corpus::ReleaseSketches() {
  std::vector<uint32_t>().swap(minhash);
  std::vector<uint8_t>().swap(verify);
  std::vector<uint32_t>().swap(band_keys);
  std::vector<uint64_t>().swap(simhash);
  std::vector<uint32_t>().swap(set_sizes);
  std::vector<std::vector<uint64_t>>().swap(shingles);
}

absl::StatusOr<Corpus> LoadCorpus(InputStream& input, const Normalizer& normalizer,
                                  const CorpusOptions& options, const RunContext& context,
                                  TfidfVectorizer* vectorizer) {
  STORYSIFT_ASSIGN_OR_RETURN(Sketcher sketcher, Sketcher::Create(options.sketch));
  Corpus corpus;
  corpus.num_perm = sketcher.num_perm();
  const size_t k = static_cast<size_t>(corpus.num_perm);
  // Memory: the full signatures (4k bytes a document) are needed only for
  // LSH band keys and verification. Band keys (4 bytes a band) are made here,
  // on the worker threads, and verification reads b-bit rows (Li and König
  // 2010), so with a verifier set only those stay: 128 + 4 * bands bytes at
  // 8 bits and 128 slots instead of 512. Building the index here instead
  // would need the grouper's query order and thresholds in the loader.
  const int bits = k > 0 ? options.sketch.verify_bits : 32;
  const bool truncate = bits < 32;
  const Verifier* verifier = options.verifier ? &*options.verifier : nullptr;
  if (verifier != nullptr &&
      (verifier->kind() != options.sketch.kind || verifier->num_perm() != corpus.num_perm ||
       (k > 0 && verifier->verify_bits() != bits))) {
    return absl::InvalidArgumentError(
        "CorpusOptions: the verifier was made for another sketch than CorpusOptions::sketch");
  }
  const bool keyed = truncate && verifier != nullptr;
  if (keyed) corpus.band_params = verifier->bands();
  corpus.verify_bits = bits;
  const size_t row_bytes = truncate ? VerifyRowBytes(bits, corpus.num_perm) : 0;
  const size_t nb = keyed ? static_cast<size_t>(corpus.band_params.num_bands) : 0;
  std::vector<uint8_t> slot_verify;
  std::vector<uint32_t> slot_keys;

  // Per-slot results of the parallel stage, reused batch after batch.
  std::vector<uint32_t> slot_minhash;
  std::vector<uint64_t> slot_simhash;
  std::vector<uint32_t> slot_set_size;
  std::vector<std::vector<uint64_t>> slot_shingles;  // Only with keep_shingles.
  // TF-IDF term counting is per-document work too; interning the terms into
  // the shared vocabulary is done per batch, split by groups of term shards.
  // Read only by the batch stage, which is done with a batch before the
  // next one's stage starts (the sink, which overlaps it, never reads them):
  // one batch of them, by slot modulo the batch size (each holds ~10 KB).
  std::vector<TermCounts> slot_counts;
  const size_t counts_slots = options.pipeline.batch_size;
  auto stage = [&](size_t slot, const StagedRecord& rec) {
    // Working memory per thread, not per slot: a batch of slots' scratch
    // (tens of MB) was cold in cache at every document.
    thread_local Sketcher::Scratch scratch;
    scratch.keep_set = options.keep_shingles;
    sketcher.Compute(rec.body, absl::MakeSpan(slot_minhash).subspan(slot * k, k),
                     &slot_simhash[slot], &scratch);
    slot_set_size[slot] = scratch.set_size;
    if (options.keep_shingles) slot_shingles[slot] = scratch.shingles;
    const auto sig = absl::MakeConstSpan(slot_minhash).subspan(slot * k, k);
    const auto row = absl::MakeSpan(slot_verify).subspan(slot * row_bytes, row_bytes);
    if (keyed) {
      verifier->Encode(sig, row, absl::MakeSpan(slot_keys).subspan(slot * nb, nb));
    } else if (truncate) {
      TruncateSignature(sig, bits, row);  // The row alone: no bands yet.
    }
    if (vectorizer != nullptr) {
      TfidfVectorizer::CountTerms(vectorizer->options(), rec.body, &rec.title,
                                  &slot_counts[slot % counts_slots]);
    }
  };
  // The pipeline calls the stage only after sizing; size for its slots.
  const size_t batch = PipelineSlots(options.pipeline);
  slot_minhash.resize(batch * k);
  slot_verify.resize(batch * row_bytes);
  slot_keys.resize(batch * nb);
  slot_simhash.resize(batch);
  slot_set_size.resize(batch);
  if (options.keep_shingles) slot_shingles.resize(batch);
  if (vectorizer != nullptr) slot_counts.resize(counts_slots);

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
    corpus.meta.push_back({doc.published, static_cast<uint32_t>(rec.body_tokens)});
    if (options.keep_titles) corpus.titles.push_back(doc.title);
    if (k > 0) {
      if (!keyed) {
        const uint32_t* sig = slot_minhash.data() + slot * k;
        corpus.minhash.insert(corpus.minhash.end(), sig, sig + k);
      }
      if (truncate) {
        const uint8_t* row = slot_verify.data() + slot * row_bytes;
        corpus.verify.insert(corpus.verify.end(), row, row + row_bytes);
      }
      if (keyed) {
        const uint32_t* keys = slot_keys.data() + slot * nb;
        corpus.band_keys.insert(corpus.band_keys.end(), keys, keys + nb);
      }
    } else {
      corpus.simhash.push_back(slot_simhash[slot]);
    }
    if (k > 0) {
      corpus.set_sizes.push_back(slot_set_size[slot]);
    }
    if (options.keep_shingles) corpus.shingles.push_back(std::move(slot_shingles[slot]));
    if (options.keep_text) corpus.texts.push_back(rec.body);
    if (options.keep_documents) {
      // The report needs no raw bytes: a raw tail's temporary file (one
      // descriptor each) closes once on_document has them.
      corpus.documents.push_back(doc);
      std::string().swap(corpus.documents.back().raw);
      corpus.documents.back().raw_tail.reset();
    }
    if (options.on_document) return options.on_document(doc);
    return absl::OkStatus();
  };
  // The vocabulary lookups of a whole batch, on all threads (they were most
  // of a serial sink's time on large corpora), before the sink collects it.
  BatchStage intern_terms;
  std::vector<TfidfVectorizer::CountedDoc> batch_docs;
  if (vectorizer != nullptr) {
    const int threads = ResolveThreadCount(context.threads);
    intern_terms = [&, threads](size_t first_slot,
                                absl::Span<StagedRecord> batch) -> absl::Status {
      uint64_t next_ordinal = corpus.ids.size();  // As the sink will number them.
      batch_docs.clear();
      for (size_t i = 0; i < batch.size(); ++i) {
        if (batch[i].record.skipped()) continue;
        if (next_ordinal >= std::numeric_limits<DocOrdinal>::max()) break;  // Sink fails.
        batch_docs.push_back(
            {static_cast<DocOrdinal>(next_ordinal++), &slot_counts[(first_slot + i) % counts_slots]});
      }
      return vectorizer->AddBatch(batch_docs, threads);
    };
  }
  PipelineOptions pipeline = options.pipeline;
  pipeline.normalize_titles = vectorizer != nullptr;  // Titles feed TF-IDF only.
  // Bodies after the stage only for kept texts: the term counts carry the
  // forms TF-IDF's batch stage needs, so the bodies stay in the worker's
  // own buffers (normalizing into a fresh batch of them cost cluster ~0.2 s
  // CPU more than dedup on 20k documents).
  pipeline.keep_bodies = options.keep_text;
  STORYSIFT_RETURN_IF_ERROR(RunDocumentPipeline(input, normalizer, pipeline, context,
                                                &corpus.report, stage, intern_terms, sink));
  return corpus;
}

}  // namespace storysift
