#include "options.h"

#include <cmath>
#include <set>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "errors.h"
#include "storysift/bbit_minhash.h"
#include "storysift/sketcher.h"
#include "storysift/status_macros.h"
#include "storysift/story_clusterer.h"

namespace py = pybind11;

namespace storysift::python {
namespace {

constexpr double kSecondsPerDay = 86400;

const std::set<std::string> kInputOptions = {
    "id_field", "title_field", "text_field", "date_field", "source_field", "url_field",
    "max_doc_bytes", "threads", "strict", "stem", "markup",
    // Files (storysift.dask.dedup_files): as the CLI's --input-format, --encoding.
    "input_format", "encoding", "max_line_bytes"};
const std::set<std::string> kDedupOptions = {
    "method", "threshold", "max_hamming", "containment", "short_threshold", "short_shingles",
    "no_lookalike_fold", "num_perm", "verify_bits", "scheme", "shingle_size", "char_shingles",
    "bands", "rows", "exact_verify", "grouping", "keep"};
const std::set<std::string> kStoryOptions = {
    "story_threshold", "window_days", "linkage", "mode", "idf", "label_terms", "new_terms",
    "title_weight", "name_weight", "table_word_weight", "short_text_terms"};
const std::set<std::string> kRetentionOptions = {"retention_days"};

absl::Status Invalid(const std::string& option, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(option, ": ", message));
}

// Reads kwargs once each; what is left over is unknown.
class Options {
 public:
  explicit Options(const py::dict& kwargs) : kwargs_(kwargs) {}

  template <typename T>
  void Get(const char* name, T* out) {
    if (!kwargs_.contains(name)) return;
    py::object value = kwargs_[name];
    if (!value.is_none()) *out = value.cast<T>();
  }
  bool Has(const char* name) const { return kwargs_.contains(name) && !kwargs_[name].is_none(); }

  void CheckKnown(const std::set<std::string>& known) const {
    for (auto item : kwargs_) {
      const std::string key = item.first.cast<std::string>();
      if (!known.contains(key)) {
        throw py::type_error(absl::StrCat("unknown option '", key,
                                          "'; known: ", absl::StrJoin(known, ", ")));
      }
    }
  }

