#include "options.h"

#include <concepts>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "errors.h"
#include "storysift/job_options.h"
#include "storysift/status_macros.h"

namespace py = pybind11;

namespace storysift::python {
namespace {

const std::set<std::string> kInputOptions = {
    "id_field", "title_field", "text_field", "date_field", "source_field", "url_field",
    "max_doc_bytes", "threads", "strict", "stem", "markup"};
// Reading files (storysift.dask.dedup_files): as the CLI's --input-format,
// --encoding, --max-line-bytes. Records are text already: refused there.
const std::set<std::string> kFileOptions = {"input_format", "encoding", "max_line_bytes"};
const std::set<std::string> kDedupOptions = {
    "method", "threshold", "max_hamming", "containment", "short_threshold", "short_shingles",
    "no_lookalike_fold", "num_perm", "verify_bits", "scheme", "shingle_size", "char_shingles",
    "bands", "rows", "exact_verify", "grouping", "keep"};
const std::set<std::string> kStoryOptions = {
    "story_threshold", "window_days", "linkage", "mode", "idf", "label_terms", "new_terms",
    "title_weight", "name_weight", "table_word_weight", "short_text_terms",
    "cohesion_split", "stray_join"};
const std::set<std::string> kRetentionOptions = {"retention_days"};
// storysift.normalize: what the normalizer reads; storysift.minhash: that
// and the sketch's options.
const std::set<std::string> kNormalizeOptions = {"markup", "stem"};
const std::set<std::string> kMinHashOptions = {"markup",       "stem",          "method",
                                               "num_perm",     "scheme",        "shingle_size",
                                               "char_shingles", "no_lookalike_fold"};

absl::Status Invalid(const std::string& option, const std::string& message) {
  return absl::InvalidArgumentError(absl::StrCat(option, ": ", message));
}

// numpy.bool_ is no int subclass, as bool is: matched by name, as pybind11's
// own bool caster does ("numpy.bool" from numpy 2).
bool IsBool(const py::handle& v) {
  const std::string_view type = Py_TYPE(v.ptr())->tp_name;
  return PyBool_Check(v.ptr()) || type == "numpy.bool_" || type == "numpy.bool";
}

// TypeError "threshold: expected a number, got str".
py::type_error WrongType(const char* option, const char* expected, const py::handle& v) {
  return py::type_error(
      absl::StrCat(option, ": expected ", expected, ", got ", Py_TYPE(v.ptr())->tp_name));
}

// Reads kwargs once each; what is left over is unknown. A setting that is
// None or absent keeps its default. A value of the wrong type is a
// TypeError naming the option: a bool is not a number and a number not a
// bool, a float is not an int; numpy scalars count as the Python ones. A
// number outside the range the CLI's flag takes (SettingRanges) is a
// ValueError: a 0 given is no default (shingle_size=0 ran with 3).
class Options {
 public:
  explicit Options(const py::dict& kwargs) : kwargs_(kwargs) {}

