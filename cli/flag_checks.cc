#include "flag_checks.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storysift/date.h"

namespace storysift::cli {
namespace {

// A bound as one would type it: an integer in full (2147483647, not
// 2.14748e+09), anything else in 6 digits.
std::string BoundText(double v) {
  if (v == std::floor(v) && std::abs(v) <= kMaxExactInteger) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  return absl::StrCat(v);
}

std::string RangeText(double lo, double hi, Bound lo_bound, Bound hi_bound) {
  if (hi == std::numeric_limits<double>::infinity()) {
    return absl::StrCat(lo_bound == Bound::kOpen ? "> " : ">= ", BoundText(lo));
  }
  return absl::StrCat(lo_bound == Bound::kOpen ? "(" : "[", BoundText(lo), ", ", BoundText(hi),
                      hi_bound == Bound::kOpen ? ")" : "]");
}

}  // namespace

CLI::Validator NumberIn(double lo, double hi, Bound lo_bound, Bound hi_bound) {
  const std::string range = RangeText(lo, hi, lo_bound, hi_bound);
  return CLI::Validator(
      [=](std::string& input) -> std::string {
        errno = 0;
        char* end = nullptr;
        const double v = std::strtod(input.c_str(), &end);
        if (input.empty() || end != input.c_str() + input.size() || errno == ERANGE) {
          return absl::StrCat("'", input, "' is not a number");
        }
        const bool in_range = std::isfinite(v) &&
                              (lo_bound == Bound::kOpen ? v > lo : v >= lo) &&
                              (hi_bound == Bound::kOpen ? v < hi : v <= hi);
        if (!in_range) return absl::StrCat(input, " is not a finite number in ", range);
        return std::string();
      },
      range);
}

CLI::Validator RetentionDays() { return NumberIn(0, kMaxRetentionDays); }

CLI::Validator OneOf(std::vector<std::string> names) {
  const std::vector<std::string> allowed = std::move(names);
  const std::string list = absl::StrJoin(allowed, ", ");
  return CLI::Validator(
      [allowed, list](std::string& input) -> std::string {
        for (const std::string& name : allowed) {
          if (input == name) return std::string();
        }
        return absl::StrCat("unknown '", input, "' (", list, ")");
      },
      list);
}

}  // namespace storysift::cli
