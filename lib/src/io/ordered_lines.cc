#include "io/ordered_lines.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "pipeline/parallel.h"

namespace storysift {
namespace {

// Enough lines a block to keep every thread busy, few enough that a
// block's lines stay small next to what they describe; a task is enough
// work to be worth handing to another thread.
constexpr size_t kLinesPerBlock = 4096;
constexpr size_t kLinesPerTask = 256;
// The first block is small and each next one twice the size up to
// kLinesPerBlock: writing starts after a few lines are made, and from the
// second block on every block is made while the one before is written.
constexpr size_t kFirstBlockLines = 2 * kLinesPerTask;

// Lines [first, first + size) of the output: made into `lines`, by a
// ParallelJob that runs while the caller writes the block before.
class LineBlock {
 public:
  explicit LineBlock(absl::FunctionRef<std::string(size_t)> line)
      : make_task_([this, line](size_t task) {
          const size_t end = std::min(lines_.size(), (task + 1) * kLinesPerTask);
          for (size_t i = task * kLinesPerTask; i < end; ++i) lines_[i] = line(first_ + i);
        }) {}
  LineBlock(const LineBlock&) = delete;
  LineBlock& operator=(const LineBlock&) = delete;

  // Starts making the block's lines on the pool's threads; Finish() joins.
  void Start(size_t first, size_t size, int workers) {
    first_ = first;
    lines_.assign(size, std::string());
    job_.emplace((size + kLinesPerTask - 1) / kLinesPerTask, workers, make_task_);
  }
  // Makes the lines not yet made (on the caller too); returns them all.
  const std::vector<std::string>& Finish() {
    job_->Wait();
    job_.reset();
    return lines_;
  }

 private:
  size_t first_ = 0;
  std::vector<std::string> lines_;
  const std::function<void(size_t)> make_task_;  // Outlives job_, as ParallelJob asks.
  std::optional<ParallelJob> job_;
};

}  // namespace

void WriteLinesInOrder(size_t count, int threads,
                       absl::FunctionRef<std::string(size_t)> line,
                       absl::FunctionRef<void(std::string_view)> write) {
  if (count == 0) return;
  const int workers = ResolveThreadCount(threads);
  LineBlock blocks[2] = {LineBlock(line), LineBlock(line)};
  LineBlock* current = &blocks[0];
  LineBlock* following = &blocks[1];
  current->Start(0, std::min(kFirstBlockLines, count), workers);
  for (size_t first = 0; first < count;) {
    const std::vector<std::string>& ready = current->Finish();
    const size_t next = first + ready.size();
    // The next block is made while this one is written.
    if (next < count) {
      following->Start(next, std::min({2 * ready.size(), kLinesPerBlock, count - next}), workers);
    }
    for (const std::string& text : ready) write(text);
    first = next;
    std::swap(current, following);
  }
}

}  // namespace storysift
