// Clustering and pair-list metrics. Everything is computed from counts: the
// contingency table n_ij (items with gold cluster i and predicted cluster j)
// and its margins a_i, b_j give the pair counts as sums of C(n, 2).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "storysift/eval.h"

namespace storysift {
namespace {

int64_t Choose2(int64_t n) { return n * (n - 1) / 2; }

// Harmonic mean, 0 when both are 0.
double F1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; }

double Ratio(int64_t num, int64_t den) {
  return den == 0 ? 1.0 : static_cast<double>(num) / static_cast<double>(den);
}

// Interns labels into dense cluster numbers.
class ClusterIds {
 public:
  uint32_t Of(const std::string& label) {
    auto [it, inserted] = ids_.try_emplace(label, sizes_.size());
    if (inserted) sizes_.push_back(0);
    ++sizes_[it->second];
    return it->second;
  }
  // A fresh singleton cluster (for an item the labeling lacks).
  uint32_t Singleton() {
    sizes_.push_back(1);
    return static_cast<uint32_t>(sizes_.size() - 1);
  }
  const std::vector<int64_t>& sizes() const { return sizes_; }

 private:
  absl::flat_hash_map<std::string, uint32_t> ids_;
  std::vector<int64_t> sizes_;
};

// Entropy (nats) of a partition with these cluster sizes.
double Entropy(const std::vector<int64_t>& sizes, double n) {
  double h = 0;
  for (int64_t s : sizes) {
    if (s > 0) h -= (s / n) * std::log(s / n);
  }
  return h;
}

// Cluster sizes with how many clusters have each, ascending.
std::vector<std::pair<int64_t, int64_t>> SizeCounts(std::vector<int64_t> sizes) {
  std::sort(sizes.begin(), sizes.end());
  std::vector<std::pair<int64_t, int64_t>> out;
  for (int64_t s : sizes) {
    if (!out.empty() && out.back().first == s) {
      ++out.back().second;
    } else {
      out.push_back({s, 1});
    }
  }
  return out;
}

// E[MI] under the hypergeometric model of random partitions with margins a
// and b (Vinh et al. 2010, eq. 24a). It depends on a pair of clusters only
// through their sizes, so clusters are grouped by size: the triple sum runs
// over distinct sizes, at most ~sqrt(2n) per side.
double ExpectedMutualInfo(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                          int64_t n) {
  const double dn = static_cast<double>(n);
  const double lg_n = std::lgamma(dn + 1);
  double emi = 0;
  for (const auto& [ai, ca] : SizeCounts(a)) {
    for (const auto& [bj, cb] : SizeCounts(b)) {
      const double fixed = std::lgamma(ai + 1.0) + std::lgamma(bj + 1.0) +
                           std::lgamma(dn - ai + 1) + std::lgamma(dn - bj + 1) - lg_n;
      double sum = 0;
      for (int64_t nij = std::max<int64_t>(1, ai + bj - n); nij <= std::min(ai, bj); ++nij) {
        const double log_p = fixed - std::lgamma(nij + 1.0) - std::lgamma(ai - nij + 1.0) -
                             std::lgamma(bj - nij + 1.0) -
                             std::lgamma(dn - ai - bj + nij + 1);
        sum += (nij / dn) * std::log(dn * nij / (static_cast<double>(ai) * bj)) *
               std::exp(log_p);
      }
      emi += static_cast<double>(ca) * static_cast<double>(cb) * sum;
    }
  }
  return emi;
}

}  // namespace

absl::StatusOr<Labeling> MakeLabeling(
    absl::Span<const std::pair<std::string, std::string>> id_labels) {
  Labeling out;
  out.reserve(id_labels.size());
  for (const auto& [id, label] : id_labels) {
    if (!out.try_emplace(id, label).second) {
      return absl::InvalidArgumentError(
          absl::StrFormat("id \"%s\" is labelled twice", id));
    }
  }
  return out;
}

