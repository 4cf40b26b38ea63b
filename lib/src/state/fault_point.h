// Crash testing for the commit protocols (state directory, index file,
// outputs): with STORYSIFT_FAULT="<step>:<n>" in the environment, the n-th
// time (1-based) the process reaches FaultPoint("<step>") it ends at once
// with _exit(kFaultExitCode), as a kill -9 would: no destructors, no
// flushing. With STORYSIFT_FAULT="<step>:<n>:error", the n-th time it
// reaches FaultError("<step>") that step fails as an I/O error would, and
// the run goes on to handle it (SQLite's ioerr tests; STYLE.md section 8).
// Unset (always, outside tests), a fault point costs one branch.
#ifndef STORYSIFT_STATE_FAULT_POINT_H_
#define STORYSIFT_STATE_FAULT_POINT_H_

#include <string_view>

namespace storysift::internal {

inline constexpr int kFaultExitCode = 86;

// Thread-safe.
void FaultPoint(std::string_view step);

// True when the planned "<step>:<n>:error" fault is this call: the caller
// fails the step (with EIO). Thread-safe.
bool FaultError(std::string_view step);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_FAULT_POINT_H_
