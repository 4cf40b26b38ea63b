// Batch story clustering: agglomerative clustering over the sparse graph of
// candidate pairs; the average-linkage merge loop is in average_linkage.cc,
// single linkage is connected components here.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "absl/strings/str_format.h"
#include "cluster/average_linkage.h"
#include "cluster/centroid_merge.h"
#include "cluster/disjoint_sets.h"
#include "cluster/stage_clock.h"
#include "cluster/stray_join.h"
#include "cluster/story_internal.h"
#include "pipeline/parallel.h"
#include "storysift/story_clusterer.h"
#include "vector/row_sum.h"

namespace storysift {

const int kDefaultShortTextTerms = 16;
// ECB+ topics 1-25: two joined pairs of events split, and no pure event,
// from 0.54 to 0.56 (B-cubed F1 0.891 -> 0.914); one joined pair from 0.57
// to 0.61 with a pure event or two (0.907); nothing at 0.52; the tweets,
// the Reuters earnings and the seeds unchanged (docs/quality.md).
const float kDefaultCohesionSplit = 0.55f;
// ECB+ B-cubed F1 0.914 -> 0.929 from 0.2 to 0.25 (0.917 at 0.3); on
// Reuters the joins from 0.2 to 0.25 were mostly by topic only, those above
// mostly one event or thread (docs/quality.md).
const float kDefaultStrayJoin = 0.25f;

namespace internal {

absl::Status ValidateStoryOptions(const StoryOptions& o) {
  if (!(o.threshold > 0 && o.threshold <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("threshold must be in (0, 1], got %g", o.threshold));
  }
  if (o.window_seconds <= 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("window_seconds must be > 0, got %d", o.window_seconds));
  }
  if (o.short_text_terms < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("short_text_terms must be >= 0, got %d", o.short_text_terms));
  }
  if (!(o.cohesion_split >= 0 && o.cohesion_split < 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("cohesion_split must be in [0, 1), got %g", o.cohesion_split));
  }
  if (!(o.stray_join >= 0 && o.stray_join <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("stray_join must be in [0, 1], got %g", o.stray_join));
  }
  if (o.label_terms < 0) {
    return absl::InvalidArgumentError(
        absl::StrFormat("label_terms must be >= 0, got %d", o.label_terms));
  }
  return ValidateCandidateOptions(o.candidates);
}

double CloseHorizonSeconds(const StoryOptions& o) {
  return static_cast<double>(o.window_seconds) * (1.0 + std::log(1.0 / o.threshold));
}

namespace {

// LabelOf over n terms, term t = (id_at(t), weight_at(t)). The heaviest
// words and the heaviest digit words are each kept in one pass: past the
// first k, a term lighter than the k-th costs one comparison (partitioning
// and partial-sorting every term cost more than the story's other work). The
// order is total (term hashes are distinct), so the kept terms are the ones a
// full sort would put first.
template <typename IdAt, typename WeightAt, typename TermHash, typename Kind, typename Display>
std::vector<std::string> LabelOfTerms(size_t n, IdAt id_at, WeightAt weight_at,
                                      TermHash term_hash, Kind kind, Display display, int k) {
  struct Term {
    float weight;
    uint32_t id;
    LabelTermKind kind;
  };
  const size_t keep = k > 0 ? static_cast<size_t>(k) : 0;
  thread_local std::vector<Term> words, late;
  words.clear();
  late.clear();
  if (keep == 0) return {};
  const auto heavier = [&](const Term& a, const Term& b) {
    if (a.weight != b.weight) return a.weight > b.weight;
    return term_hash(a.id) < term_hash(b.id);
  };
  const auto offer = [&](std::vector<Term>& best, const Term& t) {
    if (best.size() == keep && !heavier(t, best.back())) return;
    if (best.size() == keep) best.pop_back();
    best.push_back(t);
    for (size_t j = best.size() - 1; j > 0 && heavier(best[j], best[j - 1]); --j) {
      std::swap(best[j], best[j - 1]);
    }
  };
  // The lightest kept word's weight once `keep` are kept, else -inf, in a
  // local: through the thread_local vector, every term's test reloaded its
  // size and last element.
  constexpr float kNoBar = -std::numeric_limits<float>::infinity();
  float lightest = kNoBar;
  for (size_t t = 0; t < n; ++t) {
    // Once `keep` words are kept, no digit word is shown, and a term lighter
    // than the lightest kept word enters nowhere: passed over before its
    // kind (a cache miss) is read.
    const float weight = weight_at(t);
    if (weight < lightest) continue;
    // Numbers, wire abbreviations and template words name no story to a
    // reader: never shown. Words holding a digit ("g7") go last, kept only
    // when the story has too few other terms.
    const Term term{weight, id_at(t), kind(id_at(t))};
    if (term.kind == LabelTermKind::kExcluded) continue;
    if (term.kind != LabelTermKind::kLate) {
      offer(words, term);
      if (words.size() == keep) lightest = words.back().weight;
    } else if (words.size() < keep) {
      offer(late, term);
    }
  }
  for (size_t i = 0; words.size() < keep && i < late.size(); ++i) words.push_back(late[i]);
  // Names first, each group still heaviest first.
  std::stable_partition(words.begin(), words.end(),
                        [](const Term& t) { return t.kind == LabelTermKind::kName; });
  std::vector<std::string> label;
  for (const Term& t : words) label.emplace_back(display(t.id));
  return label;
}

}  // namespace

