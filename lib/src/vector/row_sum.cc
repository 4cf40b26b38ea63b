#include "vector/row_sum.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace storysift::internal {
namespace {

// (id, weight) as one integer: id in the high half, so integer order is the
// order of std::pair<uint32_t, float> (-0.0f sorts just before +0.0f, which
// std::sort left in either order: their sums with anything are the same).
uint64_t Key(uint32_t id, float w) { return (uint64_t{id} << 32) | OrderedBits(w); }

// std::merge of two sorted runs without a branch on which run gives the next
// key: that is close to random when rows interleave, and std::merge's branch
// mispredicted on about every other key. Equal keys are equal values, so
// which run gives one first does not matter.
void MergeRuns(const uint64_t* a, const uint64_t* a_end, const uint64_t* b, const uint64_t* b_end,
               uint64_t* out) {
  while (a != a_end && b != b_end) {
    const uint64_t x = *a, y = *b;
    const bool take_b = y < x;
    *out++ = take_b ? y : x;
    a += !take_b;
    b += take_b;
  }
  out = std::copy(a, a_end, out);
  std::copy(b, b_end, out);
}

}  // namespace

void SumRows(absl::Span<const SparseVectorView> rows, SparseVector* out) {
  if (rows.size() == 1) {  // A singleton story's: the row itself.
    out->ids.assign(rows[0].ids.begin(), rows[0].ids.end());
    out->weights.assign(rows[0].weights.begin(), rows[0].weights.end());
    return;
  }
  thread_local std::vector<uint64_t> keys, merged;
  thread_local std::vector<size_t> run_end, next_end;  // Sorted runs of `keys`.
  // Keys written through a pointer (push_back stored the vector's end through
  // the thread-local at every key); the members' rows are random reads of the
  // matrix, so the next row's first lines are fetched while this one is read.
  size_t total = 0;
  for (const SparseVectorView& row : rows) total += row.size();
  keys.resize(total);
  run_end.clear();
  uint64_t* key = keys.data();
  for (size_t r = 0; r < rows.size(); ++r) {
    if (r + 1 < rows.size()) {
      __builtin_prefetch(rows[r + 1].ids.data());
      __builtin_prefetch(rows[r + 1].weights.data());
    }
    const SparseVectorView& row = rows[r];
    for (size_t k = 0; k < row.size(); ++k) *key++ = Key(row.ids[k], row.weights[k]);
    if (row.size() > 0) run_end.push_back(key - keys.data());
  }
  // Bottom-up: adjacent runs merge pairwise until one is left.
  while (run_end.size() > 1) {
    merged.resize(keys.size());
    next_end.clear();
    size_t begin = 0;
    for (size_t r = 0; r < run_end.size(); r += 2) {
      const size_t mid = run_end[r];
      const size_t end = r + 1 < run_end.size() ? run_end[r + 1] : mid;
      MergeRuns(keys.data() + begin, keys.data() + mid, keys.data() + mid, keys.data() + end,
                merged.data() + begin);
      next_end.push_back(end);
      begin = end;
    }
    keys.swap(merged);
    run_end.swap(next_end);
  }
  // Each id's weights, smallest first, summed into one entry.
  out->ids.resize(total);
  out->weights.resize(total);
  uint32_t* ids = out->ids.data();
  float* weights = out->weights.data();
  size_t n = 0;
  for (const uint64_t k : keys) {
    const uint32_t id = static_cast<uint32_t>(k >> 32);
    const float w = FromOrderedBits(static_cast<uint32_t>(k));
    if (n > 0 && ids[n - 1] == id) {
      weights[n - 1] += w;
    } else {
      ids[n] = id;
      weights[n++] = w;
    }
  }
  out->ids.resize(n);
  out->weights.resize(n);
}

}  // namespace storysift::internal
