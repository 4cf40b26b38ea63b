// Union-find over dense indices (private to the library): the one Find that
// copy grouping, story clustering, the short-text merge and the ticker split
// share.
#ifndef STORYSIFT_CLUSTER_DISJOINT_SETS_H_
#define STORYSIFT_CLUSTER_DISJOINT_SETS_H_

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace storysift::internal {

// The root of x in a parent array (parent[r] == r for a root), with path
// halving: every other node on the path is pointed at its grandparent.
inline uint32_t FindRoot(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) x = parent[x] = parent[parent[x]];
  return x;
}

// Sets whose root is their smallest index, so roots do not depend on the
// order of the unions.
class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  uint32_t Find(uint32_t x) { return FindRoot(parent_, x); }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<uint32_t> parent_;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_DISJOINT_SETS_H_
