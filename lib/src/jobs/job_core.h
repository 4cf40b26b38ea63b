// The steps the public jobs (storysift/jobs.h) share: read and group copies,
// then vectors, stories and ranking. Each job is these calls plus what it
// keeps of the result; nothing here is repeated by a job.
#ifndef STORYSIFT_JOBS_JOB_CORE_H_
#define STORYSIFT_JOBS_JOB_CORE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "pipeline/corpus.h"
#include "storysift/jobs.h"
#include "storysift/story_pipeline.h"
#include "storysift/tfidf.h"

namespace storysift::internal {

// The corpus and its copy groups; the sketches are released when the
// caller asked for a vectorizer (the story steps do not read them).
struct CopiesRun {
  Corpus corpus;
  CopyGroups groups;
};

// Reads `input` into a corpus (titles too with `keep_titles`; every
// document also counted into `vectorizer` when given) and groups its
// copies. InvalidArgument for bad options before anything is read.
absl::StatusOr<CopiesRun> ReadAndGroupCopies(const DedupJobOptions& options,
                                             InputStream& input, const RunContext& context,
                                             bool keep_titles, TfidfVectorizer* vectorizer);

struct StoriesRun {
  Corpus corpus;  // Without sketches.
  CopyGroups groups;
  TfidfMatrix matrix;
  std::vector<RankedStory> stories;
};

// ReadAndGroupCopies, then TF-IDF over every document and the ranked
// stories. `keep_documents` overrides options.dedup.keep_documents when
// true (the state keeps its documents).
absl::StatusOr<StoriesRun> ReadAndClusterStories(const ClusterJobOptions& options,
                                                 InputStream& input, const RunContext& context,
                                                 bool keep_documents);

// What a stories run hands to its caller: the documents and the report
// moved out of the corpus, the groups and the stories.
ClusterResult TakeClusterResult(StoriesRun run, std::vector<RankedStory> stories,
                                std::vector<std::string> story_ids);

}  // namespace storysift::internal

#endif  // STORYSIFT_JOBS_JOB_CORE_H_
