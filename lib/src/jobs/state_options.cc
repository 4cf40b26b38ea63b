#include "jobs/state_options.h"

#include <cstdlib>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "storysift/job_options.h"
#include "xxhash.h"

namespace storysift::internal {
namespace {

constexpr char kOptionChangePayload[] = "storysift/option-change";
constexpr double kSecondsPerDay = 86400;

// The shortest text that reads back as the same value: "0.2", not
// "0.200000003", so a recorded value compares equal to the same flag given
// again, and a message shows what the user typed.
template <typename T>
std::string ExactText(T value) {
  constexpr int kMaxDigits = sizeof(T) == sizeof(float) ? 9 : 17;
  std::string text;
  for (int digits = 1; digits <= kMaxDigits; ++digits) {
    text = absl::StrFormat("%.*g", digits, value);
    const T back = sizeof(T) == sizeof(float) ? std::strtof(text.c_str(), nullptr)
                                              : std::strtod(text.c_str(), nullptr);
    if (back == value) break;
  }
  return text;
}

std::string BoolText(bool value) { return value ? "true" : "false"; }

template <typename Enum>
std::string NameText(const EnumNames<Enum>& names, Enum value) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  return absl::StrCat(static_cast<int>(value));
}

// The model's size and checksum: a model built again from other documents
// is another model, wherever its file lies.
std::string IdfText(const std::shared_ptr<const IdfModel>& idf) {
  if (idf == nullptr) return "none";
  const std::string bytes = idf->Serialize();
  return absl::StrFormat("%d documents, %d terms, xxh3 %016x", idf->num_docs(), idf->num_terms(),
                         XXH3_64bits(bytes.data(), bytes.size()));
}

// How a message names an option: a setting in the caller's style, a
// library field by its path.
std::string OptionName(const std::string& name, SettingStyle style) {
  if (name.find('.') != std::string::npos) return name;
  return SettingName(name, style);
}

void AddDedupOptions(const DedupJobOptions& o, std::vector<RecordedOption>* out) {
  auto add = [out](std::string name, std::string value) {
    out->push_back({std::move(name), std::move(value)});
  };
  const SketchOptions& sketch = o.sketch;
  const CopyGrouperOptions& grouper = o.grouper;
  add("method", NameText(SketchKindNames(), sketch.kind));
  if (sketch.kind == SketchKind::kMinHash) {
    add("threshold", ExactText(grouper.jaccard_threshold));
    add("containment", ExactText(grouper.containment_threshold));
    add("grouper.min_containment_shingles", absl::StrCat(grouper.min_containment_shingles));
    add("short_threshold", ExactText(grouper.short_jaccard_threshold));
    add("short_shingles", absl::StrCat(grouper.short_pair_shingles));
    add("num_perm", absl::StrCat(sketch.minhash.num_perm));
    add("verify_bits", absl::StrCat(sketch.verify_bits));
    add("scheme", NameText(MinHashSchemeNames(), sketch.minhash.scheme));
    add("sketch.minhash.seed", absl::StrCat(sketch.minhash.seed));
    add("char_shingles", BoolText(sketch.shingle.kind == ShingleKind::kChar));
    add("shingle_size", absl::StrCat(sketch.shingle.size));
    add("sketch.shingle.seed", absl::StrCat(sketch.shingle.seed));
    add("no_lookalike_fold", BoolText(!sketch.shingle.fold_lookalikes));
    add("bands", absl::StrCat(grouper.lsh.num_bands));
    add("rows", absl::StrCat(grouper.lsh.rows_per_band));
    add("exact_verify", BoolText(o.exact_verify));
  } else {
    add("max_hamming", absl::StrCat(grouper.max_hamming));
    add("sketch.simhash.feature_words", absl::StrCat(sketch.simhash.feature_words));
    add("sketch.simhash.seed", absl::StrCat(sketch.simhash.seed));
    add("grouper.simhash_blocks", absl::StrCat(grouper.simhash_blocks));
  }
  add("grouping", NameText(GroupingModeNames(), grouper.mode));
  add("keep", NameText(KeepPolicyNames(), grouper.keep));
  add("stem", BoolText(o.normalize.stem));
  add("markup", NameText(MarkupModeNames(), o.normalize.markup));
  add("normalize.drop_boilerplate", BoolText(o.normalize.drop_boilerplate));
}

void AddStoryOptions(const ClusterJobOptions& o, std::vector<RecordedOption>* out) {
  auto add = [out](std::string name, std::string value) {
    out->push_back({std::move(name), std::move(value)});
  };
  const TfidfOptions& tfidf = o.tfidf;
  add("idf", IdfText(o.idf));
  add("title_weight", ExactText(tfidf.title_weight));
  add("name_weight", ExactText(tfidf.name_weight));
  add("table_word_weight", ExactText(tfidf.table_word_weight));
  add("tfidf.idf_power", ExactText(tfidf.idf_power));
  add("tfidf.sublinear_tf", BoolText(tfidf.sublinear_tf));
  add("tfidf.max_terms_per_doc", absl::StrCat(tfidf.max_terms_per_doc));
  const StoryOptions& story = o.stories.story;
  add("mode", NameText(StoryModeNames(), o.stories.mode));
  add("story_threshold", ExactText(story.threshold));
  add("window_days", ExactText(static_cast<double>(story.window_seconds) / kSecondsPerDay));
  add("linkage", NameText(LinkageNames(), story.linkage));
  add("label_terms", absl::StrCat(story.label_terms));
  add("new_terms", absl::StrCat(o.stories.novelty.new_terms));
  add("short_text_terms", absl::StrCat(story.short_text_terms));
  add("cohesion_split", ExactText(story.cohesion_split));
  add("stray_join", ExactText(story.stray_join));
  const CandidateOptions& c = story.candidates;
  add("stories.story.candidates.top_terms", absl::StrCat(c.top_terms));
  add("stories.story.candidates.min_shared_terms", absl::StrCat(c.min_shared_terms));
  add("stories.story.candidates.max_df_fraction", ExactText(c.max_df_fraction));
  add("stories.story.candidates.posting_window", absl::StrCat(c.posting_window));
  add("stories.story.candidates.max_candidates_per_item",
      absl::StrCat(c.max_candidates_per_item));
  add("stories.story.candidates.min_similarity", ExactText(c.min_similarity));
  add("stories.novelty.mmr_lambda", ExactText(o.stories.novelty.mmr_lambda));
}

}  // namespace

