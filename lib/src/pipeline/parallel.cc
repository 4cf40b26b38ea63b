#include "storysift/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace storysift {

int ResolveThreadCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& work) {
  const size_t workers = std::min<size_t>(std::max(threads, 1), n);
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) work(i);
    return;
  }
  // Small chunks handed out dynamically balance uneven document lengths;
  // which thread runs a chunk never affects the result.
  const size_t chunk = std::max<size_t>(1, n / (workers * 8));
  std::atomic<size_t> next{0};
  auto run = [&] {
    for (;;) {
      const size_t begin = next.fetch_add(chunk);
      if (begin >= n) return;
      const size_t end = std::min(n, begin + chunk);
      for (size_t i = begin; i < end; ++i) work(i);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (size_t t = 1; t < workers; ++t) pool.emplace_back(run);
  run();
  for (std::thread& t : pool) t.join();
}

}  // namespace storysift
