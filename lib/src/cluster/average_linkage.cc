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
#include <optional>
#include <queue>
#include <tuple>

#include "cluster/neighbour_lists.h"
#include "cluster/redirect_team.h"
#include "pipeline/parallel.h"

namespace storysift::internal {
namespace {

// Merges whose cluster merged away has fewer neighbours than this redirect
// them alone: an offer costs the helper's claims and the wait.
constexpr uint32_t kSharedRedirectsMinDegree = 16;

struct HeapEntry {
  double linkage;
  DocOrdinal key_lo, key_hi;
  uint32_t a, b;
  bool operator<(const HeapEntry& o) const {  // Max-heap: higher linkage, lower keys first.
    if (linkage != o.linkage) return linkage < o.linkage;
    return std::tie(key_lo, key_hi) > std::tie(o.key_lo, o.key_hi);
  }
};

// Every edge a < b above threshold as an entry, highest first. Ranges of
// clusters are collected and sorted on the threads, then merged: the order
// is total, so this is one sort's order (one loop and sort on one core was
// ~2 ms of a 20k cluster run with the other core idle).
template <typename MakeEntry>
std::vector<HeapEntry> SortedInitialEntries(uint32_t n, const NeighbourLists& lists,
                                            float threshold, const MakeEntry& entry, int threads) {
  const auto higher = [](const HeapEntry& x, const HeapEntry& y) { return y < x; };
  const size_t ranges = static_cast<size_t>(std::max(threads, 1));
  std::vector<std::vector<HeapEntry>> part(ranges);
  ParallelFor(ranges, threads, [&](size_t r) {
    const auto lo = static_cast<uint32_t>(uint64_t{n} * r / ranges);
    const auto hi = static_cast<uint32_t>(uint64_t{n} * (r + 1) / ranges);
    for (uint32_t a = lo; a < hi; ++a) {
      for (const NeighbourLists::Edge* e = lists.begin(a); e != lists.end(a); ++e) {
        if (e->cluster > a && e->sum >= threshold) part[r].push_back(entry(a, e->cluster, e->sum));
      }
    }
    std::sort(part[r].begin(), part[r].end(), higher);
  });
  std::vector<HeapEntry> sorted = std::move(part[0]);
  std::vector<HeapEntry> merged;
  for (size_t r = 1; r < ranges; ++r) {
    merged.resize(sorted.size() + part[r].size());
    std::merge(sorted.begin(), sorted.end(), part[r].begin(), part[r].end(), merged.begin(),
               higher);
    sorted.swap(merged);
    std::vector<HeapEntry>().swap(part[r]);
  }
  return sorted;
}

}  // namespace

std::vector<uint32_t> AverageLinkageRoots(uint32_t n, std::vector<SimilarPair>* pairs,
                                          const std::vector<DocOrdinal>& tie_keys,
                                          float threshold, int threads,
                                          size_t shared_redirects_from) {
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
  const std::vector<HeapEntry> initial = SortedInitialEntries(n, lists, threshold, entry, threads);
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
  // The loop is serial, so a second core is idle through it: a helper
  // redirects beside the sum of the two lists.
  std::optional<RedirectTeam> team;
  if (threads >= 2 && initial.size() >= shared_redirects_from) team.emplace(&lists);
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
    // With a helper, it redirects from's neighbours while this thread sums
    // the lists and queues the pairs whose sum grew (neither reads a list
    // being redirected), then joins in.
    const bool shared = team.has_value() && lists.degree(from) >= kSharedRedirectsMinDegree;
    if (shared) {
      team->Offer(into, from);
      lists.SumLists(into, from, &touched);
    } else {
      lists.Merge(into, from, &touched);
    }
    for (const NeighbourLists::Edge& t : touched) {
      __builtin_prefetch(&size[t.cluster]), __builtin_prefetch(&min_key[t.cluster]);
    }
    parent[from] = into;
    size[into] += size[from];
    min_key[into] = std::min(min_key[into], min_key[from]);
    for (const NeighbourLists::Edge& t : touched) {
      push(into, t.cluster, average(t.sum, into, t.cluster));
    }
    if (shared) {
      team->Finish();
      lists.Retire(from);
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