std::vector<RecordedOption> ShapingOptions(const ClusterJobOptions& options,
                                           const StateJobOptions& state_options) {
  std::vector<RecordedOption> out;
  AddDedupOptions(options.dedup, &out);
  AddStoryOptions(options, &out);
  out.push_back({"retention_days", ExactText(static_cast<double>(state_options.retention_seconds) /
                                             kSecondsPerDay)});
  return out;
}

std::vector<OptionChange> ChangedOptions(const std::vector<RecordedOption>& recorded,
                                         const std::vector<RecordedOption>& now) {
  absl::flat_hash_map<std::string_view, std::string_view> was;
  for (const RecordedOption& o : recorded) was[o.name] = o.value;
  std::vector<OptionChange> changes;
  for (const RecordedOption& o : now) {
    auto it = was.find(o.name);
    if (it != was.end() && it->second != o.value) {
      changes.push_back({o.name, std::string(it->second), o.value});
    }
  }
  return changes;
}

absl::Status OptionChangeRefused(const std::string& dir, const std::vector<OptionChange>& changes,
                                 SettingStyle style) {
  std::vector<std::string> each;
  for (const OptionChange& c : changes) {
    each.push_back(
        absl::StrCat(OptionName(c.name, style), ": recorded ", c.recorded, ", now ", c.now));
  }
  absl::Status refused = absl::InvalidArgumentError(absl::StrCat(
      "state ", dir, " holds stories made with other options than this run's (",
      absl::StrJoin(each, "; "),
      "); run with the recorded values to go on as before, or add ",
      SettingName("accept_option_change", style),
      " to cluster the retained stories again with the new ones (stories may regroup or "
      "merge) and record them"));
  refused.SetPayload(kOptionChangePayload, absl::Cord("1"));
  return refused;
}

std::string DescribeChanges(const std::vector<OptionChange>& changes, SettingStyle style) {
  std::vector<std::string> each;
  for (const OptionChange& c : changes) {
    each.push_back(absl::StrCat(OptionName(c.name, style), " ", c.recorded, " -> ", c.now));
  }
  return absl::StrJoin(each, ", ");
}

}  // namespace storysift::internal

namespace storysift {

bool IsStateOptionChange(const absl::Status& status) {
  return status.GetPayload(internal::kOptionChangePayload).has_value();
}

}  // namespace storysift
