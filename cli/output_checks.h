// The check every command with -o and --report makes before it reads
// anything: its outputs are distinct files, none of them is an input, and
// none lies inside an input directory.
#ifndef STORYSIFT_CLI_OUTPUT_CHECKS_H_
#define STORYSIFT_CLI_OUTPUT_CHECKS_H_

#include <string>
#include <vector>

#include "input_flags.h"
#include "io/output_file.h"

namespace storysift::cli {

// Usage error (exit 2) when -o, --report and the `extra` outputs (e.g.
// {"--html", path}; empty paths are absent) name one file, or any names an
// input or lies inside an input directory. `extra_inputs` are the command's
// other inputs (e.g. {"--gold", path}).
inline absl::Status CheckOutputAndReport(const InputFlags& input, const std::string& output,
                                         std::vector<NamedPath> extra = {},
                                         std::vector<NamedPath> extra_inputs = {}) {
  std::vector<NamedPath> inputs = std::move(extra_inputs);
  for (const std::string& in : input.inputs) inputs.push_back({"an input", in});
  std::vector<NamedPath> outputs = {{"-o", output}, {"--report", input.report_path}};
  for (NamedPath& e : extra) outputs.push_back(std::move(e));
  return AsUsageError(CheckOutputPaths(outputs, inputs));
}

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_OUTPUT_CHECKS_H_
