// CLI11 validators for numeric and enum flag values, so that every bad value
// (NaN, infinity, negative, out of range, unknown name) is a usage error:
// CLI11 rejects it while parsing, with a message naming the flag, and the
// tool exits 2 before reading any input.
#ifndef STORYSIFT_CLI_FLAG_CHECKS_H_
#define STORYSIFT_CLI_FLAG_CHECKS_H_

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

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

// One of `names` exactly: "unknown 'x' (a, b)" otherwise.
CLI::Validator OneOf(std::vector<std::string> names);

// Each name an enum flag accepts, with its value, in help order.
template <typename Enum>
using EnumNames = std::vector<std::pair<std::string, Enum>>;

// Adds `flag`, which sets *value to the value of the name given; any other
// name is a usage error, as OneOf. The help shows the names and, for an
// Enum target, the default's name. `value` may be a std::optional<Enum>,
// which stays empty when the flag is not given.
template <typename Enum, typename Target>
CLI::Option* AddEnumOption(CLI::App* cmd, const std::string& flag, Target* value,
                           const EnumNames<Enum>& names, const std::string& help) {
  std::vector<std::string> accepted;
  for (const auto& entry : names) accepted.push_back(entry.first);
  CLI::Option* option = cmd->add_option_function<std::string>(
      flag,
      [value, names](const std::string& given) {
        for (const auto& [name, e] : names) {
          if (name == given) *value = e;
        }
      },
      help);
  option->check(OneOf(std::move(accepted)));
  if constexpr (std::is_same_v<Target, Enum>) {
    for (const auto& [name, e] : names) {
      if (e == *value) option->default_str(name);
    }
  }
  return option;
}

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_FLAG_CHECKS_H_
