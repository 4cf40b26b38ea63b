#include "storysift/tfidf.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cmath>
#include <functional>

#include "absl/strings/str_format.h"
#include "storysift/idf_model.h"
#include "pipeline/parallel.h"
#include "vector/label_terms.h"
#include "vector/term_table.h"
#include "vector/tfidf_weighting.h"

namespace storysift {

const float kDefaultNameWeight = 3.0f;
const float kDefaultTableWordWeight = 0.25f;

namespace {

using internal::TermShard;
using internal::TermTable;

// One shard's provisional ids for a batch, in document order, entry order:
// document d's are ids[doc_start[d] .. doc_start[d + 1]).
struct ShardIds {
  std::vector<uint32_t> ids;
  std::vector<uint32_t> doc_start;
};

// Finds where each shard's run of entries starts in each document and sorts
// the name uses into per-shard lists, by contiguous ranges of documents
// ("parts", on the threads), so that each document's entries are read in
// order. The entries stay where they are: copying every use into per-shard
// lists (as before) wrote the whole batch's entries again. `beside` runs as
// one more task, on whichever thread takes it first.
void IndexByShard(absl::Span<const TfidfVectorizer::CountedDoc> docs, int threads,
                  TermTable* terms, const std::function<void()>& beside) {
  constexpr size_t kStride = TermTable::kShards + 1;
  const size_t n = docs.size();
  std::vector<TermTable::PartUses>& parts = terms->part_uses;
  parts.resize(std::min(TermTable::kParts, n));
  terms->shard_start.resize(n * kStride);
  const size_t np = parts.size();
  ParallelFor(np + 1, threads, [&](size_t task) {
    if (task == 0) {
      beside();
      return;
    }
    const size_t p = task - 1;
    TermTable::PartUses& part = parts[p];
    part.first_doc = n * p / np;
    part.end_doc = n * (p + 1) / np;
    for (auto& list : part.names) list.clear();
    for (size_t d = part.first_doc; d < part.end_doc; ++d) {
      const TermCounts& counts = *docs[d].counts;
      // Entries are sorted by term, so by shard: each one writes its index
      // + 1 as its shard's end (the run's last write stays), and a shard
      // without entries ends where the one before it does. A scan per shard
      // mispredicted the end of about every run.
      uint32_t* const start = terms->shard_start.data() + d * kStride;
      std::fill_n(start, kStride, 0u);
      const TermCounts::Entry* const entries = counts.entries.data();
      const auto size = static_cast<uint32_t>(counts.entries.size());
      for (uint32_t k = 0; k < size; ++k) start[TermTable::ShardOf(entries[k].term) + 1] = k + 1;
      for (size_t s = 1; s < kStride; ++s) start[s] = std::max(start[s], start[s - 1]);
      for (size_t name = 0; name < counts.names.size(); ++name) {
        const uint64_t term = counts.names[name].term;
        part.names[TermTable::ShardOf(term)].push_back(
            {term, static_cast<uint32_t>(d), static_cast<uint32_t>(name)});
      }
    }
  });
}

// Interns one shard's entries, documents in order, and records their ids.
// The ids go to a buffer of the shard's own, not into the rows: rows
// interleave all shards, and writing them from two threads would bounce
// cache lines. False when the shard has run out of ids.
bool InternShard(int shard, absl::Span<const TfidfVectorizer::CountedDoc> docs,
                 const TermTable& terms, TermShard* table, ShardIds* out) {
  constexpr size_t kStride = TermTable::kShards + 1;
  out->ids.clear();
  out->doc_start.resize(docs.size() + 1);
  const auto range = [&](size_t d) {
    const uint32_t* start = terms.shard_start.data() + d * kStride + shard;
    return std::make_pair(start[0], start[1]);
  };
  // The next document's slots are fetched while this one is interned.
  const auto prefetch = [&](size_t d) {
    if (d >= docs.size()) return;
    const auto [begin, end] = range(d);
    for (uint32_t k = begin; k < end; ++k) table->Prefetch(docs[d].counts->entries[k].term);
  };
  prefetch(0);
  for (const TermTable::PartUses& part : terms.part_uses) {
    for (size_t d = part.first_doc; d < part.end_doc; ++d) {
      out->doc_start[d] = static_cast<uint32_t>(out->ids.size());
      prefetch(d + 1);
      const TermCounts& counts = *docs[d].counts;
      const auto [begin, end] = range(d);
      // The ids are written in place (push_back stored its end pointer at
      // every entry) and the templated count is one pass after. On false
      // the caller drops *out, unfilled tail included.
      const size_t first = out->ids.size();
      out->ids.resize(first + (end - begin));
      uint32_t* const ids = out->ids.data() + first;
      for (uint32_t k = begin; k < end; ++k) {
        if (table->size() >= TermTable::kMaxLocalIds) return false;
        const uint32_t local =
            table->Intern(counts.entries[k].term, [&] { return counts.entry_form(k); });
        ids[k - begin] = TermTable::MakeId(shard, local);
      }
      if (counts.templated) {
        for (uint32_t k = 0; k < end - begin; ++k) {
          table->CountTemplated(TermTable::LocalOfId(ids[k]));
        }
      }
    }
    // The part's name uses after its entries, in document order (so the
    // first name form is the same): each names a term its own document's
    // entries interned (names have tf > 0). In their own list they cost no
    // branch per use on which kind it is.
    constexpr size_t kAhead = 32;  // Slots prefetched this many names ahead.
    const std::vector<TermTable::Use>& names = part.names[shard];
    for (size_t k = 0; k < names.size(); ++k) {
      if (k + kAhead < names.size()) table->Prefetch(names[k + kAhead].term);
      const TermTable::Use& u = names[k];
      const TermCounts& counts = *docs[u.doc].counts;
      table->CountName(u.term, [&] { return counts.name_form(u.index); });
    }
  }
  out->doc_start[docs.size()] = static_cast<uint32_t>(out->ids.size());
  return true;
}

}  // namespace

float Dot(SparseVectorView a, SparseVectorView b) {
  // Branch-free merge (the id comparisons are unpredictable); shared terms
  // are summed in ascending id order.
  size_t i = 0, j = 0;
  const size_t na = a.ids.size(), nb = b.ids.size();
  float sum = 0.0f;
  while (i < na && j < nb) {
    const uint32_t x = a.ids[i], y = b.ids[j];
    if (x == y) sum += a.weights[i] * b.weights[j];
    i += x <= y;
    j += y <= x;
  }
  return sum;
}

std::string_view Vocabulary::display(uint32_t id) const {
  const uint32_t begin = id == 0 ? 0 : display_end_[id - 1];
  return std::string_view(display_pool_).substr(begin, display_end_[id] - begin);
}

std::optional<uint32_t> Vocabulary::Find(uint64_t term_hash) const {
  auto it = id_of_.find(term_hash);
  if (it == id_of_.end()) return std::nullopt;
  return it->second;
}

std::string_view Vocabulary::label_display(uint32_t id) const {
  const uint32_t begin = id == 0 ? 0 : name_end_[id - 1];
  if (name_end_[id] == begin) return display(id);
  return std::string_view(name_pool_).substr(begin, name_end_[id] - begin);
}

SparseVectorView TfidfMatrix::row(size_t r) const {
  const uint64_t begin = r == 0 ? 0 : row_end_[r - 1];
  const size_t n = row_end_[r] - begin;
  return {absl::MakeConstSpan(ids_.data() + begin, n),
          absl::MakeConstSpan(weights_.data() + begin, n)};
}

std::optional<size_t> TfidfMatrix::FindRow(DocOrdinal ordinal) const {
  auto it = std::lower_bound(ordinals_.begin(), ordinals_.end(), ordinal);
  if (it == ordinals_.end() || *it != ordinal) return std::nullopt;
  return it - ordinals_.begin();
}

IdfModel TfidfMatrix::ToIdfModel() const {
  std::vector<IdfTerm> terms;
  terms.reserve(vocabulary_.size());
  for (uint32_t id = 0; id < vocabulary_.size(); ++id) {
    terms.push_back({vocabulary_.term_hash(id), corpus_df_[id],
                     std::string(vocabulary_.display(id))});
  }
  absl::StatusOr<IdfModel> model = IdfModel::FromTerms(num_rows(), std::move(terms));
  assert(model.ok());  // Our own counts are consistent by construction.
  return *std::move(model);
}

TfidfVectorizer::TfidfVectorizer(const TfidfOptions& options, const IdfModel* model)
    : options_(options), model_(model), terms_(std::make_unique<TermTable>()) {}
TfidfVectorizer::TfidfVectorizer(TfidfVectorizer&&) noexcept = default;
TfidfVectorizer& TfidfVectorizer::operator=(TfidfVectorizer&&) noexcept = default;
TfidfVectorizer::~TfidfVectorizer() = default;

absl::StatusOr<TfidfVectorizer> TfidfVectorizer::Create(const TfidfOptions& options,
                                                        const IdfModel* model) {
  if (!std::isfinite(options.title_weight) || options.title_weight < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "title_weight must be finite and >= 0, got %g", options.title_weight));
  }
  if (!std::isfinite(options.name_weight) || options.name_weight < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "name_weight must be finite and >= 0, got %g", options.name_weight));
  }
  if (!std::isfinite(options.idf_power) || options.idf_power < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("idf_power must be finite and >= 0, got %g", options.idf_power));
  }
  if (!std::isfinite(options.table_word_weight) || options.table_word_weight < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "table_word_weight must be finite and >= 0, got %g", options.table_word_weight));
  }
  if (options.max_terms_per_doc < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "max_terms_per_doc must be >= 0, got %d", options.max_terms_per_doc));
  }
  return TfidfVectorizer(options, model);
}