  void Get(const char* name, bool* out) {
    const py::handle v = Value(name);
    if (!v) return;
    if (!IsBool(v)) throw WrongType(name, "True or False", v);
    *out = PyObject_IsTrue(v.ptr()) == 1;
  }
  // An int or a numpy integer; ValueError when out of T's range.
  template <typename T>
    requires(std::integral<T> && !std::same_as<T, bool>)
  void Get(const char* name, T* out) {
    const py::handle v = Value(name);
    if (!v) return;
    if (IsBool(v) || !PyIndex_Check(v.ptr())) throw WrongType(name, "an int", v);
    const py::int_ value = py::reinterpret_steal<py::int_>(PyNumber_Index(v.ptr()));
    if (!value) throw py::error_already_set();
    int overflow = 0;
    const long long x = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow != 0 || !std::in_range<T>(x)) {
      ThrowIfError(Invalid(name, absl::StrCat(py::repr(value).cast<std::string>(),
                                              " is out of range")));
    }
    ThrowIfError(CheckSettingRange(name, static_cast<double>(x), SettingStyle::kKeyword));
    *out = static_cast<T>(x);
  }
  // Any real number: int, float, numpy's.
  void Get(const char* name, double* out) {
    const py::handle v = Value(name);
    if (!v) return;
    if (IsBool(v)) throw WrongType(name, "a number", v);
    const double x = PyFloat_AsDouble(v.ptr());
    if (x == -1.0 && PyErr_Occurred()) {
      const bool not_a_number = PyErr_ExceptionMatches(PyExc_TypeError);
      PyErr_Clear();
      if (not_a_number) throw WrongType(name, "a number", v);
      ThrowIfError(Invalid(name, "is out of range"));  // An int beyond any double.
    }
    ThrowIfError(CheckSettingRange(name, x, SettingStyle::kKeyword));
    *out = x;
  }
  void Get(const char* name, std::string* out) {
    const py::handle v = Value(name);
    if (!v) return;
    if (!PyUnicode_Check(v.ptr())) throw WrongType(name, "a str", v);
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(v.ptr(), &size);
    if (data == nullptr) {
      PyErr_Clear();
      ThrowIfError(Invalid(name, "is not valid Unicode (a lone surrogate)"));
    }
    out->assign(data, static_cast<size_t>(size));
  }
  template <typename T>
  void Get(const char* name, std::optional<T>* out) {
    if (!Value(name)) return;
    T value{};
    Get(name, &value);
    *out = std::move(value);
  }
  // A file: str, bytes or os.PathLike, as open() takes it.
  void GetPath(const char* name, std::string* out) {
    const py::handle v = Value(name);
    if (!v) return;
    py::object path = py::reinterpret_steal<py::object>(PyOS_FSPath(v.ptr()));
    if (!path) {
      PyErr_Clear();
      throw WrongType(name, "a path (str or os.PathLike)", v);
    }
    if (PyUnicode_Check(path.ptr())) {
      path = py::reinterpret_steal<py::object>(PyUnicode_EncodeFSDefault(path.ptr()));
      if (!path) throw py::error_already_set();
    }
    *out = path.cast<std::string>();
  }

  // The value of `name`; null when absent or None.
  py::handle Value(const char* name) const {
    PyObject* v = PyDict_GetItemString(kwargs_.ptr(), name);
    return v == nullptr || v == Py_None ? py::handle() : py::handle(v);
  }

  void CheckKnown(const std::set<std::string>& known) const {
    for (auto item : kwargs_) {
      const std::string key = item.first.cast<std::string>();
      if (!known.contains(key) && kFileOptions.contains(key)) {
        throw py::type_error(absl::StrCat("option '", key,
                                          "' is for reading files (storysift.dask.dedup_files); "
                                          "texts and records are read as given"));
      }
      if (!known.contains(key)) {
        throw py::type_error(absl::StrCat("unknown option '", key,
                                          "'; known: ", absl::StrJoin(known, ", ")));
      }
    }
  }

