// Dots of one sparse row against many others, bit-identical to Dot().
//
// Dot() merges the two sorted id lists: a chain of dependent loads and
// compares, ~|a| + |b| steps. Scoring item i against its candidates dots
// row i with up to 32 rows, so row i goes into a small hash table once
// (L1-resident) and each other row is streamed through it: |b| independent,
// branch-free lookups. Shared terms are still summed in ascending id order (row b's
// order) and a term row i lacks adds a zero, which leaves the sum unchanged
// (a sum that starts at +0.0f never becomes -0.0f, and x + 0 == x for every
// other x), so for finite weights the result equals Dot(a, b) bit for bit.
#ifndef STORYSIFT_CLUSTER_DOT_TABLE_H_
#define STORYSIFT_CLUSTER_DOT_TABLE_H_

#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "storysift/tfidf.h"

namespace storysift::internal {

// Row i sits in a two-choice (cuckoo) table: each id in one of two slots
// picked by its hash, so a lookup reads both and selects without a branch.
// Whether a term of row b is shared with row i is close to random, and the
// probe loop of linear probing mispredicted on it at every term.
class DotTable {
 public:
  // Rows' ids below `vocabulary_size` (0: unknown). A vocabulary of at most
  // kDenseMaxTerms gets a dense array of row a's weights instead of the
  // cuckoo table: one load per term of row b instead of two hashes, two loads
  // and two compares. Where the array outgrows L2 its loads miss, but they do
  // not wait on each other: `BM_DotTableWide` (ids scattered at random) has
  // the dense array 2.3x the table's dots/s at 2^17 terms, 1.4x at 2^19,
  // 1.3x at 2^20 and 0.7x at 2^22. The cap was 2^18, so 1M documents (~2x
  // the 223k terms of 250k) fell back to the table and every story stage's
  // dot got slower with the corpus.
  explicit DotTable(size_t vocabulary_size = 0) {
    if (vocabulary_size > 0 && vocabulary_size <= kDenseMaxTerms) {
      dense_.assign(vocabulary_size, 0.0f);
    }
  }

  // Loads row a, replacing the previous one.
  void Load(SparseVectorView a) {
    if (!dense_.empty()) {
      for (uint32_t id : loaded_) dense_[id] = 0.0f;
      loaded_.assign(a.ids.begin(), a.ids.end());
      for (size_t k = 0; k < a.size(); ++k) dense_[a.ids[k]] = a.weights[k];
      return;
    }
    int bits = 4;
    // Load factor <= 1/4: cuckoo insertion rarely has to move anything.
    while ((size_t{1} << bits) < 4 * a.size()) ++bits;
    while (!TryLoad(a, bits)) ++bits;  // A cycle of evictions: grow.
  }

  // Dot(a, b) for the loaded row a. Out of line: inlined into the candidate
  // scorer, its running sum was kept in memory, a store-to-load round trip
  // on every term of the in-order float sum.
  [[gnu::noinline]] float Dot(SparseVectorView b) const {
    const uint32_t* ids = b.ids.data();
    const float* weights = b.weights.data();
    if (!dense_.empty()) {
      // Row a's weight, or +0.0f where row a lacks the term.
      const float* dense = dense_.data();
      float sum = 0.0f;
      for (size_t k = 0, n = b.size(); k < n; ++k) sum += dense[ids[k]] * weights[k];
      return sum;
    }
    const Slot* slots = slots_.data();
    float sum = 0.0f;
    for (size_t k = 0, n = b.size(); k < n; ++k) {
      const uint32_t id = ids[k];
      const Slot& x = slots[First(id)];
      const Slot& y = slots[Second(id)];
      // The weight's bits where the id matches, else +0.0f's (all zero).
      const uint32_t bits = (std::bit_cast<uint32_t>(x.weight) & -uint32_t{x.id == id}) |
                            (std::bit_cast<uint32_t>(y.weight) & -uint32_t{y.id == id});
      sum += std::bit_cast<float>(bits) * weights[k];
    }
    return sum;
  }

 private:
  struct Slot {
    uint32_t id;
    float weight;
  };
  static constexpr uint32_t kEmpty = UINT32_MAX;  // Never a term id (ids < vocab size).
  static constexpr size_t kDenseMaxTerms = size_t{1} << 20;  // 4 MB of floats.

  size_t First(uint32_t id) const { return (id * 0x9E3779B97F4A7C15ull) >> shift_; }
  size_t Second(uint32_t id) const { return (id * 0xC2B2AE3D27D4EB4Full) >> shift_; }

  // Fills a table of 2^bits slots with row a; false if an insertion found
  // no free slot within its eviction budget.
  bool TryLoad(SparseVectorView a, int bits) {
    const size_t capacity = size_t{1} << bits;
    if (capacity != slots_.size()) {
      slots_.assign(capacity, Slot{kEmpty, 0.0f});
    } else {
      for (size_t s : used_) slots_[s] = Slot{kEmpty, 0.0f};
    }
    shift_ = 64 - bits;
    used_.clear();
    for (size_t k = 0; k < a.size(); ++k) {
      Slot item{a.ids[k], a.weights[k]};
      size_t s = First(item.id);
      for (int kicks = 0;; ++kicks) {
        if (kicks == 64) {
          used_.clear();
          slots_.clear();  // Forces a fresh table on the retry.
          return false;
        }
        std::swap(item, slots_[s]);
        if (item.id == kEmpty) {
          used_.push_back(s);
          break;
        }
        s = s == First(item.id) ? Second(item.id) : First(item.id);
      }
    }
    return true;
  }

  std::vector<Slot> slots_;
  std::vector<size_t> used_;  // Occupied slots, to empty them cheaply.
  std::vector<float> dense_;     // By term id, when dense.
  std::vector<uint32_t> loaded_;  // Row a's ids, to empty dense_ cheaply.
  int shift_ = 60;
};

// This thread's table for rows whose ids are all below `id_bound`, kept
// between calls (a dense one is up to 1 MB: made once per thread, not per
// story). Valid until the thread's next call.
DotTable& ThreadDotTable(size_t id_bound);

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_DOT_TABLE_H_
