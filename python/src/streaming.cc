// storysift.Deduplicator and storysift.StoryAssigner: the library's
// streaming stages, one record at a time (the context managers and the
// record/str convenience live in the Python layer).
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "errors.h"
#include "module.h"
#include "options.h"
#include "records.h"
#include "storysift/date.h"
#include "storysift/deduplicator.h"
#include "storysift/file_lock.h"
#include "storysift/idf_model.h"
#include "storysift/report.h"
#include "storysift/story_assigner.h"

namespace py = pybind11;

namespace storysift::python {
namespace {

constexpr double kSecondsPerDay = 86400;
constexpr char kRecordOrigin[] = "record";

// retention_days in seconds; not given: a new stage keeps everything, a
// loaded one its saved retention (Load's `expected` would otherwise reset it
// to 0 whenever another option, such as strict, is given on reopening).
int64_t RetentionSeconds(const JobOptions& job) {
  if (!job.retention_days.has_value()) return kKeepSavedRetention;
  return static_cast<int64_t>(*job.retention_days * kSecondsPerDay);
}

// Options for Create: no saved retention to keep.
template <typename Options>
Options ForCreate(Options options) {
  if (options.retention_seconds == kKeepSavedRetention) options.retention_seconds = 0;
  return options;
}

// One record -> a Document; ValueError naming the reason if it would be
// skipped. A record read with a warning (a date not understood, text
// repaired or truncated; RunReport's rule) gives a UserWarning, as the batch
// calls do, or with `strict` a ValueError, as CheckStrict fails them.
Document ToDocument(const py::dict& record, const ReaderOptions& reader, bool strict) {
  py::list one;
  one.append(record);
  ConvertedRecords converted = ConvertRecords(one, reader, kRecordOrigin, false);
  CheckRequiredFields(converted.fields, reader, kRecordOrigin);
  ReadRecord& r = converted.records.front();
  if (r.skipped()) {
    ThrowIfError(absl::InvalidArgumentError(absl::StrCat(r.skip_reason, ": ", r.message)));
  }
  RunReport report;
  report.AddProcessed(r.doc, 0, 0);
  if (report.warning_count() > 0) {
    const SkippedRecord& w = report.warnings().front();
    const std::string message = absl::StrCat(w.message, " (", w.reason, ")");
    if (strict) ThrowIfError(absl::InvalidArgumentError(absl::StrCat("strict: ", message)));
    if (PyErr_WarnEx(PyExc_UserWarning, absl::StrCat("storysift: ", message).c_str(), 1) != 0) {
      throw py::error_already_set();  // Warnings made errors by the caller's filter.
    }
  }
  return std::move(r.doc);
}

// An id given to contains/remove/story_of as a record's id is kept (its
// lone surrogates and non-UTF-8 bytes repaired as in a record), so that it
// names the document add() kept. Nothing is stored: no warning.
std::string IdArgument(const py::handle& id) {
  bool repaired = false;
  return TextArgument(id, "id", &repaired);
}

// What both wrappers do the same way: a record becomes a Document by the
// reader options; the long calls (load, add, query, save) run without the
// GIL. `Stage` is Deduplicator or StoryAssigner, `Options` its options
// struct; ToDict turns the stage's verdict into a dict.
template <typename Stage, typename Options, auto ToDict>
class StreamingStage {
 public:
  // `job`: the reading options and `strict`.
  StreamingStage(std::unique_ptr<Stage> impl, const JobOptions& job)
      : impl_(std::move(impl)), reader_(job.reader), strict_(job.strict) {}

  // A stage from ToBytes(), reading records by `job` (pickling).
  static StreamingStage FromBytes(const py::bytes& bytes, const JobOptions& job) {
    const std::string state = bytes;
    return StreamingStage(
        ValueOrThrow(WithoutGil([&] { return Stage::LoadFromString(state, nullptr); })), job);
  }

