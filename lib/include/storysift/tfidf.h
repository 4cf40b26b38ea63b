// TF-IDF vectors for story clustering and novelty: each document becomes an
// L2-normalised sparse vector over a corpus vocabulary of term hashes, so that
// the cosine of two documents is one sparse dot product.
//
// Weighting (Salton and Buckley 1988, "Term-weighting approaches in automatic
// text retrieval"; smoothed idf as in scikit-learn's TfidfTransformer):
//   tf      = count in body + title_weight * count in title
//   tf'     = 1 + ln(tf) when tf >= 1 (sublinear), tf otherwise
//   idf     = ln((1 + N) / (1 + df)) + 1
//   w       = tf' * idf, then the vector is scaled to unit L2 norm.
// N and df come from the corpus itself or from a loaded IdfModel (a term the
// model lacks gets df = 0, the largest idf).
#ifndef STORYSIFT_TFIDF_H_
#define STORYSIFT_TFIDF_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storysift/document.h"
#include "storysift/growable_array.h"
#include "storysift/normalize.h"

namespace storysift {

class IdfModel;
namespace internal {
struct TermTable;
}  // namespace internal

// A read-only view of a sparse vector: term ids strictly increasing, one
// weight per id. Points into storage owned elsewhere (a TfidfMatrix).
struct SparseVectorView {
  absl::Span<const uint32_t> ids;
  absl::Span<const float> weights;
  size_t size() const { return ids.size(); }
};

// An owning sparse vector with the same invariants as SparseVectorView.
struct SparseVector {
  std::vector<uint32_t> ids;
  std::vector<float> weights;
  SparseVectorView view() const { return {ids, weights}; }
};

// Sparse dot product by merging the sorted id lists. For unit vectors this is
// the cosine similarity. REQUIRES: ids of both sorted ascending.
float Dot(SparseVectorView a, SparseVectorView b);

// How a term may appear in a story label.
enum class LabelTermKind : uint8_t {
  kName,      // Mostly written capitalised inside a sentence, or a ticker.
  kWord,      // Any other word.
  kLate,      // A word holding a digit ("g7"): only when too few others.
  kExcluded,  // A number, a wire abbreviation or a template word: never.
};

// Maps 64-bit term hashes (Token::term) to dense ids 0..size()-1 and keeps a
// display string per term: the first folded surface form seen, documents
// being added in ordinal order. In a built TfidfMatrix, ids follow term hash
// order, so they do not depend on the order of the input.
// Thread safety: const methods are safe to call concurrently.
class Vocabulary {
 public:
  size_t size() const { return hashes_.size(); }
  uint64_t term_hash(uint32_t id) const { return hashes_[id]; }
  std::string_view display(uint32_t id) const;
  // Returns the id of `term_hash`, or nullopt when unseen.
  std::optional<uint32_t> Find(uint64_t term_hash) const;

  // What a term is worth in a story label, judged once from the whole
  // corpus (docs/quality.md, "Labels").
  LabelTermKind label_kind(uint32_t id) const { return label_kind_[id]; }
  // A term as a label shows it: a name as first written as a name
  // ("Gazprom", "IBM"), any other term as display() does.
  std::string_view label_display(uint32_t id) const;

 private:
  friend class TfidfVectorizer;  // Fills it, in TfidfVectorizer::Build().

