// KeepUntilExit: a command's big result, once its outputs are committed,
// left for the process's exit to free.
#ifndef STORYSIFT_CLI_KEEP_UNTIL_EXIT_H_
#define STORYSIFT_CLI_KEEP_UNTIL_EXIT_H_

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace storysift::cli {

// Moves `value` into a holder that is never destroyed (still reachable, so
// leak checkers stay quiet). A result holds tens of thousands of small
// blocks (ids, stories, their terms); its destructor freed them one by one
// on one thread after the output was written, where the exit returns the
// whole heap to the system at once. Only for values whose destructors do
// nothing but free memory.
template <typename T>
void KeepUntilExit(T&& value) {
  static auto* const kept = new std::vector<std::shared_ptr<void>>();
  kept->push_back(std::make_shared<std::decay_t<T>>(std::forward<T>(value)));
}

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_KEEP_UNTIL_EXIT_H_