absl::Status TfidfVectorizer::Add(DocOrdinal ordinal, const NormalizedText& body,
                                  const NormalizedText* title) {
  CountTerms(options_, body, title, &scratch_);
  return AddCounts(ordinal, scratch_);
}

absl::Status TfidfVectorizer::AddCounts(DocOrdinal ordinal, const TermCounts& counts) {
  const CountedDoc doc{ordinal, &counts};
  return AddBatch(absl::MakeConstSpan(&doc, 1), 1);
}

absl::Status TfidfVectorizer::AddBatch(absl::Span<const CountedDoc> docs, int threads) {
  if (built_) return absl::FailedPreconditionError("Add() after Build()");
  terms_->threads = threads;
  TfidfMatrix& m = matrix_;
  std::optional<DocOrdinal> last;
  if (!m.ordinals_.empty()) last = m.ordinals_.back();
  for (const CountedDoc& doc : docs) {
    if (last.has_value() && doc.ordinal <= *last) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "ordinal %u added after %u: ordinals must increase", doc.ordinal, *last));
    }
    last = doc.ordinal;
  }
  // Rows are in term-hash order, as the counts; Build() renumbers ids in
  // hash order, which makes them sorted by id.
  std::vector<uint64_t> starts(docs.size());
  uint64_t end = m.ids_.size();
  for (size_t d = 0; d < docs.size(); ++d) {
    starts[d] = end;
    end += docs[d].counts->entries.size();
  }
  // The rows' growth (zeroed new pages; no copy, see growable_array.h)
  // runs beside the partition, which does not touch them. Huge pages: rows
  // are read at random later.
  const auto grow_rows = [&] {
    m.ids_.resize(end);
    m.weights_.resize(end);
  };
  std::array<ShardIds, TermTable::kShards> shard_ids;
  std::atomic<bool> out_of_ids{false};
  IndexByShard(docs, threads, terms_.get(), grow_rows);
  ParallelFor(TermTable::kShards, threads, [&](size_t s) {
    const int shard = static_cast<int>(s);
    if (!InternShard(shard, docs, *terms_, &terms_->shards[shard], &shard_ids[shard])) {
      out_of_ids = true;
    }
  });
  if (out_of_ids) {
    return absl::ResourceExhaustedError("TF-IDF vocabulary outgrew 32-bit term ids");
  }
  // Rows by document on the threads: each row takes the next id of its
  // term's shard.
  ParallelFor(docs.size(), threads, [&](size_t d) {
    std::array<uint32_t, TermTable::kShards> next;
    for (int s = 0; s < TermTable::kShards; ++s) next[s] = shard_ids[s].doc_start[d];
    uint64_t out = starts[d];
    for (const TermCounts::Entry& e : docs[d].counts->entries) {
      const int s = TermTable::ShardOf(e.term);
      m.ids_[out] = shard_ids[s].ids[next[s]++];
      m.weights_[out++] = e.tf;
    }
  });
  for (size_t d = 0; d < docs.size(); ++d) {
    terms_->templated_docs += docs[d].counts->templated;
    m.ordinals_.push_back(docs[d].ordinal);
    m.row_end_.push_back(starts[d] + docs[d].counts->entries.size());
  }
  return absl::OkStatus();
}