std::vector<std::string> LabelOf(std::vector<std::pair<uint32_t, float>> centroid,
                                 absl::FunctionRef<uint64_t(uint32_t)> term_hash,
                                 absl::FunctionRef<LabelTermKind(uint32_t)> kind,
                                 absl::FunctionRef<std::string_view(uint32_t)> display, int k) {
  return LabelOfTerms(
      centroid.size(), [&](size_t t) { return centroid[t].first; },
      [&](size_t t) { return centroid[t].second; }, term_hash, kind, display, k);
}

std::vector<std::string> LabelOf(std::vector<std::pair<uint32_t, float>> centroid,
                                 const Vocabulary& vocabulary, int k) {
  return LabelOf(
      std::move(centroid), [&](uint32_t id) { return vocabulary.term_hash(id); },
      [&](uint32_t id) { return vocabulary.label_kind(id); },
      [&](uint32_t id) { return vocabulary.label_display(id); }, k);
}

std::vector<std::string> LabelOfRow(SparseVectorView centroid, const Vocabulary& vocabulary,
                                    int k) {
  return LabelOfTerms(
      centroid.size(), [&](size_t t) { return centroid.ids[t]; },
      [&](size_t t) { return centroid.weights[t]; },
      [&](uint32_t id) { return vocabulary.term_hash(id); },
      [&](uint32_t id) { return vocabulary.label_kind(id); },
      [&](uint32_t id) { return vocabulary.label_display(id); }, k);
}

}  // namespace internal

