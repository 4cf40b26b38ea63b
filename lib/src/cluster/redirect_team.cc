#include "cluster/redirect_team.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace storysift::internal {
namespace {

// Redirects per claim: enough that the claims' compare-and-swaps stay a
// small part of the work (a redirect is ~100 ns of cache misses at 1M
// items), few enough that the two threads finish close together.
constexpr uint32_t kChunk = 8;
// Idle polls before a waiting thread yields its core between polls.
constexpr int kSpinsBeforeYield = 1 << 12;

uint32_t Remaining(uint64_t state) { return static_cast<uint32_t>(state); }

void Relax(int* spins) {
  if (++*spins < kSpinsBeforeYield) {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

}  // namespace

RedirectTeam::RedirectTeam(NeighbourLists* lists)
    : lists_(lists), helper_(&RedirectTeam::HelperLoop, this) {}

RedirectTeam::~RedirectTeam() {
  stop_.store(true, std::memory_order_relaxed);
  helper_.join();
}

void RedirectTeam::Offer(uint32_t into, uint32_t from) {
  edges_ = lists_->begin(from);
  count_ = lists_->degree(from);
  into_ = into;
  from_ = from;
  done_.store(0, std::memory_order_relaxed);
  ++offers_;
  state_.store(uint64_t{offers_} << 32 | count_, std::memory_order_release);
}

void RedirectTeam::Finish() {
  uint32_t done = RedirectChunks();
  if (done == count_) return;
  done = done_.fetch_add(done, std::memory_order_acq_rel) + done;
  for (int spins = 0; done != count_; Relax(&spins)) {
    done = done_.load(std::memory_order_acquire);
  }
}

uint32_t RedirectTeam::RedirectChunks() {
  uint64_t state = state_.load(std::memory_order_acquire);
  uint32_t done = 0;
  while (Remaining(state) > 0) {
    const uint32_t end = Remaining(state);
    const uint32_t begin = end - std::min(end, kChunk);
    // On failure `state` is reloaded: another claim, or (for the helper) a
    // new offer.
    if (!state_.compare_exchange_weak(state, state - (end - begin), std::memory_order_acq_rel,
                                      std::memory_order_acquire)) {
      continue;
    }
    // The claim read the offer's publication, and the caller does not make
    // another before every claimed redirect is done: the fields are this
    // offer's.
    const NeighbourLists::Edge* first = edges_ + begin;
    const NeighbourLists::Edge* last = edges_ + end;
    lists_->PrefetchLists(first, last, into_);
    for (const NeighbourLists::Edge* e = first; e != last; ++e) {
      if (e->cluster != into_) lists_->Redirect(e->cluster, from_, into_);
    }
    done += end - begin;
    state -= end - begin;
  }
  return done;
}

void RedirectTeam::HelperLoop() {
  for (int spins = 0; !stop_.load(std::memory_order_relaxed); Relax(&spins)) {
    if (Remaining(state_.load(std::memory_order_relaxed)) == 0) continue;
    const uint32_t done = RedirectChunks();
    if (done > 0) {
      done_.fetch_add(done, std::memory_order_release);
      spins = 0;
    }
  }
}

}  // namespace storysift::internal