  // The saved stage at `path`; with `check`, its options must be
  // `expected`'s. A retention given (not kKeepSavedRetention) replaces the
  // saved one also without `check`: the file is then read twice, first for
  // its own options, so that nothing else is compared.
  static StreamingStage LoadFrom(const std::string& path, Options expected, bool check,
                                 const JobOptions& job) {
    if (!check && expected.retention_seconds != kKeepSavedRetention) {
      const int64_t retention = expected.retention_seconds;
      const std::unique_ptr<Stage> saved =
          ValueOrThrow(WithoutGil([&] { return Stage::Load(path, nullptr); }));
      expected = saved->options();
      expected.retention_seconds = retention;
      check = true;
    }
    return StreamingStage(
        ValueOrThrow(WithoutGil([&] { return Stage::Load(path, check ? &expected : nullptr); })),
        job);
  }

  py::dict Add(const py::dict& record) {
    const Document doc = ToDocument(record, reader_, strict_);
    return ToDict(ValueOrThrow(WithoutGil([&] { return impl_->Add(doc); })));
  }
  py::dict Query(const py::dict& record) const {
    const Document doc = ToDocument(record, reader_, strict_);
    return ToDict(ValueOrThrow(WithoutGil([&] { return impl_->Query(doc); })));
  }
  void Save(const std::string& path) const {
    ThrowIfError(WithoutGil([&] { return impl_->Save(path); }));
  }
  // The bytes Save writes, for pickling.
  py::bytes ToBytes() const {
    return py::bytes(WithoutGil([&] { return impl_->SaveToString(); }));
  }
  size_t EvictOlderThan(int64_t utc_seconds) { return impl_->EvictOlderThan(utc_seconds); }
  bool Contains(const py::handle& id) const { return impl_->Contains(IdArgument(id)); }
  size_t MemoryUsage() const { return impl_->MemoryUsage(); }

