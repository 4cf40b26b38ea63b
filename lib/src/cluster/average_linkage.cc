// Average-linkage clustering with a stopping threshold over a sparse graph
// (hierarchical agglomerative clustering as in the TDT retrospective event
// detection systems: Yang, Pierce and Carbonell 1998, "A study of
// retrospective and on-line event detection").
//
// Each live cluster keeps its neighbours sorted by cluster number with the
// sum of item-pair similarities; linkage = sum / (|A| |B|). The initial
// lists share one CSR arena (8 bytes per edge end: the graph has ~2 x 32
// entries per item, so per-item hash maps cost several times more memory
// and a cache miss per probe); a cluster that merges gets a vector of its
// own. A lazy max-heap of cluster pairs orders the merges.
#include "cluster/average_linkage.h"

#include <algorithm>
#include <cassert>
#include <queue>
#include <tuple>

namespace storysift::internal {
namespace {

struct Edge {
  uint32_t cluster;
  float sum;  // Sum of item-pair similarities between the two clusters.
};

bool ByCluster(const Edge& e, uint32_t c) { return e.cluster < c; }

class NeighbourLists {
 public:
  NeighbourLists(uint32_t n, std::vector<SimilarPair>* pairs)
      : data_(n), size_(n, 0), owned_(n) {
    std::vector<uint64_t> begin(n + 1, 0);
    for (const SimilarPair& p : *pairs) ++begin[p.a + 1], ++begin[p.b + 1];
    for (uint32_t i = 0; i < n; ++i) begin[i + 1] += begin[i];
    arena_.resize(begin[n]);
    std::vector<uint64_t> fill(begin.begin(), begin.end() - 1);
    for (const SimilarPair& p : *pairs) {
      arena_[fill[p.a]++] = {p.b, p.similarity};
      arena_[fill[p.b]++] = {p.a, p.similarity};
    }
    std::vector<SimilarPair>().swap(*pairs);
    for (uint32_t i = 0; i < n; ++i) {
      Edge* first = arena_.data() + begin[i];
      Edge* last = arena_.data() + begin[i + 1];
      std::sort(first, last, [](const Edge& x, const Edge& y) { return x.cluster < y.cluster; });
      // A pair listed twice sums, as a repeated edge would.
      Edge* out = first;
      for (Edge* e = first; e != last; ++e) {
        if (out != first && (out - 1)->cluster == e->cluster) {
          (out - 1)->sum += e->sum;
        } else {
          *out++ = *e;
        }
      }
      data_[i] = first;
      size_[i] = static_cast<uint32_t>(out - first);
    }
  }

  uint32_t degree(uint32_t c) const { return size_[c]; }
  const Edge* begin(uint32_t c) const { return data_[c]; }
  const Edge* end(uint32_t c) const { return data_[c] + size_[c]; }

  // Sum between clusters a and b. REQUIRES: they are neighbours.
  float Sum(uint32_t a, uint32_t b) const {
    const Edge* e = std::lower_bound(begin(a), end(a), b, ByCluster);
    assert(e != end(a) && e->cluster == b);
    return e->sum;
  }

  // Folds `from` into `into`: their lists are summed, and every neighbour
  // of `from` now points at `into`. Appends those neighbours (the pairs
  // whose sum grew) to *touched, ascending.
  void Merge(uint32_t into, uint32_t from, std::vector<uint32_t>* touched) {
    std::vector<Edge> merged;
    merged.reserve(size_[into] + size_[from]);
    const Edge *a = begin(into), *a_end = end(into), *b = begin(from), *b_end = end(from);
    while (a != a_end || b != b_end) {
      Edge e;
      if (b == b_end || (a != a_end && a->cluster < b->cluster)) {
        e = *a++;
      } else if (a == a_end || b->cluster < a->cluster) {
        e = *b++;
      } else {
        e = {a->cluster, a->sum + b->sum};
        ++a, ++b;
      }
      if (e.cluster != into && e.cluster != from) merged.push_back(e);
    }
    for (const Edge* e = begin(from); e != end(from); ++e) {
      if (e->cluster == into) continue;
      touched->push_back(e->cluster);
      Redirect(e->cluster, from, into);
    }
    owned_[from] = {};
    data_[from] = nullptr;
    size_[from] = 0;
    owned_[into] = std::move(merged);
    data_[into] = owned_[into].data();
    size_[into] = static_cast<uint32_t>(owned_[into].size());
  }

 private:
  // In c's list, the entry for `from` becomes (or adds to) the one for
  // `into`, keeping the list sorted. Lists never grow here, so they stay in
  // place (arena or owned).
  void Redirect(uint32_t c, uint32_t from, uint32_t into) {
    Edge* first = data_[c];
    Edge* last = first + size_[c];
    Edge* f = std::lower_bound(first, last, from, ByCluster);
    assert(f != last && f->cluster == from);
    Edge* t = std::lower_bound(first, last, into, ByCluster);
    if (t != last && t->cluster == into) {
      t->sum += f->sum;  // Same operands as the merged list: symmetric sums.
      std::move(f + 1, last, f);
      --size_[c];
      return;
    }
    const Edge moved{into, f->sum};
    if (t > f) {
      std::move(f + 1, t, f);
      *(t - 1) = moved;
    } else {
      std::move_backward(t, f, f + 1);
      *t = moved;
    }
  }

  std::vector<Edge> arena_;
  std::vector<Edge*> data_;
  std::vector<uint32_t> size_;
  std::vector<std::vector<Edge>> owned_;
};

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
                                          float threshold) {
  NeighbourLists lists(n, pairs);
  // Cluster c is alive while parent[c] == c; its tie key is its smallest
  // member's key.
  std::vector<uint32_t> parent(n), size(n, 1);
  for (uint32_t i = 0; i < n; ++i) parent[i] = i;
  std::vector<DocOrdinal> min_key = tie_keys;
  auto linkage = [&](uint32_t a, uint32_t b) {
    return lists.Sum(a, b) / (static_cast<double>(size[a]) * size[b]);
  };
  // Lazy heap: every live pair above threshold has an entry whose priority
  // is >= its current one. A merge only lowers the linkage of `into`'s
  // untouched neighbours (its size grew), so only pairs whose sum grew are
  // pushed; an entry whose stored linkage is above the current one is
  // re-pushed when it surfaces. Popping an up-to-date entry thus yields the
  // same maximum, and the same merges, as re-pushing the whole
  // neighbourhood on every merge, which is quadratic around hub stories.
  std::priority_queue<HeapEntry> heap;
  auto push = [&](uint32_t a, uint32_t b, double sim) {
    if (sim < threshold) return;
    const DocOrdinal lo = std::min(min_key[a], min_key[b]);
    const DocOrdinal hi = std::max(min_key[a], min_key[b]);
    heap.push({sim, lo, hi, a, b});
  };
  for (uint32_t a = 0; a < n; ++a) {
    for (const Edge* e = lists.begin(a); e != lists.end(a); ++e) {
      if (e->cluster > a) push(a, e->cluster, e->sum);
    }
  }
  std::vector<uint32_t> touched;
  while (!heap.empty()) {
    const HeapEntry top = heap.top();
    heap.pop();
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
    parent[from] = into;
    size[into] += size[from];
    min_key[into] = std::min(min_key[into], min_key[from]);
    for (uint32_t c : touched) push(into, c, linkage(into, c));
  }
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t r = i;
    while (parent[r] != r) r = parent[r];
    parent[i] = r;  // Roots only point at themselves: one pass suffices.
  }
  return parent;
}

}  // namespace storysift::internal
