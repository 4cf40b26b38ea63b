// storysift.dedup / storysift.cluster on records in memory: the CLI's jobs
// (jobs.h: RunDedup, RunCluster) and line writers on records converted by
// records.h. Returns the JSON lines the CLI would print and the run report.
#include <memory>
#include <string>

#include <pybind11/pybind11.h>

#include "errors.h"
#include "module.h"
#include "options.h"
#include "records.h"
#include "io/dedup_writer.h"
#include "storysift/jobs.h"
#include "storysift/idf_model.h"
#include "storysift/input_stream.h"
#include "storysift/status_macros.h"
#include "storysift/story_pipeline.h"
#include "storysift/story_writer.h"

namespace py = pybind11;

namespace storysift::python {
namespace {

constexpr char kRecordsOrigin[] = "records";

struct JobResult {
  std::string lines;
  std::string report_json;
  int64_t skipped = 0;
  int64_t warnings = 0;
  std::string summary;
  absl::Status strict;  // CheckStrict() of the run's report.
};

void AppendLine(std::string* out, std::string_view line) {
  out->append(line);
  out->push_back('\n');
}

InputStream RecordStream(ConvertedRecords records) {
  return InputStream::FromRecords(std::move(records.records), {std::move(records.summary)});
}

DedupJobOptions DedupOptions(const JobOptions& options) {
  DedupJobOptions dedup = options.dedup;
  dedup.normalize = options.normalize;
  return dedup;
}

JobResult Finish(std::string lines, const RunReport& report) {
  JobResult result;
  result.lines = std::move(lines);
  result.report_json = report.ToJson();
  result.skipped = report.skipped();
  result.warnings = report.warning_count();
  result.summary = report.Summary();
  result.strict = CheckStrict(report);
  return result;
}

absl::StatusOr<JobResult> RunDedupJob(ConvertedRecords records, const JobOptions& options) {
  InputStream input = RecordStream(std::move(records));
  STORYSIFT_ASSIGN_OR_RETURN(DedupResult result,
                             RunDedup(DedupOptions(options), input, Context(options)));
  std::string lines;
  WriteDedupLines(result.documents, result.report, result.groups, DedupWriterOptions(),
                  [&lines](std::string_view line) { AppendLine(&lines, line); });
  return Finish(std::move(lines), result.report);
}

absl::StatusOr<JobResult> RunClusterJob(ConvertedRecords records, const JobOptions& options) {
  ClusterJobOptions job;
  job.dedup = DedupOptions(options);
  job.tfidf = options.tfidf;
  job.stories = options.story;
  if (!options.idf_path.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(IdfModel idf, IdfModel::Load(options.idf_path));
    job.idf = std::make_shared<const IdfModel>(std::move(idf));
  }
  InputStream input = RecordStream(std::move(records));
  STORYSIFT_ASSIGN_OR_RETURN(ClusterResult result,
                             RunCluster(job, input, Context(options)));
  std::string lines;
  for (size_t i = 0; i < result.stories.size(); ++i) {
    AppendLine(&lines, StoryJsonLine(result.documents.ids, result.stories[i], result.story_ids[i]));
  }
  return Finish(std::move(lines), result.report);
}

py::dict ToPython(const JobResult& result) {
  py::dict out;
  out["lines"] = py::bytes(result.lines);
  out["report"] = result.report_json;
  out["skipped"] = result.skipped;
  out["warnings"] = result.warnings;
  out["summary"] = result.summary;
  return out;
}

py::dict Run(const py::handle& records, const py::dict& kwargs, OptionSet set) {
  const JobOptions options = ParseOptions(kwargs, set);
  ConvertedRecords converted = ConvertRecords(records, options.reader, kRecordsOrigin);
  CheckRequiredFields(converted.fields, options.reader, kRecordsOrigin);
  absl::StatusOr<JobResult> result;
  {
    py::gil_scoped_release release;
    result = set == OptionSet::kDedup ? RunDedupJob(std::move(converted), options)
                                      : RunClusterJob(std::move(converted), options);
  }
  const JobResult done = ValueOrThrow(std::move(result));
  // As the CLI's --strict: a skipped record or a warning fails the call.
  if (options.strict && !done.strict.ok()) {
    ThrowIfError(absl::InvalidArgumentError(
        absl::StrCat("strict: ", done.strict.message(), "\n", done.summary)));
  }
  return ToPython(done);
}

}  // namespace

void RegisterJobs(py::module_& m) {
  m.def(
      "_dedup",
      [](const py::handle& records, const py::dict& kwargs) {
        return Run(records, kwargs, OptionSet::kDedup);
      },
      py::arg("records"), py::arg("options"),
      "Near-duplicate verdicts of records: {'lines': JSON lines as `storysift dedup` prints, "
      "'report': the --report JSON, 'skipped': count, 'warnings': count, 'summary': text}.");
  m.def(
      "_cluster",
      [](const py::handle& records, const py::dict& kwargs) {
        return Run(records, kwargs, OptionSet::kCluster);
      },
      py::arg("records"), py::arg("options"),
      "Stories of records: as _dedup, with the lines of `storysift cluster`.");
}

}  // namespace storysift::python
