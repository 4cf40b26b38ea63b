// The named settings (storysift/job_options.h) that the CLI's flags and the
// Python binding's keywords share: the name tables, the defaults, the
// derived values (simhash threshold -> max_hamming, days -> seconds) and the
// messages in both naming styles.
#include "storysift/job_options.h"

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/date.h"
#include "storysift/minhash.h"
#include "storysift/shingle.h"

namespace storysift {
namespace {

template <typename Enum>
void ExpectNamesRoundTrip(const EnumNames<Enum>& names) {
  ASSERT_FALSE(names.empty());
  for (const auto& [name, value] : names) {
    absl::StatusOr<Enum> parsed = ParseEnumName(names, name);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, value) << name;
  }
}

TEST(JobOptionsTest, EveryTableNameParsesToItsValue) {
  ExpectNamesRoundTrip(SketchKindNames());
  ExpectNamesRoundTrip(MinHashSchemeNames());
  ExpectNamesRoundTrip(GroupingModeNames());
  ExpectNamesRoundTrip(KeepPolicyNames());
  ExpectNamesRoundTrip(MarkupModeNames());
  ExpectNamesRoundTrip(LinkageNames());
  ExpectNamesRoundTrip(StoryModeNames());
}

TEST(JobOptionsTest, UnknownNameListsTheAcceptedOnes) {
  absl::StatusOr<SketchKind> parsed = ParseEnumName(SketchKindNames(), "bloom");
  ASSERT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), "unknown 'bloom' (minhash, simhash)");
}

TEST(JobOptionsTest, DefaultSettingsGiveTheDefaultOptions) {
  DedupJobOptions options;
  ASSERT_TRUE(ApplyDedupSettings(DedupSettings(), SettingStyle::kKeyword, &options).ok());
  const DedupJobOptions defaults;
  EXPECT_EQ(options.sketch.kind, defaults.sketch.kind);
  EXPECT_EQ(options.sketch.minhash.scheme, defaults.sketch.minhash.scheme);
  EXPECT_EQ(options.sketch.minhash.num_perm, defaults.sketch.minhash.num_perm);
  EXPECT_EQ(options.sketch.verify_bits, defaults.sketch.verify_bits);
  EXPECT_EQ(options.sketch.shingle.size, defaults.sketch.shingle.size);
  EXPECT_EQ(options.grouper.jaccard_threshold, defaults.grouper.jaccard_threshold);
  EXPECT_EQ(options.grouper.max_hamming, defaults.grouper.max_hamming);
  EXPECT_EQ(options.grouper.containment_threshold, defaults.grouper.containment_threshold);
  EXPECT_EQ(options.grouper.short_pair_shingles, defaults.grouper.short_pair_shingles);
  EXPECT_EQ(options.grouper.mode, defaults.grouper.mode);
  EXPECT_EQ(options.grouper.keep, KeepPolicy::kEarliest);
  EXPECT_FALSE(options.exact_verify);

  ClusterJobOptions cluster;
  ASSERT_TRUE(ApplyStorySettings(StorySettings(), SettingStyle::kKeyword, &cluster).ok());
  const ClusterJobOptions cluster_defaults;
  EXPECT_EQ(cluster.stories.story.threshold, cluster_defaults.stories.story.threshold);
  EXPECT_EQ(cluster.stories.story.window_seconds, cluster_defaults.stories.story.window_seconds);
  EXPECT_EQ(cluster.stories.story.linkage, cluster_defaults.stories.story.linkage);
  EXPECT_EQ(cluster.stories.mode, cluster_defaults.stories.mode);
  EXPECT_EQ(cluster.tfidf.title_weight, cluster_defaults.tfidf.title_weight);
}

TEST(JobOptionsTest, SimhashThresholdIsAShareOfAgreeingBitsUnlessMaxHammingIsGiven) {
  DedupSettings settings;
  settings.method = "simhash";
  settings.threshold = 0.95;
  DedupJobOptions options;
  ASSERT_TRUE(ApplyDedupSettings(settings, SettingStyle::kKeyword, &options).ok());
  EXPECT_EQ(options.sketch.kind, SketchKind::kSimHash);
  EXPECT_EQ(options.grouper.max_hamming, MaxHammingForAgreement(0.95));
  EXPECT_EQ(options.grouper.max_hamming, 3);  // 0.95 of 64 bits agree: 3 may differ.

  settings.max_hamming = 7;
  ASSERT_TRUE(ApplyDedupSettings(settings, SettingStyle::kKeyword, &options).ok());
  EXPECT_EQ(options.grouper.max_hamming, 7);
}

