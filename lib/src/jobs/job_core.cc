#include "jobs/job_core.h"

#include <chrono>
#include <utility>

#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

// The corpus options of a dedup job: what to keep, the run's threads and
// timings, and the LSH bands resolved once (the corpus keeps their keys
// instead of full signatures).
absl::StatusOr<CorpusOptions> MakeCorpusOptions(const DedupJobOptions& options,
                                                const CopyGrouperOptions& grouper,
                                                const RunContext& context) {
  STORYSIFT_RETURN_IF_ERROR(
      ValidateCopyGrouperOptions(grouper, options.sketch.minhash.num_perm));
  CorpusOptions corpus;
  corpus.sketch = options.sketch;
  corpus.keep_shingles = options.exact_verify;
  corpus.keep_text = options.keep_texts;
  corpus.keep_documents = options.keep_documents;
  corpus.on_document = options.on_document;
  if (options.sketch.kind == SketchKind::kMinHash) {
    STORYSIFT_ASSIGN_OR_RETURN(corpus.band_params,
                               ResolveLshParams(grouper, options.sketch.minhash.num_perm));
  }
  return corpus;
}

// Adds the seconds since `*start` to `*sum` (when timing) and restarts.
void Lap(double* sum, double* start, const RunContext& context) {
  if (context.timings == nullptr) return;
  const double now = WallSeconds();
  *sum += now - *start;
  *start = now;
}

}  // namespace

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

absl::StatusOr<CopiesRun> ReadAndGroupCopies(const DedupJobOptions& options,
                                             InputStream& input, const RunContext& context,
                                             bool keep_titles, TfidfVectorizer* vectorizer) {
  // The sketch kind is the one setting of the kind: the grouper follows it.
  CopyGrouperOptions grouper = options.grouper;
  grouper.kind = options.sketch.kind;
  STORYSIFT_ASSIGN_OR_RETURN(CorpusOptions corpus_options,
                             MakeCorpusOptions(options, grouper, context));
  corpus_options.keep_titles = keep_titles;
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(options.normalize));
  JobTimings unused;
  JobTimings& timings = context.timings != nullptr ? *context.timings : unused;
  double start = context.timings != nullptr ? WallSeconds() : 0;
  CopiesRun run;
  STORYSIFT_ASSIGN_OR_RETURN(run.corpus,
                             LoadCorpus(input, normalizer, corpus_options, context, vectorizer));
  Lap(&timings.load_wall, &start, context);
  context.Stage("grouping copies");
  STORYSIFT_ASSIGN_OR_RETURN(run.groups,
                             GroupCopies(run.corpus.sketch_table(), run.corpus.meta, grouper, context));
  Lap(&timings.group_wall, &start, context);
  if (vectorizer != nullptr) run.corpus.ReleaseSketches();
  return run;
}

absl::StatusOr<StoriesRun> ReadAndClusterStories(const ClusterJobOptions& options,
                                                 InputStream& input, const RunContext& context,
                                                 bool keep_documents) {
  STORYSIFT_ASSIGN_OR_RETURN(TfidfVectorizer vectorizer,
                             TfidfVectorizer::Create(options.tfidf, options.idf.get()));
  DedupJobOptions dedup = options.dedup;
  dedup.keep_documents |= keep_documents;
  STORYSIFT_ASSIGN_OR_RETURN(
      CopiesRun copies,
      ReadAndGroupCopies(dedup, input, context, /*keep_titles=*/true, &vectorizer));
  StoriesRun run{std::move(copies.corpus), std::move(copies.groups), {}, {}};
  context.Stage("clustering stories");
  JobTimings unused;
  JobTimings& timings = context.timings != nullptr ? *context.timings : unused;
  double start = context.timings != nullptr ? WallSeconds() : 0;
  STORYSIFT_ASSIGN_OR_RETURN(run.matrix, vectorizer.Build());
  Lap(&timings.vectors_wall, &start, context);
  STORYSIFT_ASSIGN_OR_RETURN(
      run.stories, BuildRankedStories(run.corpus, run.groups, run.matrix, options.stories, context));
  return run;
}

ClusterResult TakeClusterResult(StoriesRun run, std::vector<RankedStory> stories,
                                std::vector<std::string> story_ids) {
  ClusterResult result;
  result.documents = std::move(static_cast<DocumentTable&>(run.corpus));
  result.report = std::move(run.corpus.report);
  result.groups = std::move(run.groups);
  result.stories = std::move(stories);
  result.story_ids = std::move(story_ids);
  return result;
}

}  // namespace storysift::internal
