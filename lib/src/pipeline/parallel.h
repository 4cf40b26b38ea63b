// Minimal data parallelism for the per-document stages (read, normalize,
// sketch, vectorize), which are pure functions of one document.
#ifndef STORYSIFT_PARALLEL_H_
#define STORYSIFT_PARALLEL_H_

#include <cstddef>
#include <functional>
#include <memory>
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

// ParallelFor over blocks, for loops whose work per index is too small for a
// call each: calls work(begin, end) for the consecutive ranges of `block`
// indices (the last one shorter) that cover [0, n). REQUIRES: block > 0.
void ParallelForBlocks(size_t n, size_t block, int threads,
                       const std::function<void(size_t, size_t)>& work);

namespace internal {
struct ParallelJobState;
}  // namespace internal

// A ParallelFor whose pool threads start at construction, so the caller can
// do serial work of its own (e.g. the previous batch's ordered sink) before
// it joins with Wait(): the caller then runs the chunks left and returns when
// all calls are done. With one thread, every call runs in Wait(), on the
// caller. The destructor waits. `work` must outlive the job. Not copyable.
class ParallelJob {
 public:
  ParallelJob(size_t n, int threads, const std::function<void(size_t)>& work);
  ~ParallelJob();
  ParallelJob(const ParallelJob&) = delete;
  ParallelJob& operator=(const ParallelJob&) = delete;

  void Wait();

 private:
  size_t n_;
  const std::function<void(size_t)>* work_;
  std::shared_ptr<internal::ParallelJobState> job_;  // Null with one thread.
  bool waited_ = false;
};

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
