#include "storysift/tfidf.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <cmath>

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

// Term shards are interned in groups of contiguous shards, one task a
// group, documents in order. Each shard sees the same calls in the same
// order however the shards are grouped, so ids depend neither on the
// grouping nor on the thread count. Contiguous shards are one run of each
// document's entries (sorted by term, so by shard: the top bits). A task a
// shard (as before) needed a pass of its own over the batch to find every
// shard's runs and a third pass to put the ids, buffered per shard, in the
// rows. One group per thread (the number of groups is a power of two):
// at 2 threads, 4 groups (of 8 shards) took 1.1x and 8 groups 1.3x the
// interning samples of 2 groups, as each group reads all of a document's
// name uses and finds its run.
int ShardGroupsFor(int threads) {
  int groups = 1;
  while (groups < threads && groups < TermTable::kShards) groups *= 2;
  return groups;
}

constexpr size_t kCacheLine = 64;
// Entries between the one interned and the one whose slot is fetched.
constexpr uint32_t kPrefetchAhead = 16;

// The first entry of `counts` in `shard` or a later one. Term hashes are
// uniform, so it lies near the shard's share of the entries: a walk from
// there reads a line or two (a binary search's dependent loads missed the
// cache at each step: the entries were written on another core).
uint32_t FirstEntryOfShard(const TermCounts& counts, int shard) {
  const TermCounts::Entry* const entries = counts.entries.data();
  const auto n = static_cast<uint32_t>(counts.entries.size());
  if (shard >= TermTable::kShards) return n;
  const uint64_t first_term = TermTable::FirstTermOf(shard);
  auto k = static_cast<uint32_t>(uint64_t{n} * static_cast<uint32_t>(shard) /
                                 TermTable::kShards);
  while (k > 0 && entries[k - 1].term >= first_term) --k;
  while (k < n && entries[k].term < first_term) ++k;
  return k;
}

// A batch document's entries of one group of shards: [begin, end).
struct GroupRun {
  uint32_t begin = 0, end = 0;
};
GroupRun RunOfGroup(const TermCounts& counts, int first_shard, int end_shard) {
  return {FirstEntryOfShard(counts, first_shard), FirstEntryOfShard(counts, end_shard)};
}

// Interns the entries and name uses of shards [first_shard, end_shard),
// documents in order, and writes each entry's provisional id and tf to its
// place in the rows (row d starts at row_start[d]; groups write disjoint
// ranges of it). False when a shard has run out of ids.
bool InternShardGroup(int first_shard, int end_shard,
                      absl::Span<const TfidfVectorizer::CountedDoc> docs,
                      const uint64_t* row_start, TermTable* terms, uint32_t* row_ids,
                      float* row_tf) {
  // Slots are fetched kPrefetchAhead entries ahead of the one interned, on
  // into the next document's run, and the next document's name uses with
  // it (every group reads all of them). Fetching a whole document's slots
  // at once, one document ahead, left 36 % of the samples on the slot loads.
  const auto fetch = [terms](const TermCounts& counts, uint32_t k) {
    const uint64_t term = counts.entries[k].term;
    terms->shards[TermTable::ShardOf(term)].Prefetch(term);
  };
  GroupRun run = docs.empty() ? GroupRun() : RunOfGroup(*docs[0].counts, first_shard, end_shard);
  for (uint32_t k = run.begin; k < std::min(run.end, run.begin + kPrefetchAhead); ++k) {
    fetch(*docs[0].counts, k);
  }
  for (size_t d = 0; d < docs.size(); ++d) {
    const TermCounts& counts = *docs[d].counts;
    // The next document's run (empty after the last): its first
    // kPrefetchAhead entries are fetched as this run's last ones are
    // interned, or before them when this run is shorter.
    const TermCounts& next_counts = *docs[std::min(d + 1, docs.size() - 1)].counts;
    const GroupRun next =
        d + 1 < docs.size() ? RunOfGroup(next_counts, first_shard, end_shard) : GroupRun();
    const auto* next_names = reinterpret_cast<const char*>(next_counts.names.data());
    const size_t name_bytes = next_counts.names.size() * sizeof(TermCounts::NameUse);
    for (size_t b = 0; b < name_bytes; b += kCacheLine) __builtin_prefetch(next_names + b);
    const uint32_t length = run.end - run.begin;
    if (length < kPrefetchAhead) {
      const uint32_t early = std::min(next.end, next.begin + (kPrefetchAhead - length));
      for (uint32_t j = next.begin; j < early; ++j) fetch(next_counts, j);
    }
    uint32_t* const ids = row_ids + row_start[d];
    float* const tf = row_tf + row_start[d];
    for (uint32_t k = run.begin; k < run.end; ++k) {
      const uint32_t ahead = k + kPrefetchAhead;
      if (ahead < run.end) {
        fetch(counts, ahead);
      } else if (next.begin + (ahead - run.end) < next.end) {
        fetch(next_counts, next.begin + (ahead - run.end));
      }
      const TermCounts::Entry& e = counts.entries[k];
      const int shard = TermTable::ShardOf(e.term);
      TermShard& table = terms->shards[shard];
      if (table.size() >= TermTable::kMaxLocalIds) return false;
      const uint32_t local = table.Intern(e.term, [&] { return counts.entry_form(k); });
      if (counts.templated) table.CountTemplated(local);
      ids[k] = TermTable::MakeId(shard, local);
      tf[k] = e.tf;
    }
    // The document's name uses after its entries (so the first name form
    // is the first document's): each names a term its own entries
    // interned (names have tf > 0).
    for (size_t j = 0; j < counts.names.size(); ++j) {
      const uint64_t term = counts.names[j].term;
      const int shard = TermTable::ShardOf(term);
      if (shard < first_shard || shard >= end_shard) continue;
      terms->shards[shard].CountName(term, [&] { return counts.name_form(j); });
    }
    run = next;
  }
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

IdfModel TfidfMatrix::ToIdfModel(const NormalizeOptions& made_with) const {
  std::vector<IdfTerm> terms;
  terms.reserve(vocabulary_.size());
  for (uint32_t id = 0; id < vocabulary_.size(); ++id) {
    terms.push_back({vocabulary_.term_hash(id), corpus_df_[id],
                     std::string(vocabulary_.display(id))});
  }
  absl::StatusOr<IdfModel> model = IdfModel::FromTerms(num_rows(), std::move(terms), made_with);
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
  // The shard groups write every entry of the batch's rows.
  const size_t old_end = m.ids_.size();
  m.ids_.resize_for_overwrite(end);
  m.weights_.resize_for_overwrite(end);
  std::atomic<bool> out_of_ids{false};
  const int groups = ShardGroupsFor(ResolveThreadCount(threads));
  const int shards_per_group = TermTable::kShards / groups;
  ParallelFor(groups, threads, [&](size_t g) {
    const int first_shard = static_cast<int>(g) * shards_per_group;
    if (!InternShardGroup(first_shard, first_shard + shards_per_group, docs, starts.data(),
                          terms_.get(), m.ids_.data(), m.weights_.data())) {
      out_of_ids = true;
    }
  });
  if (out_of_ids) {
    m.ids_.resize(old_end);  // No half-written rows stay behind.
    m.weights_.resize(old_end);
    return absl::ResourceExhaustedError("TF-IDF vocabulary outgrew 32-bit term ids");
  }
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
  ParallelForBlocks(vocab, kTermsPerTask, terms_->threads, [&](size_t begin, size_t end) {
    for (size_t id = begin; id < end; ++id) {
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