ClusterMetrics EvaluateClustering(const Labeling& predicted,
                                  const Labeling& gold) {
  ClusterMetrics m;
  ClusterIds gold_ids, pred_ids;
  // Contingency cell key: gold cluster << 32 | predicted cluster.
  absl::flat_hash_map<uint64_t, int64_t> cells;
  auto add = [&](uint32_t g, uint32_t p) {
    ++cells[(static_cast<uint64_t>(g) << 32) | p];
  };
  for (const auto& [id, label] : gold) {
    uint32_t g = gold_ids.Of(label);
    auto it = predicted.find(id);
    if (it == predicted.end()) {
      ++m.num_gold_only;
      add(g, pred_ids.Singleton());
    } else {
      add(g, pred_ids.Of(it->second));
    }
  }
  for (const auto& [id, label] : predicted) {
    if (gold.contains(id)) continue;
    ++m.num_predicted_only;
    add(gold_ids.Singleton(), pred_ids.Of(label));
  }
  m.num_items = static_cast<int64_t>(gold.size()) + m.num_predicted_only;
  m.num_gold_clusters = static_cast<int64_t>(gold_ids.sizes().size());
  m.num_predicted_clusters = static_cast<int64_t>(pred_ids.sizes().size());
  if (m.num_items == 0) return m;

  const std::vector<int64_t>& a = gold_ids.sizes();
  const std::vector<int64_t>& b = pred_ids.sizes();
  int64_t both = 0;
  // B-cubed sums: item e in cell (i,j) has precision n_ij/b_j and recall
  // n_ij/a_i (Bagga & Baldwin 1998); a cell contributes n_ij times that.
  double bc_p = 0, bc_r = 0;
  for (const auto& [key, n] : cells) {
    both += Choose2(n);
    const auto g = static_cast<uint32_t>(key >> 32);
    const auto p = static_cast<uint32_t>(key & 0xffffffffu);
    bc_p += static_cast<double>(n) * n / static_cast<double>(b[p]);
    bc_r += static_cast<double>(n) * n / static_cast<double>(a[g]);
  }
  int64_t sum_a = 0, sum_b = 0;
  for (int64_t s : a) sum_a += Choose2(s);
  for (int64_t s : b) sum_b += Choose2(s);

  m.same_cluster_pairs_both = both;
  m.same_cluster_pairs_gold = sum_a;
  m.same_cluster_pairs_predicted = sum_b;
  m.pair_precision = Ratio(both, sum_b);
  m.pair_recall = Ratio(both, sum_a);
  m.pair_f1 = F1(m.pair_precision, m.pair_recall);

  // ARI = (Index - Expected) / (Max - Expected), with Index = sum C(n_ij,2),
  // Expected = sum_a * sum_b / C(n,2), Max = (sum_a + sum_b) / 2
  // (Hubert & Arabie 1985). Doubles: sum_a * sum_b overflows int64 at ~1e5.
  const double total = static_cast<double>(Choose2(m.num_items));
  const double expected =
      total > 0 ? static_cast<double>(sum_a) * static_cast<double>(sum_b) / total
                : 0.0;
  const double max_index = 0.5 * (static_cast<double>(sum_a) + sum_b);
  const double den = max_index - expected;
  m.adjusted_rand_index =
      den == 0 ? 1.0 : (static_cast<double>(both) - expected) / den;

  const double n = static_cast<double>(m.num_items);
  m.bcubed_precision = bc_p / n;
  m.bcubed_recall = bc_r / n;
  m.bcubed_f1 = F1(m.bcubed_precision, m.bcubed_recall);

  // MI = sum n_ij/n ln(n n_ij / (a_i b_j)).
  double mi = 0;
  for (const auto& [key, nij] : cells) {
    const double ai = static_cast<double>(a[key >> 32]);
    const double bj = static_cast<double>(b[key & 0xffffffffu]);
    mi += (nij / n) * std::log(n * nij / (ai * bj));
  }
  const double mean_h = 0.5 * (Entropy(a, n) + Entropy(b, n));
  // Both partitions trivial (one cluster, or all singletons, on both sides):
  // MI and the entropies are all 0; identical partitions score 1.
  constexpr double kTiny = 1e-12;
  if (mean_h < kTiny) {
    m.normalized_mutual_info = 1.0;
    m.adjusted_mutual_info = 1.0;
  } else {
    m.normalized_mutual_info = std::clamp(mi / mean_h, 0.0, 1.0);
    const double emi = ExpectedMutualInfo(a, b, m.num_items);
    const double den_ami = mean_h - emi;
    m.adjusted_mutual_info = std::abs(den_ami) < kTiny ? 1.0 : (mi - emi) / den_ami;
  }
  return m;
}

IdPair IdPair::Canonical(std::string_view x, std::string_view y) {
  if (y < x) std::swap(x, y);
  return IdPair{std::string(x), std::string(y)};
}

namespace {

// Interns ids so a pair becomes one 64-bit key.
class PairKeys {
 public:
  uint64_t Key(const std::string& x, const std::string& y) {
    uint64_t i = Intern(x), j = Intern(y);
    if (j < i) std::swap(i, j);
    return (i << 32) | j;
  }

 private:
  uint64_t Intern(const std::string& s) {
    return ids_.try_emplace(s, static_cast<uint32_t>(ids_.size()))
        .first->second;
  }
  absl::flat_hash_map<std::string, uint32_t> ids_;
};

}  // namespace