  absl::flat_hash_map<uint64_t, uint32_t> id_of_;
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> display_end_;  // Offsets into display_pool_.
  std::string display_pool_;
  std::vector<LabelTermKind> label_kind_;
  std::vector<uint32_t> name_end_;  // Offsets into name_pool_ (empty: not a name).
  std::string name_pool_;
};

// Defaults of the event weighting, measured on every dev set with one
// setting (docs/quality.md, bench/quality/story_quality.sh).
extern const float kDefaultNameWeight;
extern const float kDefaultTableWordWeight;

struct TfidfOptions {
  // Multiplier of title term counts (titles name the story).
  float title_weight = 2.0f;
  // Multiplier of the count of a name: a capitalised word inside a sentence
  // of mixed-case text, or a ticker written <ABC>. Names and places tell two
  // events of one kind apart (two earthquakes, two companies' results).
  // Texts in one case (all-caps wire titles, lowercased tweets) have none.
  float name_weight = kDefaultNameWeight;
  // Multiplier of the count of a word on a table line of the body (two or
  // more numbers, at least a third of the line's tokens: "Shr 1.18 dlrs vs
  // 1.04 dlrs"). Such template words recur in every results wire; the
  // numbers beside them are kept at full weight.
  float table_word_weight = kDefaultTableWordWeight;
  // Exponent of idf: w = tf' * idf^idf_power. Above 1 damps vocabulary
  // shared by many documents (templates: "shr", "vs", "mln") against the
  // rare terms that identify an event.
  float idf_power = 1.0f;
  bool sublinear_tf = true;
  // Keep only the highest-weighted terms of each document (then
  // renormalise); 0 keeps all. Bounds memory on huge corpora.
  int max_terms_per_doc = 0;
};

// The vectors of a corpus in compressed sparse rows: one flat array of ids
// and one of weights, with row offsets; no per-document heap objects.
// Thread safety: immutable; const methods are safe to call concurrently.
class TfidfMatrix {
 public:
  size_t num_rows() const { return ordinals_.size(); }
  // The ordinal given to TfidfVectorizer::Add for `row`. Rows are in Add
  // order, so ordinals are strictly increasing.
  DocOrdinal ordinal(size_t row) const { return ordinals_[row]; }
  SparseVectorView row(size_t row) const;
  // The row holding `ordinal`, or nullopt.
  std::optional<size_t> FindRow(DocOrdinal ordinal) const;

  const Vocabulary& vocabulary() const { return vocabulary_; }
  // Document frequency of a term in this corpus (body or title).
  uint32_t corpus_df(uint32_t term_id) const { return corpus_df_[term_id]; }
  // The idf used for the weights (from the corpus or from the model).
  float idf(uint32_t term_id) const { return idf_[term_id]; }

  // An IdfModel of this corpus's own document frequencies. `made_with`: the
  // options of the Normalizer that made the documents' tokens (the model
  // records them; see idf_model.h).
  IdfModel ToIdfModel(const NormalizeOptions& made_with) const;

 private:
  friend class TfidfVectorizer;
  Vocabulary vocabulary_;
  std::vector<DocOrdinal> ordinals_;
  std::vector<uint64_t> row_end_;  // Row r spans [row_end_[r-1], row_end_[r]).
  // The rows' entries, grown batch by batch without copies (see
  // growable_array.h).
  internal::GrowableArray<uint32_t> ids_;
  internal::GrowableArray<float> weights_;
  std::vector<uint32_t> corpus_df_;
  std::vector<float> idf_;
};

// One document's term frequencies, the per-document half of
// TfidfVectorizer::Add(): entries sorted by term hash, one per term, with
// the position of the term's first use (title tokens first, then body).
struct TermCounts {
  struct Entry {
    uint64_t term;
    float tf;
    uint32_t position;
  };
  std::vector<Entry> entries;
  // The terms (with tf > 0) used as a name: a capitalised word inside a
  // sentence of mixed-case text, or a ticker, not on a layout line; each once,
  // with the position of its first such use (for the name's written form).
  struct NameUse {
    uint64_t term;
    uint32_t position;
  };
  std::vector<NameUse> names;
  // The body is mostly layout lines (a results table, a dividend notice).
  bool templated = false;
  // The written forms a vocabulary keeps, so the counts stand without the
  // texts. Form k is forms[form_begin[k], form_end[k]): first each counted
  // term's display (the folded form of its first use) in first-use order,
  // then each name's form as written, in `names` order; entries[i]'s display
  // is form entry_form_index[i]. `forms` holds the folded texts whole (title,
  // then body; cheaper than a copy per term) and the names' forms after them.
  std::string forms;
  std::vector<uint32_t> form_begin;
  std::vector<uint32_t> form_end;
  std::vector<uint32_t> entry_form_index;
  std::string_view entry_form(size_t entry) const { return Form(entry_form_index[entry]); }
  std::string_view name_form(size_t name) const {
    return Form(form_end.size() - names.size() + name);
  }

