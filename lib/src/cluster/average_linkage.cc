// Average-linkage clustering with a stopping threshold over a sparse graph
// (hierarchical agglomerative clustering as in the TDT retrospective event
// detection systems: Yang, Pierce and Carbonell 1998, "A study of
// retrospective and on-line event detection").
//
// Each live cluster keeps its neighbours with the sum of item-pair
// similarities (neighbour_lists.h); linkage = sum / (|A| |B|). A lazy
// max-heap of cluster pairs orders the merges.
#include "cluster/average_linkage.h"

#include <algorithm>
#include <queue>
#include <tuple>

#include "cluster/neighbour_lists.h"

namespace storysift::internal {
namespace {

struct HeapEntry {
  double linkage;
  DocOrdinal key_lo, key_hi;
  uint32_t a, b;
  bool operator<(const HeapEntry& o) const {  // Max-heap: higher linkage, lower keys first.
    if (linkage != o.linkage) return linkage < o.linkage;
    return std::tie(key_lo, key_hi) > std::tie(o.key_lo, o.key_hi);
  }
};

}  // namespace

std::vector<uint32_t> AverageLinkageRoots(uint32_t n, std::vector<SimilarPair>* pairs,
                                          const std::vector<DocOrdinal>& tie_keys,
                                          float threshold, int threads) {
  NeighbourLists lists(n, pairs, threads);
  // Cluster c is alive while parent[c] == c; its tie key is its smallest
  // member's key.
  std::vector<uint32_t> parent(n), size(n, 1);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  std::vector<DocOrdinal> min_key = tie_keys;
  // Average linkage of clusters a and b whose similarities sum to `sum`.
  auto average = [&](float sum, uint32_t a, uint32_t b) {
    return sum / (static_cast<double>(size[a]) * size[b]);
  };
  auto linkage = [&](uint32_t a, uint32_t b) { return average(lists.Sum(a, b), a, b); };
  // Lazy heap: every live pair above threshold has an entry whose priority
  // is >= its current one. A merge only lowers the linkage of `into`'s
  // untouched neighbours (its size grew), so only pairs whose sum grew are
  // pushed; an entry whose stored linkage is above the current one is
  // re-pushed when it surfaces. Popping an up-to-date entry thus yields the
  // same maximum, and the same merges, as re-pushing the whole
  // neighbourhood on every merge, which is quadratic around hub stories.
  //
  // Entries are totally ordered (two live pairs never share both keys), so
  // the merges depend only on which entries exist, not on where they are
  // kept. The initial ones (all edges above threshold) are sorted once and
  // read in order; the heap holds only entries pushed by merges, a small
  // fraction. One heap of all edges spent most of the agglomeration in
  // cache misses at its deep levels (hundreds of MB at 1M items).
  auto entry = [&](uint32_t a, uint32_t b, double sim) {
    const DocOrdinal lo = std::min(min_key[a], min_key[b]);
    const DocOrdinal hi = std::max(min_key[a], min_key[b]);
    return HeapEntry{sim, lo, hi, a, b};
  };
  std::vector<HeapEntry> initial;
  for (uint32_t a = 0; a < n; ++a) {
    for (const NeighbourLists::Edge* e = lists.begin(a); e != lists.end(a); ++e) {
      if (e->cluster > a && e->sum >= threshold) initial.push_back(entry(a, e->cluster, e->sum));
    }
  }
  std::sort(initial.begin(), initial.end(),
            [](const HeapEntry& x, const HeapEntry& y) { return y < x; });
  size_t next_initial = 0;
  std::priority_queue<HeapEntry> heap;
  auto push = [&](uint32_t a, uint32_t b, double sim) {
    if (sim >= threshold) heap.push(entry(a, b, sim));
  };
  // The highest entry of the two sources.
  auto pop = [&]() {
    if (heap.empty() || (next_initial < initial.size() && heap.top() < initial[next_initial])) {
      return initial[next_initial++];
    }
    const HeapEntry top = heap.top();
    heap.pop();
    return top;
  };
  std::vector<NeighbourLists::Edge> touched;  // With Sum(into, c), no search for it.
  while (next_initial < initial.size() || !heap.empty()) {
    const HeapEntry top = pop();
    if (parent[top.a] != top.a || parent[top.b] != top.b) continue;  // Merged away.
    const double sim = linkage(top.a, top.b);
    if (sim != top.linkage) {
      // Lower now: re-queue at its current priority. Higher: a fresher
      // entry was pushed when its sum grew.
      if (sim < top.linkage) push(top.a, top.b, sim);
      continue;
    }
    // Fold the shorter neighbour list into the longer: fewer redirects.
    uint32_t into = top.a, from = top.b;
    if (lists.degree(into) < lists.degree(from)) std::swap(into, from);
    touched.clear();
    lists.Merge(into, from, &touched);
    for (const NeighbourLists::Edge& t : touched) {
      __builtin_prefetch(&size[t.cluster]), __builtin_prefetch(&min_key[t.cluster]);
    }
    parent[from] = into;
    size[into] += size[from];
    min_key[into] = std::min(min_key[into], min_key[from]);
    for (const NeighbourLists::Edge& t : touched) {
      push(into, t.cluster, average(t.sum, into, t.cluster));
    }
  }
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t r = i;
    while (parent[r] != r) r = parent[r];
    parent[i] = r;  // Roots only point at themselves: one pass suffices.
  }
  return parent;
}

}  // namespace storysift::internal