PairMetrics EvaluatePairs(absl::Span<const IdPair> predicted,
                          absl::Span<const IdPair> gold) {
  PairKeys keys;
  absl::flat_hash_set<uint64_t> gold_set, pred_set;
  for (const IdPair& p : gold) {
    if (p.a != p.b) gold_set.insert(keys.Key(p.a, p.b));
  }
  for (const IdPair& p : predicted) {
    if (p.a != p.b) pred_set.insert(keys.Key(p.a, p.b));
  }
  PairMetrics m;
  m.num_gold = static_cast<int64_t>(gold_set.size());
  m.num_predicted = static_cast<int64_t>(pred_set.size());
  for (uint64_t k : pred_set) m.num_true_positive += gold_set.contains(k);
  m.precision = Ratio(m.num_true_positive, m.num_predicted);
  m.recall = Ratio(m.num_true_positive, m.num_gold);
  m.f1 = F1(m.precision, m.recall);
  return m;
}

std::vector<IdPair> PairsFromLabeling(const Labeling& labeling) {
  absl::flat_hash_map<std::string_view, std::vector<std::string_view>> groups;
  for (const auto& [id, label] : labeling) groups[label].push_back(id);
  std::vector<IdPair> out;
  for (auto& [label, ids] : groups) {
    std::sort(ids.begin(), ids.end());
    for (size_t i = 0; i < ids.size(); ++i) {
      for (size_t j = i + 1; j < ids.size(); ++j) {
        out.push_back(IdPair{std::string(ids[i]), std::string(ids[j])});
      }
    }
  }
  std::sort(out.begin(), out.end());  // Hash-map order must not leak out.
  return out;
}

std::vector<IdPair> PairsAtLeast(absl::Span<const ScoredPair> pairs,
                                 double min_score) {
  std::vector<IdPair> out;
  for (const ScoredPair& p : pairs) {
    if (p.score >= min_score) out.push_back(IdPair::Canonical(p.a, p.b));
  }
  return out;
}

// --- Threshold sweep ---------------------------------------------------------

ThresholdCurve ComputeThresholdCurve(absl::Span<const ScoredPair> candidates,
                                     absl::Span<const IdPair> gold) {
  PairKeys keys;
  absl::flat_hash_set<uint64_t> gold_set;
  for (const IdPair& p : gold) {
    if (p.a != p.b) gold_set.insert(keys.Key(p.a, p.b));
  }
  // Distinct candidates, highest score kept.
  absl::flat_hash_map<uint64_t, double> best;
  for (const ScoredPair& c : candidates) {
    if (c.a == c.b) continue;
    auto [it, inserted] = best.try_emplace(keys.Key(c.a, c.b), c.score);
    if (!inserted) it->second = std::max(it->second, c.score);
  }
  std::vector<std::pair<double, bool>> scored;  // (score, is gold)
  scored.reserve(best.size());
  for (const auto& [key, score] : best) {
    scored.emplace_back(score, gold_set.contains(key));
  }
  std::sort(scored.begin(), scored.end(),
            [](const auto& x, const auto& y) { return x.first > y.first; });

  ThresholdCurve curve;
  curve.num_gold = static_cast<int64_t>(gold_set.size());
  int64_t predicted = 0, tp = 0;
  for (size_t i = 0; i < scored.size(); ++i) {
    ++predicted;
    tp += scored[i].second;
    // Emit once per distinct score, after all candidates with that score.
    if (i + 1 < scored.size() && scored[i + 1].first == scored[i].first) continue;
    ThresholdPoint pt;
    pt.threshold = scored[i].first;
    pt.num_predicted = predicted;
    pt.num_true_positive = tp;
    pt.precision = Ratio(tp, predicted);
    pt.recall = Ratio(tp, curve.num_gold);
    pt.f1 = F1(pt.precision, pt.recall);
    curve.points.push_back(pt);
  }
  return curve;
}

std::optional<ThresholdPoint> BestF1Threshold(const ThresholdCurve& curve) {
  std::optional<ThresholdPoint> best;
  for (const ThresholdPoint& p : curve.points) {  // Descending thresholds.
    if (!best || p.f1 > best->f1) best = p;
  }
  return best;
}

std::optional<ThresholdPoint> LowestThresholdForPrecision(
    const ThresholdCurve& curve, double target_precision) {
  std::optional<ThresholdPoint> found;
  for (const ThresholdPoint& p : curve.points) {
    if (p.precision >= target_precision) found = p;
  }
  return found;
}

}  // namespace storysift
