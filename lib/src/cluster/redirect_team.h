// The redirects of average linkage's merges, shared between the merge loop's
// thread and one helper thread. The merge loop is serial, and at 1M items
// most of a merge is redirecting the neighbours of the cluster merged away:
// a random read and a shift in each neighbour's list. Each list is
// redirected by one thread, with the same operations, so the lists (and the
// stories) are the same whichever thread does it.
#ifndef STORYSIFT_CLUSTER_REDIRECT_TEAM_H_
#define STORYSIFT_CLUSTER_REDIRECT_TEAM_H_

#include <atomic>
#include <cstdint>
#include <thread>

#include "cluster/neighbour_lists.h"

namespace storysift::internal {

class RedirectTeam {
 public:
  // Starts the helper, which waits for work (spinning, then yielding: the
  // merges come every few microseconds).
  explicit RedirectTeam(NeighbourLists* lists);
  ~RedirectTeam();  // Stops the helper and joins it.

  RedirectTeam(const RedirectTeam&) = delete;
  RedirectTeam& operator=(const RedirectTeam&) = delete;

  // Offers the redirects of from's neighbours (all but `into`) to the helper
  // and returns at once; the caller then sums the two lists
  // (NeighbourLists::SumLists), which touches neither. REQUIRES: the last
  // offer was finished.
  void Offer(uint32_t into, uint32_t from);

  // Redirects what the helper has not taken and waits for what it has.
  // Then Retire(from) may free from's list.
  void Finish();

 private:
  // Claims chunks of the current offer until none is left; returns how
  // many redirects it made.
  uint32_t RedirectChunks();
  void HelperLoop();

  NeighbourLists* const lists_;
  // The offer: written by the caller before `state_` publishes it.
  const NeighbourLists::Edge* edges_ = nullptr;
  uint32_t into_ = 0, from_ = 0;
  // (offer number << 32) | redirects not yet claimed. A claim takes the
  // chunk just below the count by compare-and-swap, so it needs nothing
  // else from the offer; the number keeps a stale claim from matching a
  // later offer with the same count.
  std::atomic<uint64_t> state_{0};
  std::atomic<uint32_t> done_{0};  // Redirects finished of the current offer.
  std::atomic<bool> stop_{false};
  uint32_t offers_ = 0;
  uint32_t count_ = 0;
  std::thread helper_;  // Last: started once the members above exist.
};

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_REDIRECT_TEAM_H_
