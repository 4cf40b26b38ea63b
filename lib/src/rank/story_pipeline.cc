#include "storysift/story_pipeline.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_format.h"
#include "cluster/dot_table.h"
#include "cluster/stage_clock.h"
#include "cluster/story_internal.h"
#include "rank/story_cohesion.h"
#include "rank/story_split.h"
#include "pipeline/parallel.h"
#include "storysift/status_macros.h"
#include "vector/row_sum.h"

namespace storysift {
namespace {

// Items are processed in time order for streaming (undated last, ties by
// ordinal), the order StoryTracker requires.
std::vector<size_t> StreamingOrder(absl::Span<const StoryItem> items) {
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto& pa = items[a].published;
    const auto& pb = items[b].published;
    if (pa.has_value() != pb.has_value()) return pa.has_value();
    if (pa && *pa != *pb) return *pa < *pb;
    return items[a].ordinal < items[b].ordinal;
  });
  return order;
}

absl::StatusOr<std::vector<Story>> ClusterItems(absl::Span<const StoryItem> items,
                                                const Vocabulary& vocabulary,
                                                const StoryPipelineOptions& options,
                                                const RunContext& context) {
  if (options.mode == StoryMode::kBatch) {
    STORYSIFT_ASSIGN_OR_RETURN(StoryClusterer clusterer, StoryClusterer::Create(options.story));
    return clusterer.Cluster(items, vocabulary, context);
  }
  STORYSIFT_ASSIGN_OR_RETURN(StoryTracker tracker, StoryTracker::Create(options.story));
  for (size_t i : StreamingOrder(items)) {
    STORYSIFT_RETURN_IF_ERROR(tracker.Add(items[i]).status());
  }
  return tracker.Finish(vocabulary);
}

// Whether copy `d` clusters as its representative's follower: a copy
// whose title names only other companies' tickers than its original's is
// that company's event and clusters as an item of its own.
bool FollowsRepresentative(const DocumentTable& corpus, const CopyGroups& groups, DocOrdinal d) {
  const CopyAssignment& a = groups.docs[d];
  return a.role == CopyRole::kCopy &&
         !(!corpus.titles.empty() &&
           internal::TitlesNameOtherCompanies(corpus.titles[d], corpus.titles[a.representative]));
}

// The title of the member closest to the story's centroid, among members
// with a title. Copies count: a wire printed often weighs more, as readers
// see it more. Cosine to the centroid is dot / |centroid|, and |centroid| is
// the same for every member, so the dot decides.
std::string HeadlineOf(const std::vector<NoveltyItem>& members, const DocumentTable& corpus,
                       size_t id_bound) {
  if (corpus.titles.empty()) return "";
  // One title among the members (a story of one article, or of a wire and
  // its copies) is the headline whichever member carries it.
  const std::string* only = nullptr;
  bool several = false;
  for (const NoveltyItem& m : members) {
    const std::string& title = corpus.titles[m.ordinal];
    if (title.empty()) continue;
    if (only == nullptr) {
      only = &title;
    } else if (title != *only) {
      several = true;
      break;
    }
  }
  if (!several) return only == nullptr ? "" : *only;
  thread_local std::vector<SparseVectorView> rows;
  thread_local SparseVector centroid;
  rows.clear();
  for (const NoveltyItem& m : members) rows.push_back(m.vector);
  internal::SumRows(rows, &centroid);
  // Dot() bit for bit: the centroid in the thread's DotTable, each member's
  // row streamed through it.
  const SparseVectorView c = centroid.view();
  internal::DotTable& table =
      internal::ThreadDotTable(std::max<size_t>(id_bound, c.size() > 0 ? c.ids.back() + 1 : 0));
  table.Load(c);
  const NoveltyItem* best = nullptr;
  float best_dot = 0;
  for (const NoveltyItem& m : members) {
    if (corpus.titles[m.ordinal].empty()) continue;
    const float dot = table.Dot(m.vector);
    if (best == nullptr || dot > best_dot || (dot == best_dot && m.ordinal < best->ordinal)) {
      best = &m;
      best_dot = dot;
    }
  }
  return best == nullptr ? "" : corpus.titles[best->ordinal];
}

