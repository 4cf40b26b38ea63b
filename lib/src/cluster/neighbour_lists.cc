#include "cluster/neighbour_lists.h"

#include <algorithm>
#include <cassert>

#include "cluster/balanced_ranges.h"
#include "pipeline/huge_pages.h"
#include "pipeline/parallel.h"

namespace storysift::internal {
namespace {

using Edge = NeighbourLists::Edge;

bool ByCluster(const Edge& e, uint32_t c) { return e.cluster < c; }

// `into`'s list is summed with from's in place when it is at least this many
// times longer: from's entries are then found by binary search and only the
// entries above the lowest insertion move; closer in length, one merge pass
// into a new vector costs less than the searches.
constexpr size_t kInPlaceRatio = 4;
// Lists sorted per parallel task: enough to amortize the task, few enough
// that the tasks balance.
constexpr size_t kListsPerTask = 8192;

}  // namespace

NeighbourLists::NeighbourLists(uint32_t n, std::vector<SimilarPair>* pairs, int threads)
    : lists_(n, List{nullptr, 0}), owned_(n) {
  std::vector<uint64_t> begin(n + 1, 0);
  for (const SimilarPair& p : *pairs) ++begin[p.a + 1], ++begin[p.b + 1];
  for (uint32_t i = 0; i < n; ++i) begin[i + 1] += begin[i];
  ReserveHugePages(&arena_, begin[n]);  // Merges redirect random clusters' lists.
  arena_.resize(begin[n]);  // Unwritten: the tasks below fill every edge end.
  // Items are split into ranges of about equal edges, one task a range:
  // each task reads every pair in order and fills the lists of its own
  // items, so each list gets its edges in pair order, as by one loop (on
  // one core, ~2.5 ms of a 20k cluster run with the other core idle).
  std::vector<uint64_t> fill(begin.begin(), begin.end() - 1);
  const std::vector<uint32_t> range_begin =
      BalancedRanges(absl::MakeConstSpan(begin.data(), n), begin[n], threads);
  ParallelFor(range_begin.size() - 1, threads, [&](size_t r) {
    const uint32_t lo = range_begin[r], hi = range_begin[r + 1];
    for (const SimilarPair& p : *pairs) {
      if (p.a >= lo && p.a < hi) arena_[fill[p.a]++] = {p.b, p.similarity};
      if (p.b >= lo && p.b < hi) arena_[fill[p.b]++] = {p.a, p.similarity};
    }
  });
  std::vector<SimilarPair>().swap(*pairs);
  // The lists are disjoint ranges of the arena: sorted on the threads (this
  // step is otherwise serial, like the merge loop after it).
  ParallelForBlocks(n, kListsPerTask, threads, [&](size_t lo, size_t hi) {
    for (auto i = static_cast<uint32_t>(lo); i < hi; ++i) {
      Edge* first = arena_.data() + begin[i];
      Edge* last = arena_.data() + begin[i + 1];
      std::sort(first, last, [](const Edge& x, const Edge& y) { return x.cluster < y.cluster; });
      Edge* out = first;
      for (Edge* e = first; e != last; ++e) {
        if (out != first && (out - 1)->cluster == e->cluster) {
          (out - 1)->sum += e->sum;
        } else {
          *out++ = *e;
        }
      }
      lists_[i] = {first, static_cast<uint32_t>(out - first)};
    }
  });
}

float NeighbourLists::Sum(uint32_t a, uint32_t b) const {
  const Edge* e = std::lower_bound(begin(a), end(a), b, ByCluster);
  assert(e != end(a) && e->cluster == b);
  return e->sum;
}

void NeighbourLists::Merge(uint32_t into, uint32_t from, std::vector<Edge>* touched) {
  // Each neighbour of `from` is redirected below: a random read of its list
  // (the bulk of the merge loop's time at 1M items).
  PrefetchLists(begin(from), end(from), into);
  const size_t first_touched = touched->size();
  SumLists(into, from, touched);
  for (size_t k = first_touched; k < touched->size(); ++k) {
    Redirect((*touched)[k].cluster, from, into);
  }
  Retire(from);
}

void NeighbourLists::PrefetchLists(const Edge* first, const Edge* last, uint32_t skip) const {
  for (const Edge* e = first; e != last; ++e) __builtin_prefetch(&lists_[e->cluster]);
  for (const Edge* e = first; e != last; ++e) {
    if (e->cluster == skip) continue;  // Its list may be changing on another thread.
    const List& l = lists_[e->cluster];
    constexpr uint32_t kLineEdges = 64 / sizeof(Edge);
    for (uint32_t k = 0; k < std::min<uint32_t>(l.size, 8 * kLineEdges); k += kLineEdges) {
      __builtin_prefetch(l.data + k);
    }
  }
}

void NeighbourLists::SumLists(uint32_t into, uint32_t from, std::vector<Edge>* touched) {
  if (lists_[into].data == owned_[into].data() &&
      size_t{lists_[from].size} * kInPlaceRatio <= lists_[into].size) {
    MergeInPlace(into, from, touched);
  } else {
    MergeCopy(into, from, touched);
  }
}

void NeighbourLists::Retire(uint32_t from) {
  owned_[from] = {};
  lists_[from] = {nullptr, 0};
}

void NeighbourLists::MergeCopy(uint32_t into, uint32_t from, std::vector<Edge>* touched) {
  std::vector<Edge> merged;
  merged.reserve(lists_[into].size + lists_[from].size);
  const Edge *a = begin(into), *a_end = end(into), *b = begin(from), *b_end = end(from);
  while (a != a_end || b != b_end) {
    Edge e;
    bool grew = true;  // From's neighbour: its sum grows.
    if (b == b_end || (a != a_end && a->cluster < b->cluster)) {
      e = *a++;
      grew = false;
    } else if (a == a_end || b->cluster < a->cluster) {
      e = *b++;
    } else {
      e = {a->cluster, a->sum + b->sum};
      ++a, ++b;
    }
    if (e.cluster == into || e.cluster == from) continue;
    merged.push_back(e);
    if (grew) touched->push_back(e);
  }
  owned_[into] = std::move(merged);
  lists_[into] = {owned_[into].data(), static_cast<uint32_t>(owned_[into].size())};
}

void NeighbourLists::MergeInPlace(uint32_t into, uint32_t from, std::vector<Edge>* touched) {
  std::vector<Edge>& v = owned_[into];
  v.resize(lists_[into].size);  // Redirects shrink a list without resizing it.
  // From's neighbours that `into` has: summed where they stand, the same
  // operands as MergeCopy's. The rest are new to `into`, ascending.
  added_.clear();
  Edge* at = v.data();
  Edge* const last = v.data() + v.size();
  for (const Edge* e = begin(from); e != end(from); ++e) {
    if (e->cluster == into) continue;
    at = std::lower_bound(at, last, e->cluster, ByCluster);
    if (at != last && at->cluster == e->cluster) {
      at->sum = at->sum + e->sum;
      touched->push_back(*at);
    } else {
      added_.push_back(*e);
      touched->push_back(*e);
    }
  }
  // Drop the entry for `from`, then insert the new ones from the back: only
  // the entries above the lowest change move.
  const size_t skip = std::lower_bound(v.data(), last, from, ByCluster) - v.data();
  assert(skip < v.size() && v[skip].cluster == from);
  v.erase(v.begin() + skip);
  size_t r = v.size(), a = added_.size();
  const size_t new_size = r + a;
  // A quarter to spare, not the doubling resize() would leave: the lists
  // live through the story stages' peak of memory.
  if (new_size > v.capacity()) v.reserve(new_size + new_size / 4);
  v.resize(new_size);
  for (size_t w = new_size; a > 0;) {
    if (r > 0 && v[r - 1].cluster > added_[a - 1].cluster) {
      v[--w] = v[--r];
    } else {
      v[--w] = added_[--a];
    }
  }
  lists_[into] = {v.data(), static_cast<uint32_t>(new_size)};
}

void NeighbourLists::Redirect(uint32_t c, uint32_t from, uint32_t into) {
  // Lists never grow here, so they stay in place (arena or owned).
  Edge* first = lists_[c].data;
  Edge* last = first + lists_[c].size;
  Edge* f = std::lower_bound(first, last, from, ByCluster);
  assert(f != last && f->cluster == from);
  // `into` lies on one side of `from`: search only that side.
  Edge* t = into < from ? std::lower_bound(first, f, into, ByCluster)
                        : std::lower_bound(f + 1, last, into, ByCluster);
  if (t != last && t->cluster == into) {
    t->sum += f->sum;  // Same operands as the merged list: symmetric sums.
    std::move(f + 1, last, f);
    --lists_[c].size;
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

}  // namespace storysift::internal
