// Minimal data parallelism for the per-document stages (read, normalize,
// sketch, vectorize), which are pure functions of one document.
#ifndef STORYSIFT_PARALLEL_H_
#define STORYSIFT_PARALLEL_H_

#include <cstddef>
#include <functional>
#include <vector>

namespace storysift {

// Number of worker threads to use for a requested count: `requested` if > 0,
// else the number of hardware threads (at least 1).
int ResolveThreadCount(int requested);

// Calls work(i) for every i in [0, n), split into contiguous chunks over up
// to `threads` threads; returns when all calls are done. Output is
// deterministic for any thread count as long as work(i) writes only to
// per-i state.
void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& work);

// The parts of a ParallelFor's per-block results joined in block order (the
// serial order), each part freed as soon as it is copied so the peak holds
// the joined vector and at most one part.
template <typename T>
std::vector<T> ConcatInOrder(std::vector<std::vector<T>>* parts) {
  size_t total = 0;
  for (const std::vector<T>& p : *parts) total += p.size();
  std::vector<T> out;
  out.reserve(total);
  for (std::vector<T>& p : *parts) {
    out.insert(out.end(), p.begin(), p.end());
    std::vector<T>().swap(p);
  }
  return out;
}

}  // namespace storysift

#endif  // STORYSIFT_PARALLEL_H_
