// Novelty inside a story: chronological redundancy scores (Allan, Wade and
// Bolivar 2003, "Retrieval and novelty detection at the sentence level";
// Zhang, Callan and Minka 2002, "Novelty and redundancy detection in
// adaptive filtering", max-cosine measure) or an MMR order when dates are
// missing (Carbonell and Goldstein 1998).
#include <algorithm>
#include <numeric>
#include <tuple>
#include <utility>

#include "absl/strings/str_format.h"
#include "cluster/dot_table.h"
#include "storysift/novelty.h"

namespace storysift {

absl::StatusOr<NoveltyRanking> RankByNovelty(absl::Span<const NoveltyItem> items,
                                             const Vocabulary& vocabulary,
                                             const NoveltyOptions& options) {
  if (options.new_terms < 0) return absl::InvalidArgumentError("new_terms < 0");
  if (!(options.mmr_lambda >= 0 && options.mmr_lambda <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("mmr_lambda must be in [0, 1], got %g", options.mmr_lambda));
  }
  const size_t n = items.size();
  if (n > 1) {  // One item (most stories) has no ordinal twice.
    std::vector<DocOrdinal> ords;
    ords.reserve(n);
    for (const NoveltyItem& it : items) ords.push_back(it.ordinal);
    std::sort(ords.begin(), ords.end());
    if (auto d = std::adjacent_find(ords.begin(), ords.end()); d != ords.end()) {
      return absl::InvalidArgumentError(absl::StrFormat("ordinal %u appears twice", *d));
    }
  }
  NoveltyRanking result;
  const bool all_dated = std::all_of(items.begin(), items.end(),
                                     [](const NoveltyItem& it) { return it.published.has_value(); });
  result.mode = all_dated ? NoveltyMode::kChronological : NoveltyMode::kMaximalMarginalRelevance;

  size_t id_bound = vocabulary.size();  // Above every id of every row.
  for (const NoveltyItem& it : items) {
    if (it.vector.size() > 0) {
      id_bound = std::max<size_t>(id_bound, it.vector.ids.back() + size_t{1});
    }
  }
  // Pairwise cosines (stories are small; n^2 sparse dots), Dot() bit for
  // bit: row i in the thread's DotTable, each later row streamed through it.
  std::vector<float> sim(n * n, 0.0f);
  if (n > 1) {
    internal::DotTable& table = internal::ThreadDotTable(id_bound);
    for (size_t i = 0; i + 1 < n; ++i) {
      table.Load(items[i].vector);
      for (size_t j = i + 1; j < n; ++j) {
        sim[i * n + j] = sim[j * n + i] = table.Dot(items[j].vector);
      }
    }
  }
  std::vector<uint32_t> originals, copies;
  for (uint32_t i = 0; i < n; ++i) (items[i].copy_of ? copies : originals).push_back(i);
  auto by_ordinal = [&](uint32_t a, uint32_t b) { return items[a].ordinal < items[b].ordinal; };

  // Reference order of the originals.
  std::vector<uint32_t> order;
  if (all_dated) {
    order = originals;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return std::tie(*items[a].published, items[a].ordinal) <
             std::tie(*items[b].published, items[b].ordinal);
    });
  } else {
    std::vector<double> central(n, 0.0);
    for (uint32_t a : originals) {
      for (uint32_t b : originals) central[a] += a == b ? 0.0 : sim[a * n + b];
      if (originals.size() > 1) central[a] /= static_cast<double>(originals.size() - 1);
    }
    std::vector<uint32_t> left = originals;
    std::sort(left.begin(), left.end(), by_ordinal);
    std::vector<double> max_sim(n, 0.0);
    while (!left.empty()) {
      size_t best = 0;
      double best_score = -1e300;
      for (size_t k = 0; k < left.size(); ++k) {
        const uint32_t c = left[k];
        const double score = order.empty() ? central[c]
                                           : options.mmr_lambda * central[c] -
                                                 (1 - options.mmr_lambda) * max_sim[c];
        if (score > best_score) {  // Strict: ties keep the smaller ordinal.
          best_score = score;
          best = k;
        }
      }
      const uint32_t pick = left[best];
      left.erase(left.begin() + best);
      order.push_back(pick);
      for (uint32_t c : left) max_sim[c] = std::max<double>(max_sim[c], sim[c * n + pick]);
    }
  }
  // Copies follow, by ordinal.
  std::sort(copies.begin(), copies.end(), by_ordinal);
  order.insert(order.end(), copies.begin(), copies.end());

  // Scores and new terms along the reference order.
  std::vector<RankedArticle> ranked;
  ranked.reserve(order.size());
  // Terms of the articles before, marked by id (a hash set's probes were
  // most of this function's time); unmarked again on the way out.
  thread_local std::vector<char> seen;
  thread_local std::vector<uint32_t> marked;
  if (seen.size() < id_bound) seen.resize(id_bound, 0);
  marked.clear();
  std::vector<std::pair<float, uint32_t>> fresh;
  for (size_t k = 0; k < order.size(); ++k) {
    const NoveltyItem& it = items[order[k]];
    float max_prev = 0.0f;
    for (size_t p = 0; p < k; ++p) max_prev = std::max(max_prev, sim[order[k] * n + order[p]]);
    RankedArticle a;
    a.ordinal = it.ordinal;
    a.novelty = std::clamp(1.0f - max_prev, 0.0f, 1.0f);
    a.copy_of = it.copy_of;
    // The new_terms heaviest unseen terms, heaviest first (ties: the smaller
    // term hash), in one pass: past the first few, a term is passed over
    // with one comparison (a partial_sort of all unseen terms built and
    // heaped them all). The order is total, so the terms are the same.
    const auto heavier = [&](const std::pair<float, uint32_t>& x,
                             const std::pair<float, uint32_t>& y) {
      if (x.first != y.first) return x.first > y.first;
      return vocabulary.term_hash(x.second) < vocabulary.term_hash(y.second);
    };
    const size_t keep = static_cast<size_t>(options.new_terms);
    fresh.clear();
    // Once `keep` terms are kept, the lightest one's weight (in a local: the
    // test runs for every term) passes over any strictly lighter term
    // without heavier()'s tie rule.
    float lightest = 0.0f;
    bool full = false;
    // The row and seen[] through locals: through the span and the
    // thread_local vector, the loop reloaded them (and kept its index in
    // memory) at every term.
    const float* weights = it.vector.weights.data();
    const uint32_t* ids = it.vector.ids.data();
    const size_t size = keep == 0 ? 0 : it.vector.size();
    char* const seen_by_id = seen.data();
    for (size_t t = 0; t < size; ++t) {
      // A term that cannot enter is passed over before seen[] (a cache miss)
      // is read.
      const std::pair<float, uint32_t> term{weights[t], ids[t]};
      if (full && (term.first < lightest || !heavier(term, fresh.back()))) continue;
      // Nothing is seen before the first article (a singleton story's only one).
      if (k != 0 && seen_by_id[term.second]) continue;
      if (full) fresh.pop_back();
      fresh.push_back(term);
      for (size_t j = fresh.size() - 1; j > 0 && heavier(fresh[j], fresh[j - 1]); --j) {
        std::swap(fresh[j], fresh[j - 1]);
      }
      full = fresh.size() == keep;
      if (full) lightest = fresh.back().first;
    }
    a.new_terms.reserve(fresh.size());
    for (const auto& [weight, id] : fresh) a.new_terms.emplace_back(vocabulary.display(id));
    if (k + 1 < order.size()) {  // No later article reads them (a singleton story: none).
      // Every id is listed for the unmarking, marked or not: a store per id
      // and no branch on seen[] (unmarking an id twice is harmless).
      marked.insert(marked.end(), it.vector.ids.begin(), it.vector.ids.end());
      for (size_t t = 0, n_ids = it.vector.size(); t < n_ids; ++t) seen_by_id[ids[t]] = 1;
    }
    ranked.push_back(std::move(a));
  }
  for (const uint32_t id : marked) seen[id] = 0;
  // Final rank: originals then copies, each by novelty desc, ties by ordinal.
  const size_t num_originals = originals.size();
  auto more_novel = [](const RankedArticle& x, const RankedArticle& y) {
    return x.novelty != y.novelty ? x.novelty > y.novelty : x.ordinal < y.ordinal;
  };
  std::sort(ranked.begin(), ranked.begin() + num_originals, more_novel);
  std::sort(ranked.begin() + num_originals, ranked.end(), more_novel);
  result.articles = std::move(ranked);
  return result;
}

}  // namespace storysift