// A setting of the other method would be ignored: it is refused, by name.
TEST(JobOptionsTest, SettingsOfTheOtherMethodAreRefused) {
  const auto message = [](const DedupSettings& s, SettingStyle style) {
    DedupJobOptions options;
    const absl::Status status = ApplyDedupSettings(s, style, &options).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    return std::string(status.message());
  };
  DedupSettings minhash;
  minhash.max_hamming = 5;
  EXPECT_EQ(message(minhash, SettingStyle::kFlag), "--max-hamming applies to --method simhash");
  const std::vector<std::pair<std::string, std::function<void(DedupSettings*)>>> minhash_only = {
      {"containment", [](DedupSettings* s) { s->containment = 0.8; }},
      {"short_threshold", [](DedupSettings* s) { s->short_threshold = 0.7; }},
      {"short_shingles", [](DedupSettings* s) { s->short_shingles = 0; }},
      {"no_lookalike_fold", [](DedupSettings* s) { s->no_lookalike_fold = true; }},
      {"num_perm", [](DedupSettings* s) { s->num_perm = 64; }},
      {"verify_bits", [](DedupSettings* s) { s->verify_bits = 16; }},
      {"scheme", [](DedupSettings* s) { s->scheme = "affine"; }},
      {"bands", [](DedupSettings* s) { s->bands = 16; s->rows = 8; }},
      {"shingle_size", [](DedupSettings* s) { s->shingle_size = 4; }},
      {"char_shingles", [](DedupSettings* s) { s->char_shingles = true; }},
      {"exact_verify", [](DedupSettings* s) { s->exact_verify = true; }},
  };
  for (const auto& [keyword, set] : minhash_only) {
    DedupSettings simhash;
    simhash.method = "simhash";
    set(&simhash);
    EXPECT_EQ(message(simhash, SettingStyle::kKeyword),
              keyword + " applies to method minhash, not simhash");
  }
  // Each is fine with its own method.
  DedupSettings fine;
  fine.method = "simhash";
  fine.max_hamming = 5;
  fine.threshold = 0.9;
  DedupJobOptions options;
  EXPECT_TRUE(ApplyDedupSettings(fine, SettingStyle::kFlag, &options).ok());
}

TEST(JobOptionsTest, LinkageIsRefusedInStreamMode) {
  StorySettings settings;
  settings.mode = "stream";
  settings.linkage = "single";
  ClusterJobOptions options;
  const absl::Status status = ApplyStorySettings(settings, SettingStyle::kFlag, &options);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "--linkage applies to --mode batch");
  settings.linkage = "average";  // The default, not told from not given.
  EXPECT_TRUE(ApplyStorySettings(settings, SettingStyle::kFlag, &options).ok());
}

TEST(JobOptionsTest, NamedValuesReachTheOptions) {
  DedupSettings settings;
  settings.scheme = "affine";
  settings.grouping = "components";
  settings.keep = "longest";
  settings.char_shingles = true;
  settings.bands = 16;
  settings.rows = 8;
  settings.short_shingles = 0;
  DedupJobOptions options;
  absl::StatusOr<Verifier> verifier =
      ApplyDedupSettings(settings, SettingStyle::kKeyword, &options);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(options.sketch.minhash.scheme, MinHashScheme::kAffine61);
  EXPECT_EQ(options.grouper.mode, GroupingMode::kConnectedComponents);
  EXPECT_EQ(options.grouper.keep, KeepPolicy::kLongest);
  EXPECT_EQ(options.sketch.shingle.kind, ShingleKind::kChar);
  EXPECT_EQ(options.sketch.shingle.size, kDefaultCharShingleSize);
  EXPECT_EQ(options.grouper.short_pair_shingles, 0u);
  EXPECT_EQ(verifier->bands().num_bands, 16);
  EXPECT_EQ(verifier->bands().rows_per_band, 8);

  StorySettings story;
  story.window_days = 2.5;
  story.linkage = "single";
  ClusterJobOptions cluster;
  ASSERT_TRUE(ApplyStorySettings(story, SettingStyle::kKeyword, &cluster).ok());
  EXPECT_EQ(cluster.stories.story.window_seconds, 216000);
  EXPECT_EQ(cluster.stories.story.linkage, Linkage::kSingle);
  story.linkage = "average";
  story.mode = "stream";
  ASSERT_TRUE(ApplyStorySettings(story, SettingStyle::kKeyword, &cluster).ok());
  EXPECT_EQ(cluster.stories.mode, StoryMode::kStreaming);
}

