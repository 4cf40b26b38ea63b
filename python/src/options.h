// Keyword options of the Python API -> the library's option structs. The
// names are the CLI flags' (--num-perm is num_perm) with the same defaults
// (the structs' own) and the same checks (the library's validators).
#ifndef STORYSIFT_PYTHON_OPTIONS_H_
#define STORYSIFT_PYTHON_OPTIONS_H_

#include <optional>
#include <string>

#include <pybind11/pybind11.h>

#include "storysift/jobs.h"
#include "storysift/normalize.h"
#include "storysift/reader.h"
#include "storysift/run_context.h"
#include "storysift/story_pipeline.h"
#include "storysift/tfidf.h"
#include "storysift/verifier.h"

namespace storysift::python {

struct JobOptions {
  ReaderOptions reader;
  NormalizeOptions normalize;
  DedupJobOptions dedup;  // Sketch, grouping, exact_verify (normalize: the field above).
  std::optional<Verifier> verifier;  // Made from `dedup` once, when it is parsed.
  StoryPipelineOptions story;
  TfidfOptions tfidf;
  std::string idf_path;
  bool strict = false;
  int threads = 0;  // RunContext::threads of every call (0 = all cores).
  // Deduplicator / StoryAssigner; unset: 0 for a new one, a loaded one's
  // saved value.
  std::optional<double> retention_days;
};

// kDedupFiles: kDedup and the file-reading options (the steps of
// storysift.dask.dedup_files, which all get its options). kNormalize and
// kMinHash: only what storysift.normalize / storysift.minhash read.
enum class OptionSet {
  kDedup, kDedupFiles, kCluster, kDeduplicator, kStoryAssigner, kNormalize, kMinHash
};

// Reads `kwargs` (every key must belong to `set`: TypeError naming the
// unknown one). ValueError with the library's message for a bad value.
JobOptions ParseOptions(const pybind11::dict& kwargs, OptionSet set);

// The run context of `options` (threads).
RunContext Context(const JobOptions& options);

}  // namespace storysift::python

#endif  // STORYSIFT_PYTHON_OPTIONS_H_