// Renumbers terms in hash order, so ids (and every tie broken by id) do not
// depend on the order documents arrived in. Shards hold consecutive ranges
// of hashes (top bits), so hash order is shard by shard, each one sorted:
// shard s takes the ids from the sum of the sizes before it, and the shards
// are renumbered on the threads (serially, this was ~15 ms of a 20k cluster
// run's wall time), each writing its own id range and its own string pools,
// which are joined in shard order after.
void TfidfVectorizer::CanonicalizeIds() {
  TfidfMatrix& m = matrix_;
  Vocabulary& v = m.vocabulary_;
  std::array<size_t, TermTable::kShards + 1> first_id{};
  for (int s = 0; s < TermTable::kShards; ++s) {
    first_id[s + 1] = first_id[s] + terms_->shards[s].size();
  }
  const size_t n = first_id[TermTable::kShards];
  v.hashes_.resize(n);
  v.display_end_.resize(n);
  v.label_kind_.resize(n);
  v.name_end_.resize(n);
  m.corpus_df_.resize(n);
  const internal::LabelCorpus corpus{static_cast<uint32_t>(m.num_rows()),
                                     terms_->templated_docs};
  struct Pools {
    std::string display, names;  // Ends are relative to these until joined.
  };
  std::array<Pools, TermTable::kShards> pools;
  std::array<std::vector<uint32_t>, TermTable::kShards> new_id;
  ParallelFor(TermTable::kShards, terms_->threads, [&](size_t s) {
    TermShard& shard = terms_->shards[s];
    Pools& pool = pools[s];
    new_id[s].resize(shard.size());
    uint32_t id = static_cast<uint32_t>(first_id[s]);
    for (const TermShard::Slot& slot : shard.SortedSlots()) {
      new_id[s][slot.id] = id;
      const std::string_view display = shard.display(slot.id);
      const TermShard::LabelEvidence& e = shard.evidence(slot.id);
      const std::string_view name_form = shard.name_form(slot.id);
      const LabelTermKind kind = internal::ClassifyLabelTerm(
          {display, name_form, slot.df, e.name_df, e.templated_df}, corpus);
      v.hashes_[id] = slot.term;
      pool.display.append(display);
      v.display_end_[id] = static_cast<uint32_t>(pool.display.size());
      v.label_kind_[id] = kind;
      if (kind == LabelTermKind::kName) pool.names.append(name_form);
      v.name_end_[id] = static_cast<uint32_t>(pool.names.size());
      m.corpus_df_[id] = slot.df;
      ++id;
    }
    shard.Clear();  // Frees the shard before the thread's next one.
  });
  for (int s = 0; s < TermTable::kShards; ++s) {
    const auto display_offset = static_cast<uint32_t>(v.display_pool_.size());
    const auto name_offset = static_cast<uint32_t>(v.name_pool_.size());
    v.display_pool_.append(pools[s].display);
    v.name_pool_.append(pools[s].names);
    for (size_t id = first_id[s]; id < first_id[s + 1]; ++id) {
      v.display_end_[id] += display_offset;
      v.name_end_[id] += name_offset;
    }
  }
  std::vector<TermTable::PartUses>().swap(terms_->part_uses);
  std::vector<uint32_t>().swap(terms_->shard_start);
  // Task 0 fills the hash -> id map (one map: serial) beside the other
  // tasks, which rewrite the rows' ids.
  constexpr size_t kChunk = size_t{1} << 16;
  const size_t chunks = (m.ids_.size() + kChunk - 1) / kChunk;
  ParallelFor(chunks + 1, terms_->threads, [&](size_t task) {
    if (task == 0) {
      v.id_of_.reserve(n);
      for (size_t id = 0; id < n; ++id) {
        v.id_of_.try_emplace(v.hashes_[id], static_cast<uint32_t>(id));
      }
      return;
    }
    const size_t c = task - 1;
    const size_t end = std::min(m.ids_.size(), (c + 1) * kChunk);
    for (size_t k = c * kChunk; k < end; ++k) {
      const uint32_t id = m.ids_[k];
      m.ids_[k] = new_id[TermTable::ShardOfId(id)][TermTable::LocalOfId(id)];
    }
  });
}

