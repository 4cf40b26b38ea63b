// RunDedup, RunCluster and the plain records of their results.
#include "storysift/jobs.h"

#include <algorithm>
#include <utility>

#include "jobs/job_core.h"
#include "pipeline/parallel.h"
#include "storysift/status_macros.h"
#include "storysift/story_writer.h"

namespace storysift {

absl::StatusOr<DedupResult> RunDedup(const DedupJobOptions& options, InputStream& input,
                                     const RunContext& context) {
  STORYSIFT_ASSIGN_OR_RETURN(
      internal::CopiesRun run,
      internal::ReadAndGroupCopies(options, input, context, /*keep_titles=*/false, nullptr));
  DedupResult result;
  result.documents = std::move(static_cast<DocumentTable&>(run.corpus));
  result.report = std::move(run.corpus.report);
  result.groups = std::move(run.groups);
  return result;
}

absl::StatusOr<ClusterResult> RunCluster(const ClusterJobOptions& options, InputStream& input,
                                         const RunContext& context) {
  STORYSIFT_ASSIGN_OR_RETURN(
      internal::StoriesRun run,
      internal::ReadAndClusterStories(options, input, context, /*keep_documents=*/false));
  // Story ids in blocks on the threads: formatted one by one on one core
  // they were ~1-2 ms of a 20k run's end with the other core idle.
  std::vector<std::string> ids(run.stories.size());
  constexpr size_t kIdsPerTask = 4096;
  ParallelForBlocks(ids.size(), kIdsPerTask, ResolveThreadCount(context.threads),
                    [&](size_t begin, size_t end) {
                      for (size_t i = begin; i < end; ++i) ids[i] = StoryId(i);
                    });
  std::vector<RankedStory> stories = std::move(run.stories);
  return internal::TakeClusterResult(std::move(run), std::move(stories), std::move(ids));
}

std::vector<DocumentVerdict> DocumentVerdicts(const DocumentTable& documents,
                                              const CopyGroups& groups) {
  std::vector<DocumentVerdict> verdicts(documents.num_docs());
  // Groups are numbered in the order their representatives appear.
  std::vector<size_t> group_of(documents.num_docs(), 0);
  size_t next_group = 0;
  for (DocOrdinal d = 0; d < documents.num_docs(); ++d) {
    if (groups.docs[d].representative == d) group_of[d] = next_group++;
  }
  for (DocOrdinal d = 0; d < documents.num_docs(); ++d) {
    const CopyAssignment& a = groups.docs[d];
    DocumentVerdict& v = verdicts[d];
    v.id = documents.ids[d];
    v.group = group_of[a.representative];
    v.role = a.role;
    v.representative_id = documents.ids[a.representative];
    v.similarity = a.similarity;
  }
  return verdicts;
}

std::vector<StoryRecord> StoryRecords(const ClusterResult& result) {
  const std::vector<std::string>& ids = result.documents.ids;
  std::vector<StoryRecord> records(result.stories.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const RankedStory& story = result.stories[i];
    StoryRecord& r = records[i];
    r.story_id = result.story_ids[i];
    r.label = story.label;
    r.headline = story.headline;
    r.first_published = story.first_published;
    r.last_published = story.last_published;
    for (const RankedArticle& a : story.articles) {
      r.articles.push_back(
          {ids[a.ordinal], a.novelty, a.new_terms, a.copy_of ? ids[*a.copy_of] : std::string()});
    }
  }
  return records;
}

}  // namespace storysift
