#include "pipeline/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace storysift {
namespace internal {

// One ParallelFor call: chunks of [0, n) claimed through `next`, each a
// share of what is left (guided scheduling). Early chunks are long (few
// claims, consecutive items stay on one thread); the last ones are single
// items, so the threads finish within about one item of each other. Fixed
// chunks of n / (8 * threads) left one core idle for half a chunk at the end
// of every call on average, ~0.3 ms a 512-document batch of `dedup`.
struct ParallelJobState {
  size_t n = 0;
  size_t divisor = 1;  // A claim takes (n - next) / divisor items, at least 1.
  const std::function<void(size_t)>* work = nullptr;
  std::atomic<size_t> next{0};
  std::atomic<int> running{0};       // Pool threads inside RunChunks().
  std::mutex mu;
  std::condition_variable done;

  void RunChunks() {
    size_t begin = next.load(std::memory_order_relaxed);
    for (;;) {
      if (begin >= n) return;
      const size_t size = std::max<size_t>(1, (n - begin) / divisor);
      if (!next.compare_exchange_weak(begin, begin + size)) continue;  // `begin` reloaded.
      for (size_t i = begin; i < begin + size; ++i) (*work)(i);
      begin = next.load(std::memory_order_relaxed);
    }
  }
};

}  // namespace internal
namespace {

using Job = internal::ParallelJobState;

// A claim takes 1 / (threads * this) of the items left: 2 keeps the first
// claims large (a quarter of a 2-thread call each) while the tail shrinks
// geometrically to single items.
constexpr size_t kClaimsPerThreadShare = 2;

// Worker threads kept for the life of the process. The pipeline runs a
// ParallelFor per batch (several in cluster mode), and starting threads for
// each cost thread creation plus every thread_local buffer regrown from
// empty. The caller always works on its own job, so a job completes even if
// no pool thread is free (nested or concurrent calls cannot deadlock).
class WorkerPool {
 public:
  static WorkerPool& Get() {
    static WorkerPool* const pool = new WorkerPool();  // Never destroyed.
    return *pool;
  }

  // Offers `job` to up to `helpers` pool threads, starting threads as needed.
  void Offer(const std::shared_ptr<Job>& job, int helpers) {
    std::lock_guard<std::mutex> lock(mu_);
    while (idle_ < helpers) {
      std::thread(&WorkerPool::Loop, this).detach();
      ++idle_;
    }
    for (int h = 0; h < helpers; ++h) queue_.push_back(job);
    wake_.notify_all();
  }

 private:
  void Loop() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        wake_.wait(lock, [&] { return !queue_.empty(); });
        job = std::move(queue_.front());
        queue_.pop_front();
        --idle_;
      }
      job->running.fetch_add(1);
      job->RunChunks();
      // Idle again before the caller is released: counted after, a caller
      // that offered its next job at once found no idle thread and started
      // another (a 20k-document dedup at --threads 2 ran on 2 helpers, each
      // warming its own thread_local caches).
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++idle_;
      }
      if (job->running.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(job->mu);
        job->done.notify_all();
      }
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Job>> queue_;
  int idle_ = 0;  // Threads not running a job (counted before they start).
};

}  // namespace

int ResolveThreadCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

ParallelJob::ParallelJob(size_t n, int threads, const std::function<void(size_t)>& work)
    : n_(n), work_(&work) {
  const size_t workers = std::min<size_t>(std::max(threads, 1), n);
  if (workers <= 1) return;  // Wait() runs every call on the caller.
  // Chunks handed out dynamically (shrinking, see Job) balance uneven
  // document lengths; which thread runs a chunk never affects the result.
  job_ = std::make_shared<Job>();
  job_->n = n;
  job_->divisor = workers * kClaimsPerThreadShare;
  job_->work = &work;
  WorkerPool::Get().Offer(job_, static_cast<int>(workers - 1));
}

ParallelJob::~ParallelJob() { Wait(); }

void ParallelJob::Wait() {
  if (waited_) return;
  waited_ = true;
  if (job_ == nullptr) {
    for (size_t i = 0; i < n_; ++i) (*work_)(i);
    return;
  }
  job_->RunChunks();
  // Every chunk is claimed. Helpers that have not picked the job up yet will
  // find nothing to do; wait only for those running chunks now.
  std::unique_lock<std::mutex> lock(job_->mu);
  job_->done.wait(lock, [&] { return job_->running.load() == 0; });
}

void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& work) {
  ParallelJob(n, threads, work).Wait();
}

void ParallelForBlocks(size_t n, size_t block, int threads,
                       const std::function<void(size_t, size_t)>& work) {
  ParallelFor((n + block - 1) / block, threads,
              [&](size_t b) { work(b * block, std::min(n, (b + 1) * block)); });
}

}  // namespace storysift
