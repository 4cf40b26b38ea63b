#include "io/ordered_lines.h"

#include <algorithm>
#include <vector>

#include "pipeline/parallel.h"

namespace storysift {
namespace {

// Enough lines a block to keep every thread busy, few enough that a
// block's lines stay small next to what they describe; a task is enough
// work to be worth handing to another thread.
constexpr size_t kLinesPerBlock = 4096;
constexpr size_t kLinesPerTask = 256;

}  // namespace

void WriteLinesInOrder(size_t count, int threads,
                       absl::FunctionRef<std::string(size_t)> line,
                       absl::FunctionRef<void(std::string_view)> write) {
  const int workers = ResolveThreadCount(threads);
  std::vector<std::string> lines;
  for (size_t first = 0; first < count; first += kLinesPerBlock) {
    const size_t n = std::min(kLinesPerBlock, count - first);
    lines.assign(n, std::string());
    ParallelFor((n + kLinesPerTask - 1) / kLinesPerTask, workers, [&](size_t task) {
      const size_t end = std::min(n, (task + 1) * kLinesPerTask);
      for (size_t i = task * kLinesPerTask; i < end; ++i) lines[i] = line(first + i);
    });
    for (const std::string& text : lines) write(text);
  }
}

}  // namespace storysift