// A story of `members` (each with its copy_of, if any): its label, headline,
// first ordinal, publication span and novelty ranking. REQUIRES: members
// non-empty.
absl::StatusOr<RankedStory> RankItems(std::vector<NoveltyItem> members,
                                      std::vector<std::string> label, const DocumentTable& corpus,
                                      const TfidfMatrix& matrix, const NoveltyOptions& novelty) {
  RankedStory out;
  out.label = std::move(label);
  out.headline = HeadlineOf(members, corpus, matrix.vocabulary().size());
  out.first_ordinal = members.front().ordinal;
  for (const NoveltyItem& m : members) {
    out.first_ordinal = std::min(out.first_ordinal, m.ordinal);
    if (!m.published) continue;
    if (!out.first_published || *m.published < *out.first_published) {
      out.first_published = m.published;
    }
    if (!out.last_published || *m.published > *out.last_published) {
      out.last_published = m.published;
    }
  }
  STORYSIFT_ASSIGN_OR_RETURN(NoveltyRanking ranking,
                             RankByNovelty(members, matrix.vocabulary(), novelty));
  out.novelty_mode = ranking.mode;
  out.articles = std::move(ranking.articles);
  return out;
}

// One story's members (representatives and their copies), dates and
// novelty ranking.
absl::StatusOr<RankedStory> RankStory(const Story& story, const DocumentTable& corpus,
                                      const std::vector<std::vector<DocOrdinal>>& copies_of,
                                      const TfidfMatrix& matrix, const NoveltyOptions& novelty) {
  std::vector<NoveltyItem> members;
  for (DocOrdinal rep : story.members) {
    members.push_back({rep, matrix.row(rep), corpus.meta[rep].published, std::nullopt});
    for (DocOrdinal copy : copies_of[rep]) {
      members.push_back({copy, matrix.row(copy), corpus.meta[copy].published, rep});
    }
  }
  return RankItems(std::move(members), story.label, corpus, matrix, novelty);
}

// The stories by first ordinal, ties in their given order (a copy may
// precede its representative in input order, keep=earliest), as a stable
// sort would leave them. The (ordinal, index) keys are sorted and each
// story is moved once, on the threads: the stable sort moved whole stories
// on one core, ~2-3 ms at the end of a 20k run.
std::vector<RankedStory> InFirstOrdinalOrder(std::vector<RankedStory> ranked, int threads) {
  std::vector<std::pair<DocOrdinal, uint32_t>> key(ranked.size());
  for (uint32_t s = 0; s < ranked.size(); ++s) key[s] = {ranked[s].first_ordinal, s};
  std::sort(key.begin(), key.end());
  std::vector<RankedStory> sorted(ranked.size());
  constexpr size_t kStoriesPerTask = 2048;
  ParallelForBlocks(sorted.size(), kStoriesPerTask, threads, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) sorted[k] = std::move(ranked[key[k].second]);
  });
  return sorted;
}

}  // namespace

