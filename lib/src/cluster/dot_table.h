// Dots of one sparse row against many others, bit-identical to Dot().
//
// Dot() merges the two sorted id lists: a chain of dependent loads and
// compares, ~|a| + |b| steps. Scoring item i against its candidates dots
// row i with up to 32 rows, so row i goes into a small hash table once
// (L1-resident) and each other row is streamed through it: |b| independent
// lookups. Shared terms are still summed in ascending id order (row b's
// order) and a term row i lacks adds a zero, which leaves the sum unchanged
// (a sum that starts at +0.0f never becomes -0.0f, and x + 0 == x for every
// other x), so for finite weights the result equals Dot(a, b) bit for bit.
#ifndef STORYSIFT_CLUSTER_DOT_TABLE_H_
#define STORYSIFT_CLUSTER_DOT_TABLE_H_

#include <cstdint>
#include <vector>

#include "storysift/tfidf.h"

namespace storysift::internal {

class DotTable {
 public:
  // Loads row a, replacing the previous one.
  void Load(SparseVectorView a) {
    size_t capacity = 16;
    int bits = 4;
    // Load factor <= 1/4: a lookup almost always ends at its first slot.
    while (capacity < 4 * a.size()) capacity <<= 1, ++bits;
    if (capacity != slots_.size()) {
      slots_.assign(capacity, Slot{kEmpty, 0.0f});
    } else {
      for (size_t s : used_) slots_[s] = Slot{kEmpty, 0.0f};
    }
    shift_ = 64 - bits;
    mask_ = capacity - 1;
    used_.clear();
    for (size_t k = 0; k < a.size(); ++k) {
      const size_t s = Find(a.ids[k]);
      slots_[s] = Slot{a.ids[k], a.weights[k]};
      used_.push_back(s);
    }
  }

  // Dot(a, b) for the loaded row a.
  float Dot(SparseVectorView b) const {
    const uint32_t* ids = b.ids.data();
    const float* weights = b.weights.data();
    float sum = 0.0f;
    for (size_t k = 0, n = b.size(); k < n; ++k) {
      const Slot& s = slots_[Find(ids[k])];
      const float w = s.id == ids[k] ? s.weight : 0.0f;
      sum += w * weights[k];
    }
    return sum;
  }

 private:
  struct Slot {
    uint32_t id;
    float weight;
  };
  static constexpr uint32_t kEmpty = UINT32_MAX;  // Never a term id (ids < vocab size).

  // The slot holding `id`, or the empty slot ending its probe sequence.
  size_t Find(uint32_t id) const {
    size_t s = (id * 0x9E3779B97F4A7C15ull) >> shift_;
    while (slots_[s].id != id && slots_[s].id != kEmpty) s = (s + 1) & mask_;
    return s;
  }

  std::vector<Slot> slots_;
  std::vector<size_t> used_;  // Occupied slots, to empty them cheaply.
  int shift_ = 60;
  size_t mask_ = 15;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_DOT_TABLE_H_
