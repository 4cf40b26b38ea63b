// Output lines formatted in parallel and written in order.
#ifndef STORYSIFT_IO_ORDERED_LINES_H_
#define STORYSIFT_IO_ORDERED_LINES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"

namespace storysift {

// Calls write(line(i)) for i in [0, count), in that order; the lines are
// made on `threads` threads (0: one per core), a block at a time, the next
// block while one is written, so at most two blocks' lines are held at once.
// `line` is called concurrently, also with `write`: it must only read
// shared state, and `write` must not change what `line` reads.
void WriteLinesInOrder(size_t count, int threads,
                       absl::FunctionRef<std::string(size_t)> line,
                       absl::FunctionRef<void(std::string_view)> write);

}  // namespace storysift

#endif  // STORYSIFT_IO_ORDERED_LINES_H_