absl::StatusOr<std::vector<RankedStory>> BuildRankedStories(
    const DocumentTable& corpus, const CopyGroups& groups, const TfidfMatrix& matrix,
    const StoryPipelineOptions& options, const RunContext& context) {
  const size_t n = corpus.num_docs();
  if (matrix.num_rows() != n || groups.docs.size() != n) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%d documents but %d TF-IDF rows and %d copy assignments", n, matrix.num_rows(),
        groups.docs.size()));
  }
  StoryPipelineTimings unused;
  StoryPipelineTimings& timings = context.timings != nullptr ? context.timings->stories : unused;
  internal::StageClock total(context.timings != nullptr);
  internal::StageClock clock(context.timings != nullptr);
  // Rows were added in ordinal order, one per document, so row == ordinal.
  // A copy of another company's notice is that company's event: it
  // clusters on its own rather than following its representative. (Titles
  // are parsed for tickers: on the threads.)
  std::vector<char> follows(n, 0);
  ParallelFor(n, ResolveThreadCount(context.threads), [&](size_t d) {
    follows[d] = FollowsRepresentative(corpus, groups, static_cast<DocOrdinal>(d));
  });
  std::vector<StoryItem> items;
  std::vector<std::vector<DocOrdinal>> copies_of(n);
  for (DocOrdinal d = 0; d < n; ++d) {
    const CopyAssignment& a = groups.docs[d];
    if (follows[d]) {
      copies_of[a.representative].push_back(d);
    } else {
      items.push_back({d, matrix.row(d), corpus.meta[d].published});
    }
  }
  clock.Lap(&timings.items_wall, &timings.items_cpu);
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<Story> stories,
                             ClusterItems(items, matrix.vocabulary(), options, context));
  double ignored_wall = 0, ignored_cpu = 0;  // Already split by the clusterer.
  clock.Lap(&ignored_wall, &ignored_cpu);
  // Stories joining two companies' events split by their titles' tickers.
  stories = internal::SplitByTitleTickers(std::move(stories), corpus.titles, corpus.meta, matrix,
                                          options.story.label_terms,
                                          ResolveThreadCount(context.threads));
  // Stories joining two events of one kind split where their halves are apart.
  stories = internal::SplitIncoherentStories(std::move(stories), corpus.meta, matrix,
                                             options.story, ResolveThreadCount(context.threads));
  clock.Lap(&timings.split_wall, &timings.split_cpu);
  total.Lap(&timings.cluster_wall, &timings.cluster_cpu);

  // Stories rank independently: in parallel, each into its own slot.
  std::vector<RankedStory> ranked(stories.size());
  std::vector<absl::Status> errors(stories.size());
  ParallelFor(stories.size(), ResolveThreadCount(context.threads),
              [&](size_t s) {
                absl::StatusOr<RankedStory> r = RankStory(stories[s], corpus, copies_of,
                                                          matrix, options.novelty);
                if (r.ok()) {
                  ranked[s] = *std::move(r);
                } else {
                  errors[s] = r.status();
                }
                stories[s] = Story();  // Freed here, on the threads, not at the end on one.
              });
  for (const absl::Status& e : errors) STORYSIFT_RETURN_IF_ERROR(e);
  std::vector<RankedStory> sorted =
      InFirstOrdinalOrder(std::move(ranked), ResolveThreadCount(context.threads));
  clock.Lap(&timings.rank_wall, &timings.rank_cpu);  // The order is ranking's, as the sort was.
  return sorted;
}

absl::StatusOr<RankedStory> RankStoryMembers(const DocumentTable& corpus, const CopyGroups& groups,
                                             const TfidfMatrix& matrix,
                                             const std::vector<DocOrdinal>& members,
                                             int label_terms, const NoveltyOptions& options) {
  if (members.empty()) return absl::InvalidArgumentError("a story needs a member");
  std::vector<NoveltyItem> items;
  // The label sums the rows of the members that cluster as items, as a
  // clustered story's does (MakeStories): a copy following its original
  // among the members is not counted twice.
  std::vector<SparseVectorView> label_rows;
  for (DocOrdinal d : members) {
    std::optional<DocOrdinal> copy_of;
    const DocOrdinal rep = groups.docs[d].representative;
    if (FollowsRepresentative(corpus, groups, d) &&
        std::binary_search(members.begin(), members.end(), rep)) {
      copy_of = rep;
    } else {
      label_rows.push_back(matrix.row(d));
    }
    items.push_back({d, matrix.row(d), corpus.meta[d].published, copy_of});
  }
  SparseVector sum;
  if (label_rows.size() > 1) internal::SumRows(label_rows, &sum);
  std::vector<std::string> label = internal::LabelOfRow(
      label_rows.size() > 1 ? sum.view() : label_rows[0], matrix.vocabulary(), label_terms);
  return RankItems(std::move(items), std::move(label), corpus, matrix, options);
}

}  // namespace storysift
