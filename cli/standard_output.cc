#include "standard_output.h"

#include <cerrno>
#include <cstdio>
#include <string>

#include "input_flags.h"
#include "state/durable_io.h"

namespace storysift::cli {

absl::Status FlushStandardOutput() {
  errno = 0;
  // A flush retries what an earlier failed write left in the buffer, so its
  // errno is usually the reason; a stream whose failed bytes are gone still
  // has its error flag.
  const bool flushed = std::fflush(stdout) == 0;
  if (flushed && std::ferror(stdout) == 0) return absl::OkStatus();
  const int err = !flushed && errno != 0 ? errno : EIO;
  return internal::ErrnoError(err, "cannot write", "standard output");
}

int FinishStandardOutput(int exit_code) {
  const absl::Status written = FlushStandardOutput();
  if (written.ok() || exit_code != kExitOk) return exit_code;
  return ReportError(written);
}

}  // namespace storysift::cli
