// CLI11 validators for numeric and enum flag values, so that every bad value
// (NaN, infinity, negative, out of range, unknown name) is a usage error:
// CLI11 rejects it while parsing, with a message naming the flag, and the
// tool exits 2 before reading any input.
#ifndef STORYSIFT_CLI_FLAG_CHECKS_H_
#define STORYSIFT_CLI_FLAG_CHECKS_H_

#include <initializer_list>
#include <string>

#include "CLI/CLI.hpp"

namespace storysift::cli {

// Which end of a range a value may touch.
enum class Bound { kClosed, kOpen };

// A finite number in [lo, hi] (or (lo, ...) / (..., hi) where a bound is
// kOpen). Rejects "nan", "inf" and anything that is not a number.
CLI::Validator NumberIn(double lo, double hi, Bound lo_bound = Bound::kClosed,
                        Bound hi_bound = Bound::kClosed);

// A finite number >= 0 (> 0 with kOpen).
CLI::Validator NonNegative(Bound lo_bound = Bound::kClosed);

// One of `names` exactly.
CLI::Validator OneOf(std::initializer_list<std::string> names);

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_FLAG_CHECKS_H_
