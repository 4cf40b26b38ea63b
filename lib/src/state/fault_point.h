// Crash testing for the commit protocols (state directory, index file,
// outputs): with STORYSIFT_FAULT="<step>:<n>" in the environment, the n-th
// time (1-based) the process reaches FaultPoint("<step>") it ends at once
// with _exit(kFaultExitCode), as a kill -9 would: no destructors, no
// flushing. Unset (always, outside tests), a fault point costs one branch.
#ifndef STORYSIFT_STATE_FAULT_POINT_H_
#define STORYSIFT_STATE_FAULT_POINT_H_

#include <string_view>

namespace storysift::internal {

inline constexpr int kFaultExitCode = 86;

// Thread-safe.
void FaultPoint(std::string_view step);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_FAULT_POINT_H_
