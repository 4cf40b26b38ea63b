// The settings' names and their one mapping onto the jobs' options.
#include "storysift/job_options.h"

#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "storysift/minhash.h"
#include "storysift/shingle.h"
#include "storysift/sketcher.h"
#include "storysift/status_macros.h"
#include "storysift/story_clusterer.h"

namespace storysift {
namespace {

constexpr double kSecondsPerDay = 86400;

// `status` with the setting's name in front ("keep: unknown 'x' (...)").
absl::Status Named(std::string_view keyword, SettingStyle style, absl::Status status) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(SettingName(keyword, style), ": ", std::string(status.message())));
}

template <typename Enum>
absl::Status ParseSetting(std::string_view keyword, SettingStyle style,
                          const EnumNames<Enum>& names, std::string_view given, Enum* out) {
  absl::StatusOr<Enum> value = ParseEnumName(names, given);
  if (!value.ok()) return Named(keyword, style, value.status());
  *out = *value;
  return absl::OkStatus();
}

// `value` as a float on the same side of `lo` and of `hi` as it is: the
// float nearest it, unless that is a bound it is not (0.9999999999 is just
// below 1, 1e-300 the least positive float). So the story clusterer's range
// checks, on floats, judge what was given.
float NarrowInside(double value, float lo, float hi) {
  float narrowed = static_cast<float>(value);
  if (value > lo && narrowed <= lo) narrowed = std::nextafter(lo, hi);
  if (value < hi && narrowed >= hi) narrowed = std::nextafter(hi, lo);
  return narrowed;
}

// `value` of the setting `keyword` in [lo, hi]; InvalidArgument naming both
// otherwise (NaN too).
absl::Status CheckInRange(std::string_view keyword, SettingStyle style, double value, double lo,
                          double hi, std::string_view unit = "") {
  if (value >= lo && value <= hi) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(SettingName(keyword, style), " ", value,
                                                 " is outside [", lo, ", ", hi, "]",
                                                 std::string(unit)));
}

// The shingles and the sketch: what Sketcher::Create checks.
absl::Status ApplySketchSettings(const DedupSettings& s, SettingStyle style,
                                 SketchOptions* sketch) {
  STORYSIFT_RETURN_IF_ERROR(ParseSetting("method", style, SketchKindNames(), s.method, &sketch->kind));
  STORYSIFT_RETURN_IF_ERROR(
      ParseSetting("scheme", style, MinHashSchemeNames(), s.scheme, &sketch->minhash.scheme));
  STORYSIFT_RETURN_IF_ERROR(CheckInRange("num_perm", style, s.num_perm, 1, kMaxNumPerm));
  if (s.shingle_size != 0) {  // 0: the shingle kind's default.
    STORYSIFT_RETURN_IF_ERROR(
        CheckInRange("shingle_size", style, s.shingle_size, 1, kMaxShingleSize));
  }
  sketch->minhash.num_perm = s.num_perm;
  sketch->verify_bits = s.verify_bits;
  if (s.char_shingles) {
    sketch->shingle.kind = ShingleKind::kChar;
    sketch->shingle.size = kDefaultCharShingleSize;
  }
  if (s.shingle_size != 0) sketch->shingle.size = s.shingle_size;
  if (s.no_lookalike_fold) sketch->shingle.fold_lookalikes = false;
  return Sketcher::Create(*sketch).status();
}

// The SimHash distance the settings ask for, refused (naming the setting
// it came from) past the widest the SimHash index serves: Verifier::Create
// would refuse it without naming the setting, and the index at 16 only
// after the input was read.
absl::Status ApplyMaxHamming(const DedupSettings& s, SettingStyle style, SketchKind kind,
                             CopyGrouperOptions* grouper) {
  if (s.max_hamming) {
    if (*s.max_hamming < 0 || *s.max_hamming > kMaxHammingLimit) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: %d is outside [0, %d], the widest distance (differing bits of 64) the SimHash "
          "index serves",
          SettingName("max_hamming", style), *s.max_hamming, kMaxHammingLimit));
    }
    grouper->max_hamming = *s.max_hamming;
    return absl::OkStatus();
  }
  if (kind != SketchKind::kSimHash || !s.threshold || !(*s.threshold > 0)) {
    return absl::OkStatus();
  }
  // For simhash a threshold is a share of agreeing bits: 0.95 allows 3 of 64.
  const int max_hamming = MaxHammingForAgreement(*s.threshold);
  if (max_hamming > kMaxHammingLimit) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: %g with %s simhash lets %d of 64 bits differ; the SimHash index serves at most %d: "
        "give a threshold above %g (or %s 0-%d)",
        SettingName("threshold", style), *s.threshold, SettingName("method", style), max_hamming,
        kMaxHammingLimit, 1.0 - (kMaxHammingLimit + 1) / 64.0,
        SettingName("max_hamming", style), kMaxHammingLimit));
  }
  grouper->max_hamming = max_hamming;
  return absl::OkStatus();
}

