// The batch story job behind `storysift cluster`: near-duplicates are
// collapsed first (a wire copy printed by 40 sites counts once), the copy
// groups' representatives are clustered into stories by TF-IDF cosine and
// time, then every article of a story — copies included — is ranked by
// novelty.
#ifndef STORYSIFT_STORY_PIPELINE_H_
#define STORYSIFT_STORY_PIPELINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/copy_grouper.h"
#include "storysift/document_table.h"
#include "storysift/novelty.h"
#include "storysift/run_context.h"
#include "storysift/story_clusterer.h"
#include "storysift/tfidf.h"

namespace storysift {

enum class StoryMode {
  kBatch,      // Average-link agglomeration over the candidate graph.
  kStreaming,  // First-story detection in time order (StoryTracker).
};

struct StoryPipelineOptions {
  StoryOptions story;
  NoveltyOptions novelty;
  StoryMode mode = StoryMode::kBatch;
};

struct RankedStory {
  std::vector<std::string> label;
  // The title of the story's most central titled article (highest cosine to
  // the sum of the members' vectors; ties to the smaller ordinal); empty when
  // no member has a title or the corpus kept no titles (keep_titles).
  std::string headline;
  std::optional<int64_t> first_published;  // Over every dated member.
  std::optional<int64_t> last_published;
  NoveltyMode novelty_mode = NoveltyMode::kChronological;
  std::vector<RankedArticle> articles;  // Rank order, most novel first.
  DocOrdinal first_ordinal = 0;          // Smallest member ordinal.
};

// Clusters the corpus into ranked stories. `matrix` must hold a row for
// every document of the corpus (TfidfVectorizer fed by LoadCorpus), and
// `groups` its copy groups. Stories are ordered by their smallest member
// ordinal; every processed document is in exactly one story.
// Runs on context.threads workers; adds its timings to
// context.timings->stories when set.
absl::StatusOr<std::vector<RankedStory>> BuildRankedStories(
    const DocumentTable& corpus, const CopyGroups& groups, const TfidfMatrix& matrix,
    const StoryPipelineOptions& options, const RunContext& context = {});

// Ranks `members` (ordinals, ascending) as one story, labelled by its own
// `label_terms` heaviest terms as BuildRankedStories labels a story: what
// `cluster --state` does when stored articles keep their stories apart from
// the clustering's. A copy whose representative is not a member (or whose
// title names other companies' tickers) ranks as an original.
// InvalidArgument for no member.
absl::StatusOr<RankedStory> RankStoryMembers(const DocumentTable& corpus, const CopyGroups& groups,
                                             const TfidfMatrix& matrix,
                                             const std::vector<DocOrdinal>& members,
                                             int label_terms, const NoveltyOptions& options);

}  // namespace storysift

#endif  // STORYSIFT_STORY_PIPELINE_H_
