// The settings' value ranges and the stem refusal: the checks the CLI's
// flags and the Python keywords share (storysift/job_options.h).
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "storysift/date.h"
#include "storysift/job_options.h"
#include "storysift/minhash.h"
#include "storysift/shingle.h"
#include "storysift/simhash_index.h"

namespace storysift {
namespace {

constexpr double kUnbounded = std::numeric_limits<double>::infinity();
// Byte limits: whole numbers a double holds exactly (2^53), as the CLI takes.
constexpr double kMaxExactInteger = 9007199254740992.0;

std::string RangeText(const SettingRange& r) {
  if (r.hi == kUnbounded) return absl::StrCat(r.lo_open ? "> " : ">= ", r.lo);
  return absl::StrCat(r.lo_open ? "(" : "[", r.lo, ", ", r.hi, r.hi_open ? ")" : "]");
}

}  // namespace

const std::vector<SettingRange>& SettingRanges() {
  static const auto* ranges = new std::vector<SettingRange>{
      // Near-duplicates. The limits are the library's own (one source for
      // the CLI's flags, the Python keywords and the checks that apply them).
      {"threshold", 0, 1, /*lo_open=*/true},
      {"max_hamming", 0, kMaxSimHashDistance},
      {"containment", 0, 1},
      {"short_threshold", 0, 1},
      {"short_shingles", 0, kUnbounded},
      {"num_perm", 1, kMaxNumPerm},
      {"shingle_size", 1, kMaxShingleSize},
      {"bands", 1, kMaxNumPerm},
      {"rows", 1, kMaxNumPerm},
      // Stories.
      {"story_threshold", 0, 1, true},
      {"window_days", kMinWindowDays, kMaxWindowDays},
      {"label_terms", 0, kMaxLabelTerms},
      {"new_terms", 0, kMaxLabelTerms},
      {"title_weight", 0, kMaxTermWeight},
      {"name_weight", 0, kMaxTermWeight},
      {"table_word_weight", 0, kMaxTermWeight},
      {"short_text_terms", 0, kMaxShortTextTerms},
      {"cohesion_split", 0, 1, false, /*hi_open=*/true},
      {"stray_join", 0, 1},
      // Reading and running.
      {"max_doc_bytes", 0, kMaxExactInteger},
      {"max_line_bytes", 0, kMaxExactInteger},
      {"threads", 0, 4096},
      {"retention_days", 0, static_cast<double>(kMaxRetentionDays)},
  };
  return *ranges;
}

absl::Status CheckSettingRange(std::string_view keyword, double value, SettingStyle style) {
  for (const SettingRange& r : SettingRanges()) {
    if (r.keyword != keyword) continue;
    const bool in_range = std::isfinite(value) && (r.lo_open ? value > r.lo : value >= r.lo) &&
                          (r.hi_open ? value < r.hi : value <= r.hi);
    if (in_range) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(SettingName(keyword, style), ": ", value,
                                                   " is not a finite number in ",
                                                   RangeText(r)));
  }
  return absl::OkStatus();
}

absl::Status RefuseStem(bool stem, std::string_view reads, SettingStyle style) {
  if (!stem) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      SettingName("stem", style), ": ", std::string(reads), "; stemming shapes only the TF-IDF terms of ",
      style == SettingStyle::kFlag ? "`cluster` and `idf build`"
                                   : "cluster and the StoryAssigner"));
}

}  // namespace storysift
