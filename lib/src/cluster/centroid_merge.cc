#include "cluster/centroid_merge.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "cluster/disjoint_sets.h"
#include "storysift/tfidf.h"

namespace storysift::internal {
namespace {

// A cluster in the merge: its centroid (sum of member unit vectors, ids
// ascending) and its size in items and in terms, for the length test.
struct Cluster {
  SparseVector centroid;
  double norm = 0;
  uint64_t items = 0;
  uint64_t terms = 0;
};

double NormOf(const SparseVector& v) {
  double s = 0;
  for (float w : v.weights) s += double{w} * w;
  return std::sqrt(s);
}

// a + b over sorted ids.
SparseVector Sum(const SparseVector& a, const SparseVector& b) {
  SparseVector out;
  out.ids.reserve(a.ids.size() + b.ids.size());
  out.weights.reserve(a.ids.size() + b.ids.size());
  size_t i = 0, j = 0;
  while (i < a.ids.size() || j < b.ids.size()) {
    if (j == b.ids.size() || (i < a.ids.size() && a.ids[i] < b.ids[j])) {
      out.ids.push_back(a.ids[i]);
      out.weights.push_back(a.weights[i++]);
    } else if (i == a.ids.size() || b.ids[j] < a.ids[i]) {
      out.ids.push_back(b.ids[j]);
      out.weights.push_back(b.weights[j++]);
    } else {
      out.ids.push_back(a.ids[i]);
      out.weights.push_back(a.weights[i++] + b.weights[j++]);
    }
  }
  return out;
}

}  // namespace

std::vector<SimilarPair> ShortItemPairs(absl::Span<const StoryItem> items,
                                        absl::Span<const SimilarPair> pairs, int max_terms) {
  std::vector<SimilarPair> out;
  if (max_terms <= 0) return out;
  // One byte an item, read per pair: a StoryItem is a cache line of its own,
  // and the pairs' second items are random reads (at 1M items, a miss each
  // on this serial step).
  std::vector<uint8_t> is_short(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    is_short[i] = items[i].vector.size() <= static_cast<size_t>(max_terms);
  }
  for (const SimilarPair& p : pairs) {
    if (is_short[p.a] & is_short[p.b]) out.push_back(p);
  }
  return out;
}

void MergeShortClusters(absl::Span<const StoryItem> items,
                        absl::Span<const SimilarPair> short_pairs, int max_terms,
                        float threshold, std::vector<uint32_t>* root) {
  if (short_pairs.empty()) return;
  std::vector<uint32_t>& r = *root;
  // Clusters touched by a candidate pair, keyed by root.
  absl::flat_hash_map<uint32_t, Cluster> clusters;
  for (const SimilarPair& p : short_pairs) {
    clusters.try_emplace(r[p.a]);
    clusters.try_emplace(r[p.b]);
  }
  // Centroids in item order, so the float sums do not depend on hashing.
  for (uint32_t i = 0; i < items.size(); ++i) {
    auto it = clusters.find(r[i]);
    if (it == clusters.end()) continue;
    Cluster& c = it->second;
    SparseVector v{{items[i].vector.ids.begin(), items[i].vector.ids.end()},
                   {items[i].vector.weights.begin(), items[i].vector.weights.end()}};
    c.centroid = c.items == 0 ? std::move(v) : Sum(c.centroid, v);
    ++c.items;
    c.terms += items[i].vector.size();
  }
  for (auto& [id, c] : clusters) c.norm = NormOf(c.centroid);
  const auto is_short = [&](const Cluster& c) {
    return c.terms <= c.items * static_cast<uint64_t>(max_terms);
  };
  std::vector<uint32_t> parent(r.size());
  for (uint32_t i = 0; i < parent.size(); ++i) parent[i] = i;

  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (const SimilarPair& p : short_pairs) {
    uint32_t a = r[p.a], b = r[p.b];
    if (a == b) continue;
    links.emplace_back(std::min(a, b), std::max(a, b));
  }
  absl::flat_hash_set<uint32_t> dirty;  // Clusters whose centroid changed.
  absl::flat_hash_map<uint64_t, float> cosine;
  std::vector<std::tuple<float, uint32_t, uint32_t>> ranked;
  absl::flat_hash_set<uint32_t> merged;
  for (;;) {
    std::sort(links.begin(), links.end());
    links.erase(std::unique(links.begin(), links.end()), links.end());
    ranked.clear();
    for (const auto& [a, b] : links) {
      const Cluster& ca = clusters.at(a);
      const Cluster& cb = clusters.at(b);
      if (!is_short(ca) || !is_short(cb)) continue;
      const uint64_t key = (uint64_t{a} << 32) | b;
      auto it = cosine.find(key);
      if (it == cosine.end() || dirty.contains(a) || dirty.contains(b)) {
        const double den = ca.norm * cb.norm;
        const float cos =
            den > 0 ? static_cast<float>(Dot(ca.centroid.view(), cb.centroid.view()) / den) : 0;
        it = cosine.insert_or_assign(key, cos).first;
      }
      if (it->second >= threshold) ranked.emplace_back(-it->second, a, b);
    }
    if (ranked.empty()) break;
    std::sort(ranked.begin(), ranked.end());
    merged.clear();
    dirty.clear();
    for (const auto& [neg_cos, a, b] : ranked) {
      if (merged.contains(a) || merged.contains(b)) continue;
      merged.insert(a);
      merged.insert(b);
      // b joins a (a < b): a keeps its number, so keys stay stable.
      parent[b] = a;
      Cluster& ca = clusters.at(a);
      Cluster& cb = clusters.at(b);
      ca.centroid = Sum(ca.centroid, cb.centroid);
      ca.norm = NormOf(ca.centroid);
      ca.items += cb.items;
      ca.terms += cb.terms;
      clusters.erase(b);
      dirty.insert(a);
    }
    for (auto& [a, b] : links) {
      a = FindRoot(parent, a);
      b = FindRoot(parent, b);
      if (a > b) std::swap(a, b);
    }
    links.erase(std::remove_if(links.begin(), links.end(),
                               [](const auto& l) { return l.first == l.second; }),
                links.end());
  }
  for (uint32_t& x : r) x = FindRoot(parent, x);
}

}  // namespace storysift::internal