 protected:
  std::unique_ptr<Stage> impl_;
  ReaderOptions reader_;
  bool strict_;
};

py::dict DedupVerdictDict(const DedupVerdict& v) {
  py::dict out;
  out["is_new"] = v.is_new;
  out["duplicate_of"] = v.is_new ? py::object(py::none()) : py::object(py::str(v.duplicate_of));
  out["similarity"] = v.similarity;
  // What add did besides judging (query leaves them True, False, 0).
  out["stored"] = v.stored;
  out["future_dated"] = v.future_dated;
  out["evicted"] = v.evicted;
  return out;
}

py::dict StoryVerdictDict(const StoryVerdict& v) {
  py::dict out;
  // None for a record not stored (older than the window) that matches no
  // held story.
  out["story_id"] = v.story_id.empty() ? py::object(py::none()) : py::object(py::str(v.story_id));
  out["is_new_story"] = v.is_new_story;
  out["similarity"] = v.similarity;
  out["label"] = v.label;
  // As add would keep it (query too, unlike the Deduplicator's).
  out["stored"] = v.stored;
  // What add did besides judging (query leaves them False, 0), as the
  // Deduplicator's dict.
  out["future_dated"] = v.future_dated;
  out["evicted"] = v.evicted;
  return out;
}

class PyDeduplicator
    : public StreamingStage<Deduplicator, DeduplicatorOptions, DedupVerdictDict> {
 public:
  using StreamingStage::StreamingStage;
  explicit PyDeduplicator(StreamingStage stage) : StreamingStage(std::move(stage)) {}

  static DeduplicatorOptions Options(const JobOptions& job) {
    DeduplicatorOptions options;
    options.normalize = job.normalize;
    options.sketch = job.dedup.sketch;
    options.grouper = job.dedup.grouper;
    options.retention_seconds = RetentionSeconds(job);
    return options;
  }
  static PyDeduplicator Create(const py::dict& kwargs) {
    const JobOptions job = ParseOptions(kwargs, OptionSet::kDeduplicator);
    return PyDeduplicator(ValueOrThrow(Deduplicator::Create(ForCreate(Options(job)))), job);
  }
  static PyDeduplicator Load(const std::string& path, const py::dict& kwargs, bool check) {
    const JobOptions job = ParseOptions(kwargs, OptionSet::kDeduplicator);
    return PyDeduplicator(LoadFrom(path, Options(job), check, job));
  }
  static PyDeduplicator Restore(const py::bytes& bytes, const py::dict& kwargs) {
    return PyDeduplicator(FromBytes(bytes, ParseOptions(kwargs, OptionSet::kDeduplicator)));
  }

  size_t Remove(const py::handle& id) { return ValueOrThrow(impl_->Remove(IdArgument(id)), true); }
  size_t Size() const { return impl_->Size(); }
  size_t NumRepresentatives() const { return impl_->NumRepresentatives(); }
};

class PyStoryAssigner
    : public StreamingStage<StoryAssigner, StoryAssignerOptions, StoryVerdictDict> {
 public:
  using StreamingStage::StreamingStage;
  explicit PyStoryAssigner(StreamingStage stage) : StreamingStage(std::move(stage)) {}

  static StoryAssignerOptions Options(const JobOptions& job) {
    StoryAssignerOptions options;
    options.normalize = job.normalize;
    options.tfidf = job.tfidf;
    options.story = job.story.story;
    options.retention_seconds = RetentionSeconds(job);
    return options;
  }
  static PyStoryAssigner Create(const py::dict& kwargs) {
    const JobOptions job = ParseOptions(kwargs, OptionSet::kStoryAssigner);
    std::optional<IdfModel> idf;
    if (!job.idf_path.empty()) idf = ValueOrThrow(IdfModel::Load(job.idf_path));
    return PyStoryAssigner(
        ValueOrThrow(StoryAssigner::Create(ForCreate(Options(job)), idf ? &*idf : nullptr)), job);
  }
  static PyStoryAssigner Load(const std::string& path, const py::dict& kwargs, bool check) {
    const JobOptions job = ParseOptions(kwargs, OptionSet::kStoryAssigner);
    PyStoryAssigner loaded(LoadFrom(path, Options(job), check, job));
    if (check && !job.idf_path.empty()) loaded.CheckIdfModel(path, job.idf_path);
    return loaded;
  }
  static PyStoryAssigner Restore(const py::bytes& bytes, const py::dict& kwargs) {
    return PyStoryAssigner(FromBytes(bytes, ParseOptions(kwargs, OptionSet::kStoryAssigner)));
  }

  // A state keeps the model it was created with: an `idf` given with its
  // options that is not that model (or a state saved without one) is
  // refused, not ignored.
  void CheckIdfModel(const std::string& path, const std::string& idf_path) const {
    const IdfModel given = ValueOrThrow(IdfModel::Load(idf_path));
    const IdfModel* held = impl_->idf_model();
    if (held == nullptr) {
      ThrowIfError(absl::FailedPreconditionError(absl::StrCat(
          "idf: ", path, " was saved without an IDF model (running document frequencies); "
          "load it without idf=")));
    }
    if (!SameCounts(*held, given)) {
      ThrowIfError(absl::FailedPreconditionError(absl::StrCat(
          "idf: ", path, " holds another IDF model (", held->num_docs(), " documents, ",
          held->num_terms(), " terms) than ", idf_path, " (", given.num_docs(), " documents, ",
          given.num_terms(), " terms); it keeps the model it was created with: load it "
          "without idf=")));
    }
  }

  void Remove(const py::handle& id) { ThrowIfError(impl_->Remove(IdArgument(id)), true); }
  std::optional<std::string> StoryOf(const py::handle& id) const {
    return impl_->StoryOf(IdArgument(id));
  }

 private:
  static bool SameCounts(const IdfModel& a, const IdfModel& b) {
    if (a.num_docs() != b.num_docs() || a.num_terms() != b.num_terms()) return false;
    for (size_t i = 0; i < a.num_terms(); ++i) {
      const IdfTerm x = a.term(i), y = b.term(i);
      if (x.term_hash != y.term_hash || x.df != y.df) return false;
    }
    return true;
  }
};

// A writer's hold on a stage's file: the lock `storysift index build|add`
// takes (LockIndexForWriting), from before the file is read until release()
// or until this object is collected, so that a second writer (a CLI run,
// another process's stage, another stage of this process) waits or fails
// instead of losing this one's documents or having its own lost.
class PyFileLock {
 public:
  // TimeoutError when another writer still holds it after `wait_seconds`.
  static PyFileLock Acquire(const std::string& path, double wait_seconds) {
    absl::StatusOr<FileLock> lock =
        WithoutGil([&] { return LockIndexForWriting(path, wait_seconds); });
    if (IsLockHeld(lock.status())) {
      const std::string hint =
          wait_seconds > 0 ? absl::StrFormat("still locked after waiting %g s", wait_seconds)
                           : std::string("pass wait=SECONDS to wait for it, or read_only=True to "
                                         "read it without writing it");
      PyErr_SetString(PyExc_TimeoutError,
                      absl::StrCat(path, ": another writer holds its lock (a `storysift index "
                                         "build|add` run, or a Deduplicator or StoryAssigner "
                                         "opened on it for writing, here or in another "
                                         "process); ", hint).c_str());
      throw py::error_already_set();
    }
    PyFileLock held;
    held.lock_ = ValueOrThrow(std::move(lock));
    return held;
  }
  // ValueError when the lock file was removed or replaced while held (a
  // second writer may have locked the new one): the caller saves nothing.
  void CheckStillHeld() const {
    if (!lock_.has_value()) ThrowIfError(absl::FailedPreconditionError("the lock was released"));
    ThrowIfError(lock_->CheckStillHeld());
  }
  void Release() { lock_.reset(); }
  bool held() const { return lock_.has_value(); }

