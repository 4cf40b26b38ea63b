#include "eval_input.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "storysift/status_macros.h"

namespace storysift::cli {

absl::StatusOr<EvalFile> ReadEvalFile(const std::string& path,
                                      const std::string& label_field, double min_score) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  bool jsonl = false;
  std::string line;
  while (std::getline(in, line)) {
    absl::string_view v = absl::StripLeadingAsciiWhitespace(line);
    if (v.empty() || v[0] == '#') continue;
    jsonl = v[0] == '{';
    break;
  }
  EvalFile out;
  if (jsonl) {
    LabelFileOptions options;
    if (!label_field.empty()) options.label_fields = {label_field};
    STORYSIFT_ASSIGN_OR_RETURN(Labeling labels, ReadLabelsJsonl(path, options));
    out.labels = std::move(labels);
  } else {
    STORYSIFT_ASSIGN_OR_RETURN(out.pairs, ReadPairsTsv(path, min_score));
  }
  return out;
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
