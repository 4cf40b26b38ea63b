// A one-line progress meter on stderr: documents read, MB/s, the stage and,
// when the input size is known, the share read and an ETA; redrawn with a
// carriage return at most four times a second. On when stderr is a
// terminal or with --progress; never with --quiet; never on stdout.
#ifndef STORYSIFT_CLI_PROGRESS_H_
#define STORYSIFT_CLI_PROGRESS_H_

#include "input_flags.h"
#include "storysift/input_stream.h"

namespace storysift::cli {

// Starts the meter over `progress` (which must outlive StopProgress()) if
// the flags and stderr ask for it. One meter per process.
void StartProgress(const InputFlags& flags, const InputProgress& progress);
// Names what the run is doing now ("reading" until set).
void SetProgressStage(const char* stage);
// Clears the line and stops the meter; a no-op when none runs.
void StopProgress();

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_PROGRESS_H_