 private:
  std::optional<FileLock> lock_;
};

}  // namespace

void RegisterStreaming(py::module_& m) {
  py::class_<PyFileLock>(m, "_FileLock")
      .def_static("acquire", &PyFileLock::Acquire, py::arg("path"), py::arg("wait_seconds"))
      .def("check_still_held", &PyFileLock::CheckStillHeld)
      .def("release", &PyFileLock::Release)
      .def_property_readonly("held", &PyFileLock::held);
  py::class_<PyDeduplicator>(m, "_Deduplicator")
      .def_static("create", &PyDeduplicator::Create, py::arg("options"))
      .def_static("load", &PyDeduplicator::Load, py::arg("path"), py::arg("options"),
                  py::arg("check"))
      .def("add", &PyDeduplicator::Add, py::arg("record"))
      .def("query", &PyDeduplicator::Query, py::arg("record"))
      .def("remove", &PyDeduplicator::Remove, py::arg("id"))
      .def_static("from_bytes", &PyDeduplicator::Restore, py::arg("state"), py::arg("options"))
      .def("save", &PyDeduplicator::Save, py::arg("path"))
      .def("to_bytes", &PyDeduplicator::ToBytes)
      .def("evict_older_than", &PyDeduplicator::EvictOlderThan, py::arg("utc_seconds"))
      .def("contains", &PyDeduplicator::Contains, py::arg("id"))
      .def("size", &PyDeduplicator::Size)
      .def("num_representatives", &PyDeduplicator::NumRepresentatives)
      .def("memory_usage", &PyDeduplicator::MemoryUsage);
  py::class_<PyStoryAssigner>(m, "_StoryAssigner")
      .def_static("create", &PyStoryAssigner::Create, py::arg("options"))
      .def_static("load", &PyStoryAssigner::Load, py::arg("path"), py::arg("options"),
                  py::arg("check"))
      .def("add", &PyStoryAssigner::Add, py::arg("record"))
      .def("query", &PyStoryAssigner::Query, py::arg("record"))
      .def("remove", &PyStoryAssigner::Remove, py::arg("id"))
      .def_static("from_bytes", &PyStoryAssigner::Restore, py::arg("state"), py::arg("options"))
      .def("save", &PyStoryAssigner::Save, py::arg("path"))
      .def("to_bytes", &PyStoryAssigner::ToBytes)
      .def("evict_older_than", &PyStoryAssigner::EvictOlderThan, py::arg("utc_seconds"))
      .def("contains", &PyStoryAssigner::Contains, py::arg("id"))
      .def("story_of", &PyStoryAssigner::StoryOf, py::arg("id"))
      .def("memory_usage", &PyStoryAssigner::MemoryUsage);
}

}  // namespace storysift::python