// Thresholds, bands and grouping: what Verifier::Create checks.
absl::Status ApplyGrouperSettings(const DedupSettings& s, SettingStyle style, SketchKind kind,
                                  CopyGrouperOptions* grouper) {
  if (s.threshold) grouper->jaccard_threshold = *s.threshold;
  STORYSIFT_RETURN_IF_ERROR(ApplyMaxHamming(s, style, kind, grouper));
  if (s.containment) grouper->containment_threshold = *s.containment;
  if (s.short_threshold) grouper->short_jaccard_threshold = *s.short_threshold;
  if (s.short_shingles) {
    if (*s.short_shingles < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(SettingName("short_shingles", style), " must be >= 0"));
    }
    grouper->short_pair_shingles = static_cast<uint32_t>(*s.short_shingles);
  }
  if ((s.bands == 0) != (s.rows == 0)) {
    return absl::InvalidArgumentError(absl::StrCat(SettingName("bands", style), " and ",
                                                   SettingName("rows", style), " go together"));
  }
  if (s.bands != 0) {
    STORYSIFT_RETURN_IF_ERROR(CheckInRange("bands", style, s.bands, 1, kMaxNumPerm));
    STORYSIFT_RETURN_IF_ERROR(CheckInRange("rows", style, s.rows, 1, kMaxNumPerm));
    // Each band reads its own rows of the signature.
    if (const int64_t slots = int64_t{s.bands} * s.rows; slots > s.num_perm) {
      return absl::InvalidArgumentError(absl::StrCat(
          SettingName("bands", style), " ", s.bands, " times ", SettingName("rows", style), " ",
          s.rows, " is ", slots, " slots, more than ", SettingName("num_perm", style), " ",
          s.num_perm));
    }
  }
  grouper->lsh = {s.bands, s.rows};
  STORYSIFT_RETURN_IF_ERROR(
      ParseSetting("grouping", style, GroupingModeNames(), s.grouping, &grouper->mode));
  grouper->keep = KeepPolicy::kEarliest;
  if (s.keep) {
    STORYSIFT_RETURN_IF_ERROR(ParseSetting("keep", style, KeepPolicyNames(), *s.keep, &grouper->keep));
  }
  return absl::OkStatus();
}

// A setting given for the other method would be ignored without a word:
// refused instead, naming the method it belongs to. (A flag given at its
// default value cannot be told from one not given.)
absl::Status CheckMethodSettings(const DedupSettings& s, SettingStyle style, SketchKind kind) {
  const std::string method = SettingName("method", style);
  if (kind == SketchKind::kMinHash) {
    if (s.max_hamming) {
      return absl::InvalidArgumentError(absl::StrCat(SettingName("max_hamming", style),
                                                     " applies to ", method, " simhash"));
    }
    return absl::OkStatus();
  }
  // SimHash's features are fixed word bigrams, verified by Hamming distance.
  const std::pair<const char*, bool> minhash_only[] = {
      {"containment", s.containment.has_value()},
      {"shingle_size", s.shingle_size != 0},
      {"char_shingles", s.char_shingles},
      {"exact_verify", s.exact_verify},
      {"short_threshold", s.short_threshold.has_value()},
      {"short_shingles", s.short_shingles.has_value()},
      {"no_lookalike_fold", s.no_lookalike_fold},
      {"num_perm", s.num_perm != kDefaultNumPerm},
      {"verify_bits", s.verify_bits != kDefaultVerifyBits},
      {"scheme", s.scheme != MinHashSchemeNames().front().first},
      {"bands", s.bands != 0},
      {"rows", s.rows != 0},
  };
  for (const auto& [keyword, given] : minhash_only) {
    if (given) {
      return absl::InvalidArgumentError(absl::StrCat(SettingName(keyword, style), " applies to ",
                                                     method, " minhash, not simhash"));
    }
  }
  return absl::OkStatus();
}

// The ranges the story options' types and the clusterer's checks leave open
// (a window of days overflowed its seconds; 1e300 was an infinite float
// weight), and those the CLI has always declared.
absl::Status CheckStoryRanges(const StorySettings& s, SettingStyle style) {
  STORYSIFT_RETURN_IF_ERROR(CheckInRange("window_days", style, s.window_days, kMinWindowDays,
                                         kMaxWindowDays, " days (one second to 400 years)"));
  STORYSIFT_RETURN_IF_ERROR(CheckInRange("label_terms", style, s.label_terms, 0, kMaxLabelTerms));
  STORYSIFT_RETURN_IF_ERROR(CheckInRange("new_terms", style, s.new_terms, 0, kMaxLabelTerms));
  STORYSIFT_RETURN_IF_ERROR(
      CheckInRange("short_text_terms", style, s.short_text_terms, 0, kMaxShortTextTerms));
  const std::pair<const char*, double> weights[] = {{"title_weight", s.title_weight},
                                                    {"name_weight", s.name_weight},
                                                    {"table_word_weight", s.table_word_weight}};
  for (const auto& [keyword, weight] : weights) {
    STORYSIFT_RETURN_IF_ERROR(CheckInRange(keyword, style, weight, 0, kMaxTermWeight));
  }
  return absl::OkStatus();
}

}  // namespace

