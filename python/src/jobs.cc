// storysift.dedup / storysift.cluster on records in memory: the CLI's
// dedup and cluster jobs (LoadCorpus, GroupCopies, BuildRankedStories and
// the same line writers) on records converted by records.h. Returns the
// JSON lines the CLI would print and the run report.
#include <optional>
#include <string>

#include <pybind11/pybind11.h>

#include "errors.h"
#include "module.h"
#include "options.h"
#include "records.h"
#include "storysift/corpus.h"
#include "storysift/dedup_writer.h"
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
  std::string summary;
};

absl::StatusOr<Corpus> LoadRecords(ConvertedRecords records, const JobOptions& options,
                                   const Normalizer& normalizer, TfidfVectorizer* vectorizer) {
  InputStream stream =
      InputStream::FromRecords(std::move(records.records), {std::move(records.summary)});
  return LoadCorpus(stream, normalizer, options.corpus, vectorizer);
}

void AppendLine(std::string* out, std::string_view line) {
  out->append(line);
  out->push_back('\n');
}

absl::StatusOr<JobResult> RunDedup(ConvertedRecords records, const JobOptions& options) {
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(options.normalize));
  STORYSIFT_ASSIGN_OR_RETURN(Corpus corpus,
                             LoadRecords(std::move(records), options, normalizer, nullptr));
  STORYSIFT_ASSIGN_OR_RETURN(CopyGroups groups,
                             GroupCopies(corpus.sketch_table(), corpus.meta, options.grouper));
  JobResult result;
  WriteDedupLines(corpus, groups, DedupWriterOptions(),
                  [&result](std::string_view line) { AppendLine(&result.lines, line); });
  result.report_json = corpus.report.ToJson();
  result.skipped = corpus.report.skipped();
  result.summary = corpus.report.Summary();
  return result;
}

absl::StatusOr<JobResult> RunCluster(ConvertedRecords records, const JobOptions& options) {
  std::optional<IdfModel> idf;
  if (!options.idf_path.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(idf, IdfModel::Load(options.idf_path));
  }
  STORYSIFT_ASSIGN_OR_RETURN(TfidfVectorizer vectorizer,
                             TfidfVectorizer::Create(options.tfidf, idf ? &*idf : nullptr));
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(options.normalize));
  CorpusOptions corpus_options = options.corpus;
  corpus_options.keep_titles = true;  // Story headlines.
  JobOptions job = options;
  job.corpus = corpus_options;
  STORYSIFT_ASSIGN_OR_RETURN(Corpus corpus,
                             LoadRecords(std::move(records), job, normalizer, &vectorizer));
  STORYSIFT_ASSIGN_OR_RETURN(CopyGroups groups,
                             GroupCopies(corpus.sketch_table(), corpus.meta, options.grouper));
  corpus.ReleaseSketches();
  STORYSIFT_ASSIGN_OR_RETURN(TfidfMatrix matrix, vectorizer.Build());
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<RankedStory> stories,
                             BuildRankedStories(corpus, groups, matrix, options.story));
  JobResult result;
  for (size_t i = 0; i < stories.size(); ++i) {
    AppendLine(&result.lines, StoryJsonLine(corpus, stories[i], StoryId(i)));
  }
  result.report_json = corpus.report.ToJson();
  result.skipped = corpus.report.skipped();
  result.summary = corpus.report.Summary();
  return result;
}

py::dict ToPython(const JobResult& result) {
  py::dict out;
  out["lines"] = py::bytes(result.lines);
  out["report"] = result.report_json;
  out["skipped"] = result.skipped;
  out["summary"] = result.summary;
  return out;
}

py::dict Run(const py::handle& records, const py::dict& kwargs, OptionSet set) {
  const JobOptions options = ParseOptions(kwargs, set);
  ConvertedRecords converted = ConvertRecords(records, options.reader, kRecordsOrigin);
  absl::StatusOr<JobResult> result;
  {
    py::gil_scoped_release release;
    result = set == OptionSet::kDedup ? RunDedup(std::move(converted), options)
                                      : RunCluster(std::move(converted), options);
  }
  const JobResult done = ValueOrThrow(std::move(result));
  if (options.strict && done.skipped > 0) {
    ThrowIfError(absl::InvalidArgumentError(
        absl::StrCat("strict: ", done.skipped, " records skipped\n", done.summary)));
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
      "'report': the --report JSON, 'skipped': count, 'summary': text}.");
  m.def(
      "_cluster",
      [](const py::handle& records, const py::dict& kwargs) {
        return Run(records, kwargs, OptionSet::kCluster);
      },
      py::arg("records"), py::arg("options"),
      "Stories of records: as _dedup, with the lines of `storysift cluster`.");
}

}  // namespace storysift::python