absl::StatusOr<TfidfMatrix> TfidfVectorizer::Build() {
  if (built_) return absl::FailedPreconditionError("Build() called twice");
  built_ = true;
  CanonicalizeIds();
  TfidfMatrix& m = matrix_;
  const size_t vocab = m.vocabulary_.size();
  m.idf_.resize(vocab);
  const double n_docs = model_ != nullptr ? static_cast<double>(model_->num_docs())
                                          : static_cast<double>(m.num_rows());
  constexpr size_t kTermsPerTask = size_t{1} << 14;
  ParallelFor((vocab + kTermsPerTask - 1) / kTermsPerTask, terms_->threads, [&](size_t c) {
    for (size_t id = c * kTermsPerTask; id < std::min(vocab, (c + 1) * kTermsPerTask); ++id) {
      const double df = model_ != nullptr
                            ? model_->df(m.vocabulary_.term_hash(static_cast<uint32_t>(id)))
                            : m.corpus_df_[id];
      m.idf_[id] = internal::IdfWeight(options_, n_docs, df);
    }
  });
  // Rows are independent: each one's sums run in the same order on any thread.
  std::vector<uint64_t> kept(m.num_rows());
  ParallelFor(m.num_rows(), terms_->threads, [&](size_t r) {
    thread_local std::vector<uint32_t> order;
    const uint64_t begin = r == 0 ? 0 : m.row_end_[r - 1], end = m.row_end_[r];
    for (uint64_t k = begin; k < end; ++k) {
      m.weights_[k] = internal::TermWeight(options_, m.weights_[k], m.idf_[m.ids_[k]]);
    }
    kept[r] = internal::FinishRow(options_, m.ids_.data() + begin, m.weights_.data() + begin,
                                  end - begin, &order);
  });
  // Rows that shrank move down, in order.
  uint64_t out = 0, begin = 0;
  for (size_t r = 0; r < m.num_rows(); ++r) {
    const uint64_t end = m.row_end_[r];
    if (out != begin) {
      std::copy_n(m.ids_.begin() + begin, kept[r], m.ids_.begin() + out);
      std::copy_n(m.weights_.begin() + begin, kept[r], m.weights_.begin() + out);
    }
    out += kept[r];
    m.row_end_[r] = out;
    begin = end;
  }
  // The capacity past the end (never touched unless rows shrank) goes back
  // in place.
  m.ids_.resize(out);
  m.weights_.resize(out);
  m.ids_.shrink_to_fit();
  m.weights_.shrink_to_fit();
  return std::move(matrix_);
}

}  // namespace storysift
