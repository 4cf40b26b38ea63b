// CLI11 validators for numeric and enum flag values, so that every bad value
// (NaN, infinity, negative, out of range, unknown name) is a usage error:
// CLI11 rejects it while parsing, with a message naming the flag, and the
// tool exits 2 before reading any input.
#ifndef STORYSIFT_CLI_FLAG_CHECKS_H_
#define STORYSIFT_CLI_FLAG_CHECKS_H_

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "storysift/job_options.h"

namespace storysift::cli {

// Which end of a range a value may touch.
enum class Bound { kClosed, kOpen };

// A finite number in [lo, hi] (or (lo, ...) / (..., hi) where a bound is
// kOpen). Rejects "nan", "inf" and anything that is not a number.
CLI::Validator NumberIn(double lo, double hi, Bound lo_bound = Bound::kClosed,
                        Bound hi_bound = Bound::kClosed);

// The largest integer a double holds exactly, 2^53: the bound of a count of
// bytes (8 PiB; 0 is no limit), whose value the checks read as a double.
inline constexpr double kMaxExactInteger = 9007199254740992.0;

// A number of days for --retention-days, in [0, kMaxRetentionDays]
// (storysift/date.h): a longer window keeps everything anyway, and its
// seconds would overflow.
CLI::Validator RetentionDays();

// One of `names` exactly: "unknown 'x' (a, b)" otherwise.
CLI::Validator OneOf(std::vector<std::string> names);

// Adds `flag`, which sets *value to the value of the name given (the
// library's table, storysift/job_options.h); any other name is a usage
// error, as OneOf. The help shows the names and, for an Enum target, the
// default's name. `value` may be a std::optional<Enum>, which stays empty
// when the flag is not given.
template <typename Enum, typename Target>
CLI::Option* AddEnumOption(CLI::App* cmd, const std::string& flag, Target* value,
                           const EnumNames<Enum>& names, const std::string& help) {
  CLI::Option* option = cmd->add_option_function<std::string>(
      flag,
      [value, names](const std::string& given) {
        for (const auto& [name, e] : names) {
          if (name == given) *value = e;
        }
      },
      help);
  option->check(OneOf(NamesOf(names)));
  if constexpr (std::is_same_v<Target, Enum>) {
    for (const auto& [name, e] : names) {
      if (e == *value) option->default_str(name);
    }
  }
  return option;
}

// Adds `flag`, which sets the named setting *value (checked by name against
// the library's table: the library maps it, storysift/job_options.h).
template <typename Enum>
CLI::Option* AddNameOption(CLI::App* cmd, const std::string& flag, std::string* value,
                           const EnumNames<Enum>& names, const std::string& help) {
  return cmd->add_option(flag, *value, help)->capture_default_str()->check(OneOf(NamesOf(names)));
}
template <typename Enum>
CLI::Option* AddNameOption(CLI::App* cmd, const std::string& flag,
                           std::optional<std::string>* value, const EnumNames<Enum>& names,
                           const std::string& help) {
  return cmd
      ->add_option_function<std::string>(
          flag, [value](const std::string& given) { *value = given; }, help)
      ->check(OneOf(NamesOf(names)));
}

// Adds `flag`, which sets the optional *value (unset: the library's default).
template <typename T>
CLI::Option* AddOptionalOption(CLI::App* cmd, const std::string& flag, std::optional<T>* value,
                               const std::string& help) {
  return cmd->add_option_function<T>(
      flag, [value](const T& given) { *value = given; }, help);
}

}  // namespace storysift::cli

#endif  // STORYSIFT_CLI_FLAG_CHECKS_H_
