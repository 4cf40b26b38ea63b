// A processed corpus in memory, compactly: what the batch commands (dedup,
// cluster, tune) need of each document after the per-document stages ran,
// in ordinal order, plus the position of every input record (processed or
// skipped) so output can follow input order.
#ifndef STORYSIFT_CORPUS_H_
#define STORYSIFT_CORPUS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/copy_grouper.h"
#include "pipeline/document_pipeline.h"
#include "storysift/document_table.h"
#include "storysift/normalize.h"
#include "storysift/report.h"
#include "storysift/sketcher.h"
#include "storysift/tfidf.h"

namespace storysift {

struct CorpusOptions {
  SketchOptions sketch;
  // Keep each document's shingle set (exact Jaccard verification).
  bool keep_shingles = false;
  // Keep each document's normalized text (for --explain and novelty terms).
  bool keep_text = false;
  // Keep each document's full Document (for writing a deduplicated corpus).
  bool keep_documents = false;
  // Called with each processed document by the single writer, in ordinal
  // order (e.g. to spool its raw bytes); an error stops the load.
  std::function<absl::Status(const Document&)> on_document;
  // Keep each document's title (for story headlines).
  bool keep_titles = false;
  PipelineOptions pipeline;
  // kMinHash with sketch.verify_bits < 32: the LSH bands the grouping will
  // use (ResolveLshParams). When set, the corpus keeps only b-bit rows and
  // 32-bit band keys, not the full signatures; {0, 0} keeps full signatures
  // too (for groupings whose bands are not known yet, e.g. tune).
  LshParams band_params;
};

// The documents (DocumentTable: ids, metadata, what was kept) plus their
// sketches, which the copy grouping reads and then releases.
struct Corpus : DocumentTable {
  int num_perm = 0;
  // kMinHash. Full signatures (num_docs * num_perm) unless the corpus is
  // compact: verify_bits < 32 and band_params set. Rows of verify_bits bits a
  // slot (bbit_minhash.h) when verify_bits < 32. Band keys (num_docs *
  // band_params.num_bands, short keys) when band_params is set.
  std::vector<uint32_t> minhash;
  int verify_bits = 32;
  std::vector<uint8_t> verify;
  LshParams band_params;
  std::vector<uint32_t> band_keys;
  std::vector<uint64_t> simhash;    // num_docs (kSimHash).
  std::vector<uint32_t> set_sizes;  // Shingle-set sizes (kMinHash).
  std::vector<std::vector<uint64_t>> shingles;  // When keep_shingles.
  RunReport report;

  SketchTable sketch_table() const;

  // Frees the sketches (signatures, b-bit rows, band keys, SimHashes, set
  // sizes, shingle sets) once copy grouping is done, so the story stage
  // does not carry them; sketch_table() is empty afterwards.
  void ReleaseSketches();
};

// Reads `input` through normalization and sketching (in parallel) and
// collects the corpus. When `vectorizer` is given, every document is also
// added to it (title and body), in ordinal order. Returns the first fatal
// input error; bad records are skipped and counted in Corpus::report.
// Runs on context.threads workers.
absl::StatusOr<Corpus> LoadCorpus(InputStream& input, const Normalizer& normalizer,
                                  const CorpusOptions& options, const RunContext& context,
                                  TfidfVectorizer* vectorizer = nullptr);

}  // namespace storysift

#endif  // STORYSIFT_CORPUS_H_
