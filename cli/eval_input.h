// Reading the files `eval` and `tune` compare: label JSON lines (or an
// array) or pair TSVs, told apart by their first record.
#ifndef STORYSIFT_CLI_EVAL_INPUT_H_
#define STORYSIFT_CLI_EVAL_INPUT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/eval.h"

namespace storysift::cli {

// One input of eval/tune: labels (JSON lines or array) or scored pairs (TSV).
using EvalFile = LabelsOrPairs;

// ReadLabelsOrPairs, `label_field` (when not empty) the only label field
// tried. NotFound for a missing file; InvalidArgument "file:line".
absl::StatusOr<EvalFile> ReadEvalFile(const std::string& path,
                                      const std::string& label_field, double min_score);

// InvalidArgument when gold read from `path` holds no labelled record or no
// pair (none with a score >= min_gold): against nothing, any prediction
// would score recall 1.
absl::Status CheckGoldHoldsSomething(const EvalFile& gold, const std::string& path,
                                     double min_gold);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_EVAL_INPUT_H_
