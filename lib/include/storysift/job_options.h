// The jobs' settings by name: what the CLI's flags and the Python binding's
// keyword arguments both map onto the option structs of jobs.h, so that the
// two accept exactly the same names, values and defaults.
//
// A setting's keyword is its flag without the dashes (--num-perm is
// num_perm). Enum settings take a name from the tables below; Apply*()
// turns the settings into options and checks them with the library's
// validators, before any input is read:
//
//   storysift::DedupSettings settings;
//   settings.method = "simhash";
//   settings.threshold = 0.95;  // simhash: max_hamming from the share of agreeing bits.
//   storysift::DedupJobOptions options;
//   auto verifier = storysift::ApplyDedupSettings(settings, SettingStyle::kKeyword, &options);
#ifndef STORYSIFT_JOB_OPTIONS_H_
#define STORYSIFT_JOB_OPTIONS_H_

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storysift/date.h"
#include "storysift/jobs.h"
#include "storysift/verifier.h"

namespace storysift {

// Each name an enum setting accepts, with its value; the first is the
// default, the order is the one messages and help list.
template <typename Enum>
using EnumNames = std::vector<std::pair<std::string, Enum>>;

const EnumNames<SketchKind>& SketchKindNames();        // method: minhash, simhash
const EnumNames<MinHashScheme>& MinHashSchemeNames();  // scheme: oph, affine
const EnumNames<GroupingMode>& GroupingModeNames();    // grouping: nonchaining, components
const EnumNames<KeepPolicy>& KeepPolicyNames();        // keep: earliest, longest, first
const EnumNames<MarkupMode>& MarkupModeNames();        // markup: auto, html, plain
const EnumNames<Linkage>& LinkageNames();              // linkage: average, single
const EnumNames<StoryMode>& StoryModeNames();          // mode: batch, stream

// The names only, in order ("minhash", "simhash").
template <typename Enum>
std::vector<std::string> NamesOf(const EnumNames<Enum>& names) {
  std::vector<std::string> out;
  for (const auto& entry : names) out.push_back(entry.first);
  return out;
}

// The value named `given`; InvalidArgument "unknown 'x' (a, b)" otherwise
// (the message the CLI's flag check gives too).
std::string UnknownNameMessage(std::string_view given, const std::vector<std::string>& names);
template <typename Enum>
absl::StatusOr<Enum> ParseEnumName(const EnumNames<Enum>& names, std::string_view given) {
  for (const auto& [name, value] : names) {
    if (name == given) return value;
  }
  return absl::InvalidArgumentError(UnknownNameMessage(given, NamesOf(names)));
}

// How messages name a setting (SettingStyle, jobs.h): num_perm (keyword) or
// --num-perm (flag).
std::string SettingName(std::string_view keyword, SettingStyle style);

// The near-duplicate settings of dedup, cluster, index and tune. An unset
// optional keeps the library's default.
struct DedupSettings {
  std::string method = "minhash";
  // minhash: Jaccard; simhash: the share of agreeing bits, which sets
  // max_hamming unless that is given.
  std::optional<double> threshold;
  std::optional<int> max_hamming;
  std::optional<double> containment;      // 0: off.
  std::optional<double> short_threshold;
  std::optional<int> short_shingles;      // 0: no short-pair rule.
  bool no_lookalike_fold = false;
  int num_perm = kDefaultNumPerm;
  int verify_bits = kDefaultVerifyBits;
  std::string scheme = "oph";
  int shingle_size = 0;  // 0: the default of the shingle kind.
  bool char_shingles = false;
  int bands = 0;  // With rows; 0 and 0: from the threshold.
  int rows = 0;
  bool exact_verify = false;
  std::string grouping = "nonchaining";
  std::optional<std::string> keep;  // Unset: earliest.
};

// Sets options->sketch, ->grouper and ->exact_verify from `settings` and
// returns the Verifier they make (the one check of the dedup settings; a
// caller that groups by hand passes it on). InvalidArgument naming the
// setting (in `style`) for a bad value or combination.
absl::StatusOr<Verifier> ApplyDedupSettings(const DedupSettings& settings, SettingStyle style,
                                            DedupJobOptions* options);

// The ranges of the numeric story settings that ApplyStorySettings checks
// (the CLI declares its flags with them, so its help and checks are these).
// The window counts whole seconds: at least one, at most 400 years, the
// span of the dates the readers accept (kMaxRetentionDays, date.h).
inline constexpr double kMinWindowDays = 1.0 / 86400;
inline constexpr double kMaxWindowDays = kMaxRetentionDays;
inline constexpr int kMaxLabelTerms = 1000;      // label_terms and new_terms.
inline constexpr int kMaxShortTextTerms = 100000;
// title_weight, name_weight and table_word_weight are floats.
inline constexpr double kMaxTermWeight = std::numeric_limits<float>::max();

// The story settings of cluster and the StoryAssigner.
struct StorySettings {
  double story_threshold = StoryOptions().threshold;
  double window_days = StoryOptions().window_seconds / 86400.0;  // kMinWindowDays..kMaxWindowDays
  std::string linkage = "average";
  std::string mode = "batch";
  int label_terms = StoryOptions().label_terms;
  int new_terms = NoveltyOptions().new_terms;
  int short_text_terms = StoryOptions().short_text_terms;
  double cohesion_split = StoryOptions().cohesion_split;
  double stray_join = StoryOptions().stray_join;
  double title_weight = TfidfOptions().title_weight;
  double name_weight = TfidfOptions().name_weight;
  double table_word_weight = TfidfOptions().table_word_weight;
};

// Sets options->stories and ->tfidf from `settings` and checks them (the
// ranges above, then the story clusterer's validation). InvalidArgument
// naming the setting. A threshold narrowed to a float stays on the side of
// its range's bounds that it was on (story_threshold 1e-300 is the least
// positive float, not 0).
// options->idf (a file) is the caller's: IdfModel::Load.
absl::Status ApplyStorySettings(const StorySettings& settings, SettingStyle style,
                                ClusterJobOptions* options);

// The values a numeric setting takes, as its flag (`storysift ... --label-terms`)
// and keyword (label_terms=) are checked: a finite number from lo to hi,
// each end included unless open. The one table of them; a setting of a
// struct above whose 0 stands for "the default" (shingle_size, bands, rows)
// is checked here when given, since a 0 given is no default.
struct SettingRange {
  std::string_view keyword;
  double lo, hi;
  bool lo_open = false;
  bool hi_open = false;
};
const std::vector<SettingRange>& SettingRanges();

// InvalidArgument naming the setting (in `style`) and its range when `value`
// is not a finite number in it; OK for a setting without a range.
absl::Status CheckSettingRange(std::string_view keyword, double value, SettingStyle style);

// Stemming shapes only TF-IDF terms (cluster, the StoryAssigner, `idf
// build`): a call that makes none and would ignore it refuses `stem`, saying
// what it reads instead (`reads`: "dedup compares words as written").
absl::Status RefuseStem(bool stem, std::string_view reads, SettingStyle style);

// The input's field settings (id_field ... url_field; --id-field ...): a
// named field replaces that field's aliases and becomes required
// (FieldNames::required); an empty name keeps the aliases.
struct FieldSettings {
  std::string id, title, text, date, source, url;
};
void ApplyFieldSettings(const FieldSettings& settings, FieldNames* fields);

}  // namespace storysift

#endif  // STORYSIFT_JOB_OPTIONS_H_