namespace {

// Groups item indices by cluster root, builds Story objects, orders them by
// first member ordinal.
std::vector<Story> MakeStories(absl::Span<const StoryItem> items,
                               const std::vector<uint32_t>& root, const Vocabulary& vocabulary,
                               int label_terms, int threads) {
  // Sort by (root, ordinal) so each story's members are contiguous. The
  // keys are packed first: a comparator reading root[] and items[] missed
  // the cache twice per comparison at 1M items. Ordinals are distinct, so
  // the order is total and equals the old comparator's.
  std::vector<std::pair<uint64_t, uint32_t>> keyed(items.size());
  for (uint32_t i = 0; i < items.size(); ++i) {
    keyed[i] = {(uint64_t{root[i]} << 32) | items[i].ordinal, i};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<uint32_t> order(items.size());
  for (size_t k = 0; k < keyed.size(); ++k) order[k] = keyed[k].second;
  std::vector<std::pair<uint64_t, uint32_t>>().swap(keyed);
  // Members are contiguous in `order`; each story (its label sorts and
  // partitions all its terms) is then built on the threads.
  std::vector<size_t> first;  // Story s is order[first[s], first[s + 1]).
  for (size_t i = 0; i < order.size(); ++i) {
    if (i == 0 || root[order[i]] != root[order[i - 1]]) first.push_back(i);
  }
  first.push_back(order.size());
  // Stories go out by first member ordinal (each group's first in `order`,
  // distinct): each is built straight into its place, as sorting the built
  // stories (moving their vectors) was ~1 ms on one core at 20k.
  std::vector<std::pair<DocOrdinal, uint32_t>> by_first(first.size() - 1);
  for (uint32_t s = 0; s < by_first.size(); ++s) {
    by_first[s] = {items[order[first[s]]].ordinal, s};
  }
  std::sort(by_first.begin(), by_first.end());
  std::vector<uint32_t> place(by_first.size());
  for (uint32_t k = 0; k < by_first.size(); ++k) place[by_first[k].second] = k;
  std::vector<Story> stories(first.size() - 1);
  ParallelFor(stories.size(), threads, [&](size_t s) {
    thread_local std::vector<SparseVectorView> rows;
    thread_local SparseVector sum;
    const size_t i = first[s], j = first[s + 1];
    Story& story = stories[place[s]];
    rows.clear();
    for (size_t m = i; m < j; ++m) {
      const StoryItem& it = items[order[m]];
      story.members.push_back(it.ordinal);
      if (it.published.has_value()) {
        story.first_published = std::min(story.first_published.value_or(*it.published),
                                         *it.published);
        story.last_published = std::max(story.last_published.value_or(*it.published),
                                        *it.published);
      }
      rows.push_back(it.vector);
    }
    // A singleton's sum is its row (SumRows would copy it).
    if (rows.size() > 1) internal::SumRows(rows, &sum);
    story.label =
        internal::LabelOfRow(rows.size() > 1 ? sum.view() : rows[0], vocabulary, label_terms);
  });
  return stories;
}

}  // namespace

absl::StatusOr<StoryClusterer> StoryClusterer::Create(const StoryOptions& options) {
  if (absl::Status s = internal::ValidateStoryOptions(options); !s.ok()) return s;
  return StoryClusterer(options);
}

absl::StatusOr<std::vector<Story>> StoryClusterer::Cluster(absl::Span<const StoryItem> items,
                                                           const Vocabulary& vocabulary,
                                                           const RunContext& context) const {
  {
    std::vector<DocOrdinal> ords;
    ords.reserve(items.size());
    for (const StoryItem& it : items) ords.push_back(it.ordinal);
    std::sort(ords.begin(), ords.end());
    auto dup = std::adjacent_find(ords.begin(), ords.end());
    if (dup != ords.end()) {
      return absl::InvalidArgumentError(absl::StrFormat("ordinal %u appears twice", *dup));
    }
  }
  CandidateOptions cand = options_.candidates;
  if (options_.linkage == Linkage::kSingle) {
    cand.min_similarity = std::max(cand.min_similarity, options_.threshold);
  }
  StoryPipelineTimings unused;
  StoryPipelineTimings& timings = context.timings != nullptr ? context.timings->stories : unused;
  internal::StageClock clock(context.timings != nullptr);
  absl::StatusOr<std::vector<SimilarPair>> pairs =
      FindSimilarPairs(items, cand, options_.window_seconds, context);
  if (!pairs.ok()) return pairs.status();
  clock.Lap(&timings.candidates_wall, &timings.candidates_cpu);

  const uint32_t n = items.size();
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  internal::BestNeighbours neighbours;  // Kept before average linkage consumes the pairs.
  if (options_.linkage == Linkage::kSingle) {
    for (const SimilarPair& p : *pairs) {
      parent[internal::FindRoot(parent, p.a)] = internal::FindRoot(parent, p.b);
    }
  } else {
    std::vector<DocOrdinal> ordinals(n);
    for (uint32_t i = 0; i < n; ++i) ordinals[i] = items[i].ordinal;
    const std::vector<SimilarPair> short_pairs =
        internal::ShortItemPairs(items, *pairs, options_.short_text_terms);
    if (options_.stray_join > 0) {
      neighbours =
          internal::FindBestNeighbours(n, *pairs, ResolveThreadCount(context.threads));
    }
    parent = internal::AverageLinkageRoots(n, &*pairs, ordinals, options_.threshold,
                                           ResolveThreadCount(context.threads));
    for (uint32_t i = 0; i < n; ++i) parent[i] = internal::FindRoot(parent, i);
    internal::MergeShortClusters(items, short_pairs, options_.short_text_terms,
                                 options_.threshold, &parent);
  }
  std::vector<uint32_t> root(n);
  for (uint32_t i = 0; i < n; ++i) root[i] = internal::FindRoot(parent, i);
  if (options_.linkage == Linkage::kAverage && options_.stray_join > 0) {
    internal::JoinStrays(items, neighbours, options_.stray_join,
                         ResolveThreadCount(context.threads), &root);
  }
  clock.Lap(&timings.merge_wall, &timings.merge_cpu);
  std::vector<Story> stories = MakeStories(items, root, vocabulary, options_.label_terms,
                                             ResolveThreadCount(context.threads));
  clock.Lap(&timings.make_wall, &timings.make_cpu);
  return stories;
}

}  // namespace storysift