 private:
  const py::dict& kwargs_;
};

void ParseInput(Options& o, JobOptions* job) {
  FieldSettings fields;
  o.Get("id_field", &fields.id);
  o.Get("title_field", &fields.title);
  o.Get("text_field", &fields.text);
  o.Get("date_field", &fields.date);
  o.Get("source_field", &fields.source);
  o.Get("url_field", &fields.url);
  ApplyFieldSettings(fields, &job->reader.fields);
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
  o.Get("strict", &job->strict);
  o.Get("stem", &job->normalize.stem);
  std::string markup = MarkupModeNames().front().first;
  o.Get("markup", &markup);
  absl::StatusOr<MarkupMode> mode = ParseEnumName(MarkupModeNames(), markup);
  if (!mode.ok()) ThrowIfError(Invalid("markup", std::string(mode.status().message())));
  job->normalize.markup = *mode;
}

absl::Status ParseDedup(Options& o, JobOptions* job) {
  DedupSettings s;
  o.Get("method", &s.method);
  o.Get("threshold", &s.threshold);
  o.Get("max_hamming", &s.max_hamming);
  o.Get("containment", &s.containment);
  o.Get("short_threshold", &s.short_threshold);
  o.Get("short_shingles", &s.short_shingles);
  o.Get("no_lookalike_fold", &s.no_lookalike_fold);
  o.Get("num_perm", &s.num_perm);
  o.Get("verify_bits", &s.verify_bits);
  o.Get("scheme", &s.scheme);
  o.Get("shingle_size", &s.shingle_size);
  o.Get("char_shingles", &s.char_shingles);
  o.Get("bands", &s.bands);
  o.Get("rows", &s.rows);
  o.Get("exact_verify", &s.exact_verify);
  o.Get("grouping", &s.grouping);
  o.Get("keep", &s.keep);
  // The one check of the dedup settings.
  STORYSIFT_ASSIGN_OR_RETURN(job->verifier,
                             ApplyDedupSettings(s, SettingStyle::kKeyword, &job->dedup));
  return absl::OkStatus();
}

absl::Status ParseStory(Options& o, JobOptions* job) {
  StorySettings s;
  o.Get("story_threshold", &s.story_threshold);
  o.Get("window_days", &s.window_days);
  o.Get("linkage", &s.linkage);
  o.Get("mode", &s.mode);
  o.Get("label_terms", &s.label_terms);
  o.Get("new_terms", &s.new_terms);
  o.Get("short_text_terms", &s.short_text_terms);
  o.Get("cohesion_split", &s.cohesion_split);
  o.Get("stray_join", &s.stray_join);
  o.Get("title_weight", &s.title_weight);
  o.Get("name_weight", &s.name_weight);
  o.Get("table_word_weight", &s.table_word_weight);
  o.GetPath("idf", &job->idf_path);
  ClusterJobOptions cluster;
  STORYSIFT_RETURN_IF_ERROR(ApplyStorySettings(s, SettingStyle::kKeyword, &cluster));
  job->story = cluster.stories;
  job->tfidf = cluster.tfidf;
  return absl::OkStatus();
}

// What a call without TF-IDF terms reads words as (RefuseStem's `reads`),
// as the CLI's command of the same job says it.
std::string_view StemlessReading(OptionSet set) {
  switch (set) {
    case OptionSet::kNormalize:
      return "normalize shows words as written";
    case OptionSet::kMinHash:
      return "minhash sketches words as written";
    case OptionSet::kDeduplicator:
      return "an index compares words as written";
    default:
      return "dedup compares words as written";
  }
}

}  // namespace

RunContext Context(const JobOptions& options) {
  RunContext context;
  context.threads = options.threads;
  return context;
}

JobOptions ParseOptions(const py::dict& kwargs, OptionSet set) {
  Options o(kwargs);
  const bool dedup = set != OptionSet::kStoryAssigner && set != OptionSet::kNormalize;
  const bool story = set == OptionSet::kCluster || set == OptionSet::kStoryAssigner;
  const bool retention = set == OptionSet::kDeduplicator || set == OptionSet::kStoryAssigner;
  std::set<std::string> known;
  if (set == OptionSet::kNormalize) {
    known = kNormalizeOptions;
  } else if (set == OptionSet::kMinHash) {
    known = kMinHashOptions;
  } else {
    known = kInputOptions;
    if (set == OptionSet::kDedupFiles) known.insert(kFileOptions.begin(), kFileOptions.end());
    if (dedup) known.insert(kDedupOptions.begin(), kDedupOptions.end());
    if (story) known.insert(kStoryOptions.begin(), kStoryOptions.end());
    if (retention) known.insert(kRetentionOptions.begin(), kRetentionOptions.end());
  }
  o.CheckKnown(known);
  JobOptions job;
  ParseInput(o, &job);
  if (dedup) ThrowIfError(ParseDedup(o, &job));
  if (story) ThrowIfError(ParseStory(o, &job));
  if (retention) {
    // Bounded (SettingRanges) before it becomes seconds: a huge value
    // overflowed int64.
    o.Get("retention_days", &job.retention_days);
  }
  ThrowIfError(RefuseStem(job.normalize.stem && !story, StemlessReading(set),
                          SettingStyle::kKeyword));
  return job;
}

}  // namespace storysift::python
