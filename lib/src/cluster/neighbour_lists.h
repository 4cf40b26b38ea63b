// Neighbour lists of the clusters of average-linkage agglomeration: for each
// live cluster, its neighbours sorted by cluster number with the sum of
// item-pair similarities. The initial lists share one CSR arena (8 bytes
// per edge end: the graph has ~2 x 32 entries per item, so per-item hash
// maps cost several times more memory and a cache miss per probe); a
// cluster that merges gets a vector of its own.
#ifndef STORYSIFT_CLUSTER_NEIGHBOUR_LISTS_H_
#define STORYSIFT_CLUSTER_NEIGHBOUR_LISTS_H_

#include <cstdint>
#include <vector>

#include "pipeline/default_init_vector.h"
#include "storysift/story_clusterer.h"

namespace storysift::internal {

class NeighbourLists {
 public:
  struct Edge {
    uint32_t cluster;
    float sum;  // Sum of item-pair similarities between the two clusters.
  };

  // Lists of items 0..n-1 from `pairs` (consumed); a pair listed twice sums.
  // Each list is sorted on up to `threads` threads (0: all cores).
  NeighbourLists(uint32_t n, std::vector<SimilarPair>* pairs, int threads = 1);

  uint32_t degree(uint32_t c) const { return lists_[c].size; }
  const Edge* begin(uint32_t c) const { return lists_[c].data; }
  const Edge* end(uint32_t c) const { return lists_[c].data + lists_[c].size; }

  // Sum between clusters a and b. REQUIRES: they are neighbours.
  float Sum(uint32_t a, uint32_t b) const;

  // Folds `from` into `into`: their lists are summed, and every neighbour
  // of `from` now points at `into`. Appends those neighbours (the pairs
  // whose sum grew) with their new sum, Sum(into, c), to *touched, ascending.
  // The same as SumLists, then Redirect for each neighbour, then Retire.
  void Merge(uint32_t into, uint32_t from, std::vector<Edge>* touched);

  // Merge's steps, for a caller that shares the redirects with a thread:
  // SumLists touches only into's list (and reads from's), Redirect(c, ...)
  // only c's, so the redirects of distinct neighbours may run on other
  // threads beside SumLists and each other. Retire(from) after all of them.
  void SumLists(uint32_t into, uint32_t from, std::vector<Edge>* touched);
  // In c's list, the entry for `from` becomes (or adds to) the one for `into`.
  void Redirect(uint32_t c, uint32_t from, uint32_t into);
  void Retire(uint32_t from);

  // Fetches the list headers, then the first lines of the lists, of the
  // clusters in [first, last) other than `skip`: a redirect's reads are
  // random, and fetched together their misses overlap.
  void PrefetchLists(const Edge* first, const Edge* last, uint32_t skip) const;

 private:
  // Where a list lives, apart from its storage: a redirect reads only this,
  // one cache line for most clusters instead of three arrays.
  struct List {
    Edge* data;
    uint32_t size;
  };
  // Merge's list of `into`, summed with from's: in a new vector, or where
  // `into` owns its list and `from`'s is short, in place (a story growing
  // one article at a time copied its whole list on every merge).
  void MergeCopy(uint32_t into, uint32_t from, std::vector<Edge>* touched);
  void MergeInPlace(uint32_t into, uint32_t from, std::vector<Edge>* touched);

  DefaultInitVector<Edge> arena_;  // Filled by the constructor's tasks.
  std::vector<List> lists_;
  std::vector<std::vector<Edge>> owned_;
  std::vector<Edge> added_;  // MergeInPlace's new neighbours of `into`.
};

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_NEIGHBOUR_LISTS_H_
