// Story clustering: groups articles (copy-group representatives, after
// near-duplicates were collapsed) that report the same event, by TF-IDF
// cosine similarity with a time decay.
//
// Candidates: an inverted index over each item's top-weighted terms yields the
// pairs worth comparing, so the cost is near-linear in the number of items
// rather than quadratic; exact cosines are then computed on full vectors for
// each item's most promising candidates (max_candidates_per_item).
//
// Time: when both items have a date and their gap exceeds window_seconds,
// the similarity is multiplied by exp(-(gap - window) / window). The decay
// is soft so that a long-running story still links through articles a few
// days apart; at gap = window * (1 + ln(1 / threshold)) even identical texts
// fall below the threshold, which is when StoryTracker closes a story.
//
// Batch (StoryClusterer): agglomerative clustering over the candidate graph,
// merging the most similar pair of clusters while its linkage similarity is
// >= threshold. Average linkage treats non-candidate pairs as similarity 0
// (a conservative estimate: candidates cover the similar pairs).
// Streaming (StoryTracker): single-pass first-story detection in the manner
// of Petrovic, Osborne and Lavrenko 2010 ("Streaming first story detection
// with application to Twitter"): each item joins the open story whose
// centroid is most similar if that similarity is >= threshold, else starts
// a new story.
#ifndef STORYSIFT_STORY_CLUSTERER_H_
#define STORYSIFT_STORY_CLUSTERER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "storysift/document.h"
#include "storysift/run_context.h"
#include "storysift/tfidf.h"

namespace storysift {

// One item to cluster. `vector` must be unit-norm (a TfidfMatrix row) and
// must stay alive during the call that receives it.
struct StoryItem {
  DocOrdinal ordinal = 0;
  SparseVectorView vector;
  std::optional<int64_t> published;  // UTC seconds.
};

struct CandidateOptions {
  // Terms per item entering the inverted index (its highest weights).
  int top_terms = 15;
  // Pairs must share at least this many top terms.
  int min_shared_terms = 1;
  // A top term held by more than this fraction of items (and by more than
  // posting_window items) is stop-like and skipped.
  double max_df_fraction = 0.05;
  // In a posting list longer than this, an item pairs only with the next
  // posting_window items (in ordinal order), which bounds the work per term
  // at len * posting_window.
  int posting_window = 256;
  // Of the later items an item meets in its posting windows, only this many
  // get an exact cosine: those with the largest dot product over shared top
  // terms (times time decay; ties by smaller index). That partial dot is a
  // lower bound of the cosine and ranks true neighbours first, so the cost
  // and the pairs kept are linear in the number of items. 0 = no cap.
  int max_candidates_per_item = 32;
  // Candidate pairs whose (decayed) similarity is below this are dropped.
  float min_similarity = 0.05f;
};

// A similar pair of items: indices into the items span, a < b.
struct SimilarPair {
  uint32_t a = 0;
  uint32_t b = 0;
  float similarity = 0;  // Cosine, times the time decay.
};

// Time decay factor for two optional dates (1 when either is missing or the
// gap is within the window). REQUIRES: window_seconds > 0.
double TimeDecay(std::optional<int64_t> a, std::optional<int64_t> b, int64_t window_seconds);

// Finds candidate pairs through the top-term index and returns those with
// similarity >= options.min_similarity, sorted by (a, b). Pass
// window_seconds = 0 for no time decay. Scores candidates on
// context.threads workers; the pairs are the same for any count.
// InvalidArgument on bad options.
absl::StatusOr<std::vector<SimilarPair>> FindSimilarPairs(
    absl::Span<const StoryItem> items, const CandidateOptions& options,
    int64_t window_seconds = 0, const RunContext& context = {});

enum class Linkage {
  kAverage,  // Mean similarity over all cross pairs (non-candidates count 0).
  kSingle,   // Any candidate pair >= threshold links (connected components).
};

// Default of StoryOptions::short_text_terms (story_clusterer.cc).
extern const int kDefaultShortTextTerms;
// Default of StoryOptions::cohesion_split (story_clusterer.cc).
extern const float kDefaultCohesionSplit;
// Default of StoryOptions::stray_join (story_clusterer.cc).
extern const float kDefaultStrayJoin;

struct StoryOptions {
  // Tuned on ECB+ topics 1-25 (see tests/story_clusterer_test.cc).
  float threshold = 0.2f;
  int64_t window_seconds = 3 * 86400;
  Linkage linkage = Linkage::kAverage;
  CandidateOptions candidates;
  int label_terms = 4;  // Terms in a story label.
  // The short-text regime, chosen by length: clusters of documents with at
  // most this many distinct terms on average (tweets, headlines) are merged
  // further while their centroids' cosine is >= threshold, since such texts
  // share too few words for average linkage (see centroid_merge.h). 0 turns
  // it off. Articles are far longer (ECB+ 10th percentile: ~40).
  int short_text_terms = kDefaultShortTextTerms;
  // The cohesion split after clustering (BuildRankedStories; #15): a story
  // of articles whose bisection leaves halves of 3 or more members with a
  // mean cosine between them below this times the mean of their mean
  // cosines within is two events of one kind, and splits (again in each
  // half).
  // In [0, 1); 0 turns it off. Stories of short texts are never split.
  float cohesion_split = kDefaultCohesionSplit;
  // Strays (#15): an article that average linkage left alone joins the
  // story (3 or more articles, among those of its nearest candidates) whose
  // centroid it is most like, when that cosine is >= this and clearly the
  // best (cluster/stray_join.h). A lone article's mean cosine with many
  // varied articles of its event is low; its cosine with their pooled
  // centroid is not. In [0, 1]; 0 turns it off. Average linkage only.
  float stray_join = kDefaultStrayJoin;
};

struct Story {
  std::vector<DocOrdinal> members;  // Ascending.
  // Highest-weighted terms of the centroid (sum of member vectors),
  // ties by term hash; display strings from the vocabulary.
  std::vector<std::string> label;
  std::optional<int64_t> first_published;  // Over dated members.
  std::optional<int64_t> last_published;
};

// Thread safety: Cluster() is const and safe to call concurrently.
class StoryClusterer {
 public:
  // InvalidArgument on a threshold outside (0, 1], window_seconds <= 0,
  // label_terms < 0 or bad candidate options.
  static absl::StatusOr<StoryClusterer> Create(const StoryOptions& options);

