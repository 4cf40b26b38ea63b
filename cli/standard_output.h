// Standard output's write errors. stdio keeps a failed write (a full disk,
// `> /dev/full`) in the stream's error flag, and the exit's own flush fails
// without a word, so a command that printed with printf/fputs would exit 0
// having lost its output. main() ends every command through
// FinishStandardOutput, so none can forget.
#ifndef STORYSIFT_CLI_STANDARD_OUTPUT_H_
#define STORYSIFT_CLI_STANDARD_OUTPUT_H_

#include "absl/status/status.h"

namespace storysift::cli {

// Flushes standard output. An error of this flush or of any earlier write
// is "cannot write standard output: <reason>" (the words OutputFile uses).
absl::Status FlushStandardOutput();

// `exit_code` as it is, unless it is kExitOk and standard output cannot be
// written: then the error is printed and the exit code is kExitBadInput. A
// command that failed already said why (a failed write of its own output
// included), so nothing is added to its message.
int FinishStandardOutput(int exit_code);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_STANDARD_OUTPUT_H_
