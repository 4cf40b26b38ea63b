#include "storysift/tfidf.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#include "absl/strings/str_format.h"
#include "storysift/idf_model.h"

namespace storysift {

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

uint32_t Vocabulary::Intern(uint64_t term_hash, std::string_view display) {
  auto [it, inserted] = id_of_.try_emplace(term_hash, hashes_.size());
  if (inserted) {
    hashes_.push_back(term_hash);
    display_pool_.append(display);
    display_end_.push_back(display_pool_.size());
  }
  return it->second;
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

absl::StatusOr<TfidfVectorizer> TfidfVectorizer::Create(const TfidfOptions& options,
                                                        const IdfModel* model) {
  if (!std::isfinite(options.title_weight) || options.title_weight < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "title_weight must be finite and >= 0, got %g", options.title_weight));
  }
  if (options.max_terms_per_doc < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "max_terms_per_doc must be >= 0, got %d", options.max_terms_per_doc));
  }
  return TfidfVectorizer(options, model);
}

void TfidfVectorizer::CountTerms(const TfidfOptions& options, const NormalizedText& body,
                                 const NormalizedText* title, TermCounts* out) {
  std::vector<TermCounts::Entry>& terms = out->entries;
  terms.clear();
  const size_t title_tokens = title == nullptr ? 0 : title->tokens.size();
  // Uses are met in position order and summed into their term's entry
  // through a hash table (open addressing on the term hash's top bits), so
  // each entry keeps its first position and sums tf in position order, as
  // the sort by (term, position) this replaces did; then only the distinct
  // terms are sorted.
  int bits = 4;
  while ((size_t{1} << bits) < 2 * (title_tokens + body.tokens.size())) ++bits;
  const size_t mask = (size_t{1} << bits) - 1;
  std::vector<uint32_t>& slots = out->slots;
  slots.assign(mask + 1, 0);  // Entry index + 1; 0 is empty.
  auto use = [&](uint64_t term, float tf, size_t position) {
    for (size_t i = static_cast<size_t>(term >> (64 - bits));; i = (i + 1) & mask) {
      const uint32_t s = slots[i];
      if (s == 0) {
        terms.push_back({term, tf, static_cast<uint32_t>(position)});
        slots[i] = static_cast<uint32_t>(terms.size());
        return;
      }
      if (terms[s - 1].term == term) {
        terms[s - 1].tf += tf;
        return;
      }
    }
  };
  for (size_t i = 0; i < title_tokens; ++i) {
    if (title->tokens[i].term != 0) use(title->tokens[i].term, options.title_weight, i);
  }
  for (size_t i = 0; i < body.tokens.size(); ++i) {
    if (body.tokens[i].term != 0) use(body.tokens[i].term, 1.0f, title_tokens + i);
  }
  terms.erase(std::remove_if(terms.begin(), terms.end(),
                             [](const TermCounts::Entry& e) { return !(e.tf > 0.0f); }),
              terms.end());
  std::sort(terms.begin(), terms.end(), [](const TermCounts::Entry& a, const TermCounts::Entry& b) {
    return a.term < b.term;
  });
}

absl::Status TfidfVectorizer::Add(DocOrdinal ordinal, const NormalizedText& body,
                                  const NormalizedText* title) {
  CountTerms(options_, body, title, &scratch_);
  return AddCounts(ordinal, scratch_, body, title);
}

absl::Status TfidfVectorizer::AddCounts(DocOrdinal ordinal, const TermCounts& counts,
                                        const NormalizedText& body,
                                        const NormalizedText* title) {
  if (built_) return absl::FailedPreconditionError("Add() after Build()");
  TfidfMatrix& m = matrix_;
  if (!m.ordinals_.empty() && ordinal <= m.ordinals_.back()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "ordinal %u added after %u: ordinals must increase", ordinal,
        m.ordinals_.back()));
  }
  const size_t title_tokens = title == nullptr ? 0 : title->tokens.size();
  for (const TermCounts::Entry& e : counts.entries) {
    const uint32_t pos = e.position;
    assert(pos < title_tokens + body.tokens.size());
    const std::string_view surface = pos < title_tokens ? title->folded_token(pos)
                                                        : body.folded_token(pos - title_tokens);
    const uint32_t id = m.vocabulary_.Intern(e.term, surface);
    if (id == m.corpus_df_.size()) m.corpus_df_.push_back(0);
    ++m.corpus_df_[id];
    m.ids_.push_back(id);
    m.weights_.push_back(e.tf);
  }
  // The row is in term-hash order; Build() renumbers ids in hash order,
  // which makes it sorted by id.
  m.ordinals_.push_back(ordinal);
  m.row_end_.push_back(m.ids_.size());
  return absl::OkStatus();
}