  // Returns stories ordered by first member ordinal; every item is in exactly
  // one story. `vocabulary` gives label strings and must hold every term id
  // used by the items. InvalidArgument when an ordinal repeats.
  // Runs on context.threads workers; adds the candidate and merge wall
  // times to context.timings->stories when set.
  absl::StatusOr<std::vector<Story>> Cluster(absl::Span<const StoryItem> items,
                                             const Vocabulary& vocabulary,
                                             const RunContext& context = {}) const;

  const StoryOptions& options() const { return options_; }

 private:
  explicit StoryClusterer(const StoryOptions& options) : options_(options) {}
  StoryOptions options_;
};

// Streaming story tracker. Usage: Create(); Add() items in time order;
// Finish() once. Stories idle longer than the close horizon (see top) close
// and their centroids are freed, so memory follows the open stories.
// Thread safety: not thread-safe.
class StoryTracker {
 public:
  // As StoryClusterer::Create. Linkage is ignored (centroid assignment).
  static absl::StatusOr<StoryTracker> Create(const StoryOptions& options);

  // Assigns one item; returns its story's number (0, 1, ... in creation
  // order). InvalidArgument when the ordinal repeats or a dated item is
  // older than the newest dated item seen; FailedPrecondition after Finish().
  absl::StatusOr<uint32_t> Add(const StoryItem& item);

  size_t num_open_stories() const;

  // Closes all stories and returns them ordered by first member ordinal.
  // FailedPrecondition when called twice.
  absl::StatusOr<std::vector<Story>> Finish(const Vocabulary& vocabulary);

  StoryTracker(StoryTracker&&) noexcept;
  StoryTracker& operator=(StoryTracker&&) noexcept;
  ~StoryTracker();

 private:
  struct State;
  explicit StoryTracker(const StoryOptions& options);
  void Close(uint32_t story);
  void CloseIdle(int64_t now);

  StoryOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace storysift

#endif  // STORYSIFT_STORY_CLUSTERER_H_