 private:
  std::string_view Form(size_t k) const {
    return std::string_view(forms).substr(form_begin[k], form_end[k] - form_begin[k]);
  }
};

// Collects documents, then builds their TF-IDF vectors in one pass.
// Usage: Create(); Add() each document in ordinal order; Build() once.
// Thread safety: not thread-safe (one writer).
class TfidfVectorizer {
 public:
  // `model`, when given, supplies N and df instead of the corpus and must
  // outlive the vectorizer; the vectorizer does not see the Normalizer, so
  // the caller checks that its terms fit the model
  // (IdfModel::CheckTermOptions; the jobs and StoryAssigner do).
  // InvalidArgument on a negative or non-finite title_weight or a negative
  // max_terms_per_doc.
  static absl::StatusOr<TfidfVectorizer> Create(const TfidfOptions& options,
                                                const IdfModel* model = nullptr);
  TfidfVectorizer(TfidfVectorizer&&) noexcept;
  TfidfVectorizer& operator=(TfidfVectorizer&&) noexcept;
  ~TfidfVectorizer();

  // Adds one document: its body and optional title tokens (stop words, whose
  // term is 0, are skipped). InvalidArgument unless `ordinal` is greater
  // than every ordinal added before; FailedPrecondition after Build().
  absl::Status Add(DocOrdinal ordinal, const NormalizedText& body,
                   const NormalizedText* title = nullptr);

  // Add() in two halves, so the counting can run on worker threads:
  // CountTerms() is pure and thread-safe (reuses out's buffer); AddCounts()
  // then behaves exactly as Add(ordinal, body, title) would, given the
  // counts CountTerms() made of the same body and title with the same
  // options. The counts carry the written forms, so the texts may be gone.
  static void CountTerms(const TfidfOptions& options, const NormalizedText& body,
                         const NormalizedText* title, TermCounts* out);
  absl::Status AddCounts(DocOrdinal ordinal, const TermCounts& counts);

  // What AddCounts() takes, for AddBatch().
  struct CountedDoc {
    DocOrdinal ordinal;
    const TermCounts* counts;
  };
  // AddCounts() for several documents in ordinal order, with the vocabulary
  // lookups spread over `threads` threads (one task per group of term-hash
  // shards), so a corpus loader need not intern every term on its single
  // ordered-sink thread. The result is the same as adding the documents one
  // by one, for any thread count and any split into batches.
  // InvalidArgument (nothing added) unless the ordinals increase;
  // ResourceExhausted when the vocabulary outgrows 32-bit ids.
  absl::Status AddBatch(absl::Span<const CountedDoc> docs, int threads);

  // Computes all weights and hands over the matrix, on as many threads as
  // the last AddBatch() was given (same result). FailedPrecondition when
  // called twice.
  absl::StatusOr<TfidfMatrix> Build();

  const TfidfOptions& options() const { return options_; }

 private:
  TfidfVectorizer(const TfidfOptions& options, const IdfModel* model);
  void CanonicalizeIds();

  TfidfOptions options_;
  const IdfModel* model_;
  bool built_ = false;
  // Rows hold raw term frequencies and provisional term ids (terms_) until
  // Build(); matrix_.vocabulary_ is filled only then.
  TfidfMatrix matrix_;
  std::unique_ptr<internal::TermTable> terms_;
  TermCounts scratch_;  // Reused across Add() calls.
};

}  // namespace storysift

#endif  // STORYSIFT_TFIDF_H_