const EnumNames<SketchKind>& SketchKindNames() {
  static const auto* names =
      new EnumNames<SketchKind>{{"minhash", SketchKind::kMinHash}, {"simhash", SketchKind::kSimHash}};
  return *names;
}

const EnumNames<MinHashScheme>& MinHashSchemeNames() {
  static const auto* names = new EnumNames<MinHashScheme>{
      {"oph", MinHashScheme::kOnePermutation}, {"affine", MinHashScheme::kAffine61}};
  return *names;
}

const EnumNames<GroupingMode>& GroupingModeNames() {
  static const auto* names = new EnumNames<GroupingMode>{
      {"nonchaining", GroupingMode::kNonChaining},
      {"components", GroupingMode::kConnectedComponents}};
  return *names;
}

const EnumNames<KeepPolicy>& KeepPolicyNames() {
  static const auto* names = new EnumNames<KeepPolicy>{{"earliest", KeepPolicy::kEarliest},
                                                       {"longest", KeepPolicy::kLongest},
                                                       {"first", KeepPolicy::kFirst}};
  return *names;
}

const EnumNames<MarkupMode>& MarkupModeNames() {
  static const auto* names = new EnumNames<MarkupMode>{
      {"auto", MarkupMode::kAuto}, {"html", MarkupMode::kHtml}, {"plain", MarkupMode::kPlain}};
  return *names;
}

const EnumNames<Linkage>& LinkageNames() {
  static const auto* names =
      new EnumNames<Linkage>{{"average", Linkage::kAverage}, {"single", Linkage::kSingle}};
  return *names;
}

const EnumNames<StoryMode>& StoryModeNames() {
  static const auto* names =
      new EnumNames<StoryMode>{{"batch", StoryMode::kBatch}, {"stream", StoryMode::kStreaming}};
  return *names;
}

std::string UnknownNameMessage(std::string_view given, const std::vector<std::string>& names) {
  return absl::StrCat("unknown '", std::string(given), "' (", absl::StrJoin(names, ", "), ")");
}

std::string SettingName(std::string_view keyword, SettingStyle style) {
  if (style == SettingStyle::kKeyword) return std::string(keyword);
  return absl::StrCat("--", absl::StrReplaceAll(std::string(keyword), {{"_", "-"}}));
}

absl::StatusOr<Verifier> ApplyDedupSettings(const DedupSettings& settings, SettingStyle style,
                                            DedupJobOptions* options) {
  STORYSIFT_RETURN_IF_ERROR(ApplySketchSettings(settings, style, &options->sketch));
  STORYSIFT_RETURN_IF_ERROR(CheckMethodSettings(settings, style, options->sketch.kind));
  STORYSIFT_RETURN_IF_ERROR(
      ApplyGrouperSettings(settings, style, options->sketch.kind, &options->grouper));
  options->exact_verify = settings.exact_verify;
  return Verifier::Create(options->grouper, options->sketch);
}

absl::Status ApplyStorySettings(const StorySettings& settings, SettingStyle style,
                                ClusterJobOptions* options) {
  STORYSIFT_RETURN_IF_ERROR(CheckStoryRanges(settings, style));
  StoryOptions& story = options->stories.story;
  story.threshold = NarrowInside(settings.story_threshold, 0, 1);
  story.window_seconds = static_cast<int64_t>(std::llround(settings.window_days * kSecondsPerDay));
  story.label_terms = settings.label_terms;
  story.short_text_terms = settings.short_text_terms;
  story.cohesion_split = NarrowInside(settings.cohesion_split, 0, 1);
  story.stray_join = NarrowInside(settings.stray_join, 0, 1);
  options->stories.novelty.new_terms = settings.new_terms;
  STORYSIFT_RETURN_IF_ERROR(
      ParseSetting("linkage", style, LinkageNames(), settings.linkage, &story.linkage));
  STORYSIFT_RETURN_IF_ERROR(
      ParseSetting("mode", style, StoryModeNames(), settings.mode, &options->stories.mode));
  // Stream mode assigns each article as it comes: no linkage to choose.
  if (options->stories.mode == StoryMode::kStreaming && story.linkage != Linkage::kAverage) {
    return absl::InvalidArgumentError(absl::StrCat(SettingName("linkage", style),
                                                   " applies to ", SettingName("mode", style),
                                                   " batch"));
  }
  options->tfidf.title_weight = static_cast<float>(settings.title_weight);
  options->tfidf.name_weight = static_cast<float>(settings.name_weight);
  options->tfidf.table_word_weight = static_cast<float>(settings.table_word_weight);
  return StoryClusterer::Create(story).status();
}

void ApplyFieldSettings(const FieldSettings& settings, FieldNames* fields) {
  auto use = [fields](const std::string& name, std::vector<std::string>* aliases) {
    if (name.empty()) return;
    *aliases = {name};
    fields->required.push_back(name);
  };
  use(settings.id, &fields->id);
  use(settings.title, &fields->title);
  use(settings.text, &fields->text);
  use(settings.date, &fields->date);
  use(settings.source, &fields->source);
  use(settings.url, &fields->url);
}

}  // namespace storysift
