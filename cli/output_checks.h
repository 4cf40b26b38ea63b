// The check every command with -o and --report makes before it reads
// anything: the two outputs are distinct files and neither is an input.
#ifndef STORYSIFT_CLI_OUTPUT_CHECKS_H_
#define STORYSIFT_CLI_OUTPUT_CHECKS_H_

#include <string>
#include <vector>

#include "input_flags.h"
#include "storysift/output_file.h"

namespace storysift::cli {

// Usage error (exit 2) when -o and --report name one file, or either names
// an input.
inline absl::Status CheckOutputAndReport(const InputFlags &input,
                                         const std::string &output) {
  std::vector<NamedPath> inputs;
  for (const std::string &in : input.inputs)
    inputs.push_back({"an input", in});
  return AsUsageError(CheckOutputPaths(
      {{"-o", output}, {"--report", input.report_path}}, inputs));
}

} // namespace storysift::cli

#endif // STORYSIFT_CLI_OUTPUT_CHECKS_H_
