// What the commands that write a daily state or an index share: the
// --wait flag and exit code 3 for "another run holds the lock".
#ifndef STORYSIFT_CLI_LOCK_FLAGS_H_
#define STORYSIFT_CLI_LOCK_FLAGS_H_

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "flag_checks.h"
#include "input_flags.h"
#include "storysift/file_lock.h"

namespace storysift::cli {

// Another storysift process holds the state's or index's lock.
inline constexpr int kExitLocked = 3;

inline CLI::Option* AddWaitFlag(CLI::App* cmd, double* wait_seconds) {
  return cmd->add_option("--wait", *wait_seconds,
                  "If another run holds the lock, wait up to this many seconds "
                  "(default: fail "
                  "at once with exit code 3)")
      ->check(NumberIn(0, 7 * 86400.0));  // CLI::Range let "nan" through.
}

// ReportError, with kExitLocked for a held lock.
inline int ReportRunError(const absl::Status& status) {
  return ReportError(status, IsLockHeld(status) ? kExitLocked : kExitBadInput);
}

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_LOCK_FLAGS_H_
