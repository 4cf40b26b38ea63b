#include "jobs/job_core.h"

#include <utility>

#include "pipeline/clock.h"
#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

// The corpus options of a dedup job: what to keep and the verification
// resolved once (the corpus keeps b-bit rows and band keys for its bands
// instead of full signatures).
CorpusOptions MakeCorpusOptions(const DedupJobOptions& options, const Verifier& verifier) {
  CorpusOptions corpus;
  corpus.sketch = options.sketch;
  corpus.keep_shingles = options.exact_verify;
  corpus.keep_text = options.keep_texts;
  corpus.keep_documents = options.keep_documents;
  corpus.on_document = options.on_document;
  corpus.verifier = verifier;
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

absl::StatusOr<CopiesRun> ReadAndGroupCopies(const DedupJobOptions& options,
                                             InputStream& input, const RunContext& context,
                                             bool keep_titles, TfidfVectorizer* vectorizer) {
  STORYSIFT_ASSIGN_OR_RETURN(const Verifier verifier,
                             Verifier::Create(options.grouper, options.sketch));
  CorpusOptions corpus_options = MakeCorpusOptions(options, verifier);
  corpus_options.keep_titles = keep_titles;
  NormalizeOptions normalize = options.normalize;
  normalize.terms = vectorizer != nullptr;  // Only TF-IDF reads Token::term.
  // Tokens that only feed the sketcher (no TF-IDF, no kept texts for
  // --explain) may carry the hashes it reads.
  if (vectorizer == nullptr && !corpus_options.keep_text) {
    normalize.token_hash = SketchTokenHash(options.sketch);
  } else {
    // Cluster's terms tokenizer makes the look-alike hashes too where cheap.
    normalize.lookalike_hashes =
        SketchTokenHash(options.sketch) == TokenHashKind::kLookalike;
  }
  STORYSIFT_ASSIGN_OR_RETURN(Normalizer normalizer, Normalizer::Create(normalize));
  JobTimings unused;
  JobTimings& timings = context.timings != nullptr ? *context.timings : unused;
  double start = context.timings != nullptr ? WallSeconds() : 0;
  CopiesRun run;
  STORYSIFT_ASSIGN_OR_RETURN(run.corpus,
                             LoadCorpus(input, normalizer, corpus_options, context, vectorizer));
  Lap(&timings.load_wall, &start, context);
  context.Stage("grouping copies");
  STORYSIFT_ASSIGN_OR_RETURN(
      run.groups, GroupCopies(run.corpus.sketch_table(), run.corpus.meta, verifier, context));
  Lap(&timings.group_wall, &start, context);
  if (vectorizer != nullptr) run.corpus.ReleaseSketches();
  return run;
}

absl::StatusOr<StoriesRun> ReadAndClusterStories(const ClusterJobOptions& options,
                                                 InputStream& input, const RunContext& context,
                                                 bool keep_documents) {
  // A model of other terms would weigh every term of the run as unseen.
  if (options.idf != nullptr) {
    STORYSIFT_RETURN_IF_ERROR(options.idf->CheckTermOptions(options.dedup.normalize));
  }
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
