// The non-chaining verdict rule, shared by the batch grouping
// (GroupVerifiedPairs) and the streaming Deduplicator: a document joins the
// representative it is most similar to among those it passes verification
// with; equal similarities go to the representative first in priority
// order (batch: ordinal in priority order; stream: arrival). None: the
// document starts its own group.
#ifndef STORYSIFT_CLUSTER_NEAREST_REPRESENTATIVE_H_
#define STORYSIFT_CLUSTER_NEAREST_REPRESENTATIVE_H_

#include <cstdint>
#include <limits>

namespace storysift::internal {

class NearestRepresentative {
 public:
  // `rep` passed verification at `similarity`; `order` ranks ties (lower wins).
  void Offer(uint32_t rep, double similarity, uint64_t order) {
    if (similarity > similarity_ || (similarity == similarity_ && order < order_)) {
      found_ = true;
      rep_ = rep;
      similarity_ = similarity;
      order_ = order;
    }
  }
  bool found() const { return found_; }
  uint32_t rep() const { return rep_; }  // REQUIRES: found().
  double similarity() const { return similarity_; }

 private:
  bool found_ = false;
  uint32_t rep_ = 0;
  double similarity_ = -1;  // Below every similarity, so the first offer wins.
  uint64_t order_ = std::numeric_limits<uint64_t>::max();
};

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_NEAREST_REPRESENTATIVE_H_