 private:
  const py::dict& kwargs_;
};

void SetField(Options& o, const char* option, std::vector<std::string>* names,
              std::vector<std::string>* required) {
  std::string name;
  o.Get(option, &name);
  if (name.empty()) return;
  *names = {name};
  required->push_back(name);
}

void ParseInput(Options& o, JobOptions* job) {
  FieldNames& fields = job->reader.fields;
  SetField(o, "id_field", &fields.id, &fields.required);
  SetField(o, "title_field", &fields.title, &fields.required);
  SetField(o, "text_field", &fields.text, &fields.required);
  SetField(o, "date_field", &fields.date, &fields.required);
  SetField(o, "source_field", &fields.source, &fields.required);
  SetField(o, "url_field", &fields.url, &fields.required);
  o.Get("max_doc_bytes", &job->reader.max_doc_bytes);
  o.Get("max_line_bytes", &job->reader.max_line_bytes);
  std::string format = "auto";
  o.Get("input_format", &format);
  absl::StatusOr<InputFormat> parsed = ParseInputFormat(format);
  if (!parsed.ok()) ThrowIfError(Invalid("input_format", std::string(parsed.status().message())));
  job->reader.format = *parsed;
  o.Get("encoding", &job->reader.encoding);
  if (!job->reader.encoding.empty()) {
    const absl::Status s = CheckEncoding(job->reader.encoding);
    if (!s.ok()) ThrowIfError(Invalid("encoding", std::string(s.message())));
  }
  o.Get("threads", &job->threads);
  if (job->threads < 0) ThrowIfError(Invalid("threads", "must be >= 0 (0 = all cores)"));
  o.Get("strict", &job->strict);
  o.Get("stem", &job->normalize.stem);
  std::string markup = "auto";
  o.Get("markup", &markup);
  if (markup == "auto") {
    job->normalize.markup = MarkupMode::kAuto;
  } else if (markup == "html") {
    job->normalize.markup = MarkupMode::kHtml;
  } else if (markup == "plain") {
    job->normalize.markup = MarkupMode::kPlain;
  } else {
    ThrowIfError(Invalid("markup", absl::StrCat("unknown mode '", markup, "' (auto, html, plain)")));
  }
}

absl::Status ParseDedup(Options& o, JobOptions* job) {
  SketchOptions& sketch = job->corpus.sketch;
  CopyGrouperOptions& grouper = job->grouper;
  std::string method = "minhash";
  o.Get("method", &method);
  if (method == "minhash") {
    sketch.kind = SketchKind::kMinHash;
  } else if (method == "simhash") {
    sketch.kind = SketchKind::kSimHash;
  } else {
    return Invalid("method", absl::StrCat("unknown '", method, "' (minhash, simhash)"));
  }
  double threshold = 0;
  o.Get("threshold", &threshold);
  // 0 keeps the default; the Verifier checks the value.
  if (o.Has("threshold")) grouper.jaccard_threshold = threshold;
  int max_hamming = -1;
  o.Get("max_hamming", &max_hamming);
  if (max_hamming >= 0) {
    grouper.max_hamming = max_hamming;
  } else if (method == "simhash" && threshold > 0) {
    // As the CLI: a share of agreeing bits; 0.95 allows 3 of 64.
    grouper.max_hamming = MaxHammingForAgreement(threshold);
  }
  o.Get("num_perm", &sketch.minhash.num_perm);
  o.Get("verify_bits", &sketch.verify_bits);
  std::string scheme = "oph";
  o.Get("scheme", &scheme);
  if (scheme == "oph") {
    sketch.minhash.scheme = MinHashScheme::kOnePermutation;
  } else if (scheme == "affine") {
    sketch.minhash.scheme = MinHashScheme::kAffine61;
  } else {
    return Invalid("scheme", absl::StrCat("unknown '", scheme, "' (oph, affine)"));
  }
  bool char_shingles = false;
  o.Get("char_shingles", &char_shingles);
  if (char_shingles) {
    sketch.shingle.kind = ShingleKind::kChar;
    sketch.shingle.size = kDefaultCharShingleSize;
  }
  int shingle_size = 0;
  o.Get("shingle_size", &shingle_size);
  if (shingle_size != 0) sketch.shingle.size = shingle_size;
  bool no_fold = false;
  o.Get("no_lookalike_fold", &no_fold);
  if (no_fold) sketch.shingle.fold_lookalikes = false;
  int bands = 0, rows = 0;
  o.Get("bands", &bands);
  o.Get("rows", &rows);
  if ((bands == 0) != (rows == 0)) return Invalid("bands", "bands and rows go together");
  grouper.lsh = {bands, rows};
  o.Get("exact_verify", &job->corpus.keep_shingles);
  o.Get("containment", &grouper.containment_threshold);
  o.Get("short_threshold", &grouper.short_jaccard_threshold);
  int short_shingles = -1;
  o.Get("short_shingles", &short_shingles);
  if (short_shingles >= 0) grouper.short_pair_shingles = static_cast<uint32_t>(short_shingles);
  std::string grouping = "nonchaining";
  o.Get("grouping", &grouping);
  if (grouping == "nonchaining") {
    grouper.mode = GroupingMode::kNonChaining;
  } else if (grouping == "components") {
    grouper.mode = GroupingMode::kConnectedComponents;
  } else {
    return Invalid("grouping", absl::StrCat("unknown '", grouping, "' (nonchaining, components)"));
  }
  std::string keep = "earliest";
  o.Get("keep", &keep);
  if (keep == "earliest") {
    grouper.keep = KeepPolicy::kEarliest;
  } else if (keep == "longest") {
    grouper.keep = KeepPolicy::kLongest;
  } else if (keep == "first") {
    grouper.keep = KeepPolicy::kFirst;
  } else {
    return Invalid("keep", absl::StrCat("unknown '", keep, "' (earliest, longest, first)"));
  }
  STORYSIFT_RETURN_IF_ERROR(Sketcher::Create(sketch).status());
  // The one check of the dedup settings; the corpus keeps b-bit rows and
  // band keys for the verifier's bands.
  STORYSIFT_ASSIGN_OR_RETURN(job->corpus.verifier, Verifier::Create(grouper, sketch));
  return absl::OkStatus();
}

absl::Status ParseStory(Options& o, JobOptions* job) {
  StoryOptions& story = job->story.story;
  double threshold = story.threshold;
  o.Get("story_threshold", &threshold);
  story.threshold = static_cast<float>(threshold);
  double window_days = story.window_seconds / kSecondsPerDay;
  o.Get("window_days", &window_days);
  if (!(window_days > 0)) return Invalid("window_days", "must be > 0");
  story.window_seconds = static_cast<int64_t>(std::llround(window_days * kSecondsPerDay));
  o.Get("label_terms", &story.label_terms);
  o.Get("short_text_terms", &story.short_text_terms);
  o.Get("new_terms", &job->story.novelty.new_terms);
  std::string linkage = "average";
  o.Get("linkage", &linkage);
  if (linkage == "average") {
    story.linkage = Linkage::kAverage;
  } else if (linkage == "single") {
    story.linkage = Linkage::kSingle;
  } else {
    return Invalid("linkage", absl::StrCat("unknown '", linkage, "' (average, single)"));
  }
  std::string mode = "batch";
  o.Get("mode", &mode);
  if (mode == "batch") {
    job->story.mode = StoryMode::kBatch;
  } else if (mode == "stream") {
    job->story.mode = StoryMode::kStreaming;
  } else {
    return Invalid("mode", absl::StrCat("unknown '", mode, "' (batch, stream)"));
  }
  o.Get("idf", &job->idf_path);
  double weight = job->tfidf.title_weight;
  o.Get("title_weight", &weight);
  job->tfidf.title_weight = static_cast<float>(weight);
  weight = job->tfidf.name_weight;
  o.Get("name_weight", &weight);
  job->tfidf.name_weight = static_cast<float>(weight);
  weight = job->tfidf.table_word_weight;
  o.Get("table_word_weight", &weight);
  job->tfidf.table_word_weight = static_cast<float>(weight);
  return StoryClusterer::Create(story).status();
}

}  // namespace

RunContext Context(const JobOptions& options) {
  RunContext context;
  context.threads = options.threads;
  return context;
}

JobOptions ParseOptions(const py::dict& kwargs, OptionSet set) {
  Options o(kwargs);
  std::set<std::string> known = kInputOptions;
  const bool dedup = set != OptionSet::kStoryAssigner;
  const bool story = set == OptionSet::kCluster || set == OptionSet::kStoryAssigner;
  const bool retention = set == OptionSet::kDeduplicator || set == OptionSet::kStoryAssigner;
  if (dedup) known.insert(kDedupOptions.begin(), kDedupOptions.end());
  if (story) known.insert(kStoryOptions.begin(), kStoryOptions.end());
  if (retention) known.insert(kRetentionOptions.begin(), kRetentionOptions.end());
  o.CheckKnown(known);
  JobOptions job;
  ParseInput(o, &job);
  if (dedup) ThrowIfError(ParseDedup(o, &job));
  if (story) ThrowIfError(ParseStory(o, &job));
  if (retention) {
    o.Get("retention_days", &job.retention_days);
    if (!(job.retention_days >= 0)) ThrowIfError(Invalid("retention_days", "must be >= 0"));
  }
  return job;
}

}  // namespace storysift::python