// Renumbers terms in hash order, so ids (and every tie broken by id) do not
// depend on the order documents arrived in.
void TfidfVectorizer::CanonicalizeIds() {
  TfidfMatrix& m = matrix_;
  Vocabulary& v = m.vocabulary_;
  const size_t n = v.size();
  std::vector<uint32_t> by_hash(n);
  std::iota(by_hash.begin(), by_hash.end(), 0u);
  std::sort(by_hash.begin(), by_hash.end(),
            [&](uint32_t a, uint32_t b) { return v.hashes_[a] < v.hashes_[b]; });
  std::vector<uint32_t> new_id(n);
  for (uint32_t k = 0; k < n; ++k) new_id[by_hash[k]] = k;
  Vocabulary canon;
  canon.hashes_.reserve(n);
  canon.display_end_.reserve(n);
  canon.display_pool_.reserve(v.display_pool_.size());
  canon.id_of_.reserve(n);
  std::vector<uint32_t> df(n);
  for (uint32_t k = 0; k < n; ++k) {
    canon.Intern(v.hashes_[by_hash[k]], v.display(by_hash[k]));
    df[k] = m.corpus_df_[by_hash[k]];
  }
  v = std::move(canon);
  m.corpus_df_ = std::move(df);
  // Rows were emitted in hash order, so they stay sorted after renumbering.
  for (uint32_t& id : m.ids_) id = new_id[id];
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
  for (uint32_t id = 0; id < vocab; ++id) {
    const double df = model_ != nullptr ? model_->df(m.vocabulary_.term_hash(id))
                                        : m.corpus_df_[id];
    m.idf_[id] = static_cast<float>(std::log((1.0 + n_docs) / (1.0 + df)) + 1.0);
  }
  const size_t keep = options_.max_terms_per_doc;
  std::vector<uint32_t> order;
  size_t out = 0;  // Write cursor when rows shrink.
  uint64_t begin = 0;
  for (size_t r = 0; r < m.num_rows(); ++r) {
    const uint64_t end = m.row_end_[r];
    for (uint64_t k = begin; k < end; ++k) {
      const float tf = m.weights_[k];
      const float tfw = options_.sublinear_tf && tf >= 1.0f ? 1.0f + std::log(tf) : tf;
      m.weights_[k] = tfw * m.idf_[m.ids_[k]];
    }
    size_t n = end - begin;
    if (keep > 0 && n > keep) {
      // Keep the heaviest terms; ties by smaller id for determinism.
      order.resize(n);
      std::iota(order.begin(), order.end(), 0u);
      std::nth_element(order.begin(), order.begin() + keep, order.end(),
                       [&](uint32_t a, uint32_t b) {
                         const float wa = m.weights_[begin + a], wb = m.weights_[begin + b];
                         return wa != wb ? wa > wb : a < b;
                       });
      order.resize(keep);
      std::sort(order.begin(), order.end());  // Back to id order.
      for (size_t k = 0; k < keep; ++k) {
        m.ids_[begin + k] = m.ids_[begin + order[k]];
        m.weights_[begin + k] = m.weights_[begin + order[k]];
      }
      n = keep;
    }
    double norm2 = 0.0;
    for (size_t k = 0; k < n; ++k) norm2 += double{m.weights_[begin + k]} * m.weights_[begin + k];
    const float inv = norm2 > 0 ? static_cast<float>(1.0 / std::sqrt(norm2)) : 0.0f;
    for (size_t k = 0; k < n; ++k) {
      m.ids_[out + k] = m.ids_[begin + k];
      m.weights_[out + k] = m.weights_[begin + k] * inv;
    }
    out += n;
    m.row_end_[r] = out;
    begin = end;
  }
  m.ids_.resize(out);
  m.weights_.resize(out);
  m.ids_.shrink_to_fit();
  m.weights_.shrink_to_fit();
  return std::move(matrix_);
}

}  // namespace storysift