// The message names the setting as the caller spells it.
std::string DedupError(const DedupSettings& settings, SettingStyle style) {
  DedupJobOptions options;
  absl::StatusOr<Verifier> verifier = ApplyDedupSettings(settings, style, &options);
  EXPECT_EQ(verifier.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(verifier.status().message());
}

TEST(JobOptionsTest, BadValuesAreInvalidArgumentNamingTheSetting) {
  DedupSettings bands_alone;
  bands_alone.bands = 4;
  EXPECT_EQ(DedupError(bands_alone, SettingStyle::kKeyword), "bands and rows go together");
  EXPECT_EQ(DedupError(bands_alone, SettingStyle::kFlag), "--bands and --rows go together");

  DedupSettings keep;
  keep.keep = "newest";
  EXPECT_EQ(DedupError(keep, SettingStyle::kKeyword),
            "keep: unknown 'newest' (earliest, longest, first)");
  DedupSettings method;
  method.method = "bloom";
  EXPECT_EQ(DedupError(method, SettingStyle::kFlag), "--method: unknown 'bloom' (minhash, simhash)");

  DedupSettings threshold;
  threshold.threshold = 1.5;
  EXPECT_NE(DedupError(threshold, SettingStyle::kKeyword).find("threshold"), std::string::npos);
  DedupSettings short_shingles;
  short_shingles.short_shingles = -1;
  EXPECT_EQ(DedupError(short_shingles, SettingStyle::kFlag), "--short-shingles must be >= 0");

  StorySettings window;
  window.window_days = 0;
  ClusterJobOptions cluster;
  const absl::Status status = ApplyStorySettings(window, SettingStyle::kFlag, &cluster);
  EXPECT_EQ(status.message(),
            "--window-days 0 is outside [1.15741e-05, 146097] days (one second to 400 years)");
  window.window_days = 1;
  window.mode = "online";
  EXPECT_EQ(ApplyStorySettings(window, SettingStyle::kKeyword, &cluster).message(),
            "mode: unknown 'online' (batch, stream)");
}

// Values the option structs' types cannot hold were refused naming the
// field they became, or a value never given: window_days 1e-300 as
// "window_seconds must be > 0, got 0", 2e14 as "got -9223372036854775808"
// (llround overflowed), title_weight 1e300 as an infinite float, num_perm
// 5000 as "num_perm = 5000". Each is refused naming the setting, before
// any conversion.
TEST(JobOptionsTest, OutOfRangeValuesAreRefusedNamingTheSettingAndRange) {
  struct StoryCase {
    std::function<void(StorySettings*)> set;
    std::string message;
  };
  const std::vector<StoryCase> story_cases = {
      {[](StorySettings* s) { s->window_days = 1e-300; },
       "--window-days 1e-300 is outside [1.15741e-05, 146097] days (one second to 400 years)"},
      {[](StorySettings* s) { s->window_days = 2e14; },
       "--window-days 2e+14 is outside [1.15741e-05, 146097] days (one second to 400 years)"},
      {[](StorySettings* s) { s->window_days = std::nan(""); },
       "--window-days nan is outside [1.15741e-05, 146097] days (one second to 400 years)"},
      {[](StorySettings* s) { s->title_weight = 1e300; },
       "--title-weight 1e+300 is outside [0, 3.40282e+38]"},
      {[](StorySettings* s) { s->name_weight = -1; },
       "--name-weight -1 is outside [0, 3.40282e+38]"},
      {[](StorySettings* s) { s->table_word_weight = 1e39; },
       "--table-word-weight 1e+39 is outside [0, 3.40282e+38]"},
      {[](StorySettings* s) { s->label_terms = 1001; }, "--label-terms 1001 is outside [0, 1000]"},
      {[](StorySettings* s) { s->new_terms = -1; }, "--new-terms -1 is outside [0, 1000]"},
      {[](StorySettings* s) { s->short_text_terms = 100001; },
       "--short-text-terms 100001 is outside [0, 100000]"},
  };
  for (const StoryCase& c : story_cases) {
    StorySettings settings;
    c.set(&settings);
    ClusterJobOptions options;
    const absl::Status status = ApplyStorySettings(settings, SettingStyle::kFlag, &options);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(status.message(), c.message);
  }

  DedupSettings num_perm;
  num_perm.num_perm = 5000;
  EXPECT_EQ(DedupError(num_perm, SettingStyle::kFlag), "--num-perm 5000 is outside [1, 4096]");
  EXPECT_EQ(DedupError(num_perm, SettingStyle::kKeyword), "num_perm 5000 is outside [1, 4096]");
  DedupSettings shingle_size;
  shingle_size.shingle_size = 65;
  EXPECT_EQ(DedupError(shingle_size, SettingStyle::kFlag), "--shingle-size 65 is outside [1, 64]");
  DedupSettings bands;
  bands.bands = 64;
  bands.rows = 4;
  EXPECT_EQ(DedupError(bands, SettingStyle::kFlag),
            "--bands 64 times --rows 4 is 256 slots, more than --num-perm 128");
  bands.rows = 5000;
  EXPECT_EQ(DedupError(bands, SettingStyle::kKeyword), "rows 5000 is outside [1, 4096]");
}

// The ends of each range are accepted, and become what they say.
TEST(JobOptionsTest, TheEndsOfEachRangeAreAccepted) {
  StorySettings settings;
  settings.window_days = kMinWindowDays;
  settings.title_weight = kMaxTermWeight;
  settings.label_terms = kMaxLabelTerms;
  settings.short_text_terms = kMaxShortTextTerms;
  // Narrowed to floats, thresholds stay inside their ranges: 1e-300 was 0,
  // which the story clusterer refuses, and 0.9999999999 was 1.
  settings.story_threshold = 1e-300;
  settings.cohesion_split = 0.9999999999;
  ClusterJobOptions options;
  ASSERT_TRUE(ApplyStorySettings(settings, SettingStyle::kFlag, &options).ok());
  EXPECT_EQ(options.stories.story.window_seconds, 1);
  EXPECT_GT(options.stories.story.threshold, 0);
  EXPECT_LT(options.stories.story.cohesion_split, 1);
  EXPECT_TRUE(std::isfinite(options.tfidf.title_weight));
  settings.window_days = kMaxWindowDays;
  settings.story_threshold = 1;
  settings.cohesion_split = 0;
  ASSERT_TRUE(ApplyStorySettings(settings, SettingStyle::kFlag, &options).ok());
  EXPECT_EQ(options.stories.story.window_seconds, kMaxRetentionSeconds);
  EXPECT_EQ(options.stories.story.threshold, 1.0f);
  EXPECT_EQ(options.stories.story.cohesion_split, 0.0f);

  DedupSettings dedup;
  dedup.num_perm = kMaxNumPerm;
  dedup.shingle_size = kMaxShingleSize;
  dedup.bands = kMaxNumPerm;
  dedup.rows = 1;
  DedupJobOptions dedup_options;
  absl::StatusOr<Verifier> verifier =
      ApplyDedupSettings(dedup, SettingStyle::kKeyword, &dedup_options);
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  EXPECT_EQ(verifier->bands().num_bands, kMaxNumPerm);
}

TEST(JobOptionsTest, ANumberOutsideItsSettingsRangeIsRefusedNamingTheRange) {
  EXPECT_EQ(CheckSettingRange("label_terms", 5000, SettingStyle::kKeyword).message(),
            "label_terms: 5000 is not a finite number in [0, 1000]");
  EXPECT_EQ(CheckSettingRange("shingle_size", 0, SettingStyle::kFlag).message(),
            "--shingle-size: 0 is not a finite number in [1, 64]");
  EXPECT_FALSE(CheckSettingRange("cohesion_split", 1, SettingStyle::kKeyword).ok());  // [0, 1).
  EXPECT_FALSE(CheckSettingRange("title_weight", std::nan(""), SettingStyle::kKeyword).ok());
  EXPECT_TRUE(CheckSettingRange("label_terms", 1000, SettingStyle::kKeyword).ok());
  EXPECT_TRUE(CheckSettingRange("threshold", 1, SettingStyle::kKeyword).ok());
  EXPECT_TRUE(CheckSettingRange("no_such_setting", -5, SettingStyle::kKeyword).ok());
}

TEST(JobOptionsTest, StemIsRefusedSayingWhatTheCallReads) {
  EXPECT_TRUE(RefuseStem(false, "dedup compares words as written", SettingStyle::kFlag).ok());
  EXPECT_EQ(RefuseStem(true, "dedup compares words as written", SettingStyle::kFlag).message(),
            "--stem: dedup compares words as written; stemming shapes only the TF-IDF terms "
            "of `cluster` and `idf build`");
  EXPECT_EQ(RefuseStem(true, "x", SettingStyle::kKeyword).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(JobOptionsTest, ANamedFieldReplacesItsAliasesAndIsRequired) {
  FieldNames fields;
  const FieldNames defaults;
  FieldSettings settings;
  settings.title = "headline_text";
  settings.date = "when";
  ApplyFieldSettings(settings, &fields);
  EXPECT_EQ(fields.title, std::vector<std::string>{"headline_text"});
  EXPECT_EQ(fields.date, std::vector<std::string>{"when"});
  EXPECT_EQ(fields.required, (std::vector<std::string>{"headline_text", "when"}));
  // Unnamed fields keep every alias the readers know.
  EXPECT_EQ(fields.text, defaults.text);
  EXPECT_EQ(fields.id, defaults.id);
}

}  // namespace
}  // namespace storysift
