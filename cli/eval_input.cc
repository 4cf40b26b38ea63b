#include "eval_input.h"

#include "absl/strings/str_cat.h"
#include "storysift/status_macros.h"

namespace storysift::cli {

absl::StatusOr<EvalFile> ReadEvalFile(const std::string& path,
                                      const std::string& label_field, double min_score) {
  LabelFileOptions options;
  if (!label_field.empty()) options.label_fields = {label_field};
  return ReadLabelsOrPairs(path, options, min_score);
}

absl::Status CheckGoldHoldsSomething(const EvalFile& gold, const std::string& path,
                                     double min_gold) {
  if (gold.labels ? !gold.labels->empty() : !gold.pairs.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "gold ", path, " holds no ", gold.labels ? "labelled record" : "pair",
      !gold.labels && min_gold > 0 ? absl::StrCat(" with a score >= ", min_gold, " (--min-gold)")
                                   : "",
      ": nothing to score against"));
}

}  // namespace storysift::cli
