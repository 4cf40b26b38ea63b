#include "cluster/stray_join.h"

#include <algorithm>

#include "cluster/dot_table.h"
#include "cluster/story_internal.h"
#include "pipeline/parallel.h"
#include "storysift/tfidf.h"
#include "vector/row_sum.h"
#include "vector/tfidf_weighting.h"

namespace storysift::internal {
namespace {

// A cluster this large is a story a stray may join. Two articles alike
// enough to pair are an event of their own as often as strays (joining
// pairs too doubled the Reuters joins, most of them by topic only).
constexpr size_t kMinStoryItems = 3;
// A stray about as like two stories as each other belongs to neither
// plainly (Reuters joins 422 -> 343 at this margin, ECB+ unchanged).
constexpr float kClearMargin = 0.05f;

// Inserts `id` (of similarity `sim`) into a best-first list of kPerItem.
void Offer(uint32_t id, float sim, uint32_t* ids, float* sims) {
  int k = BestNeighbours::kPerItem;
  while (k > 0 && (ids[k - 1] == BestNeighbours::kNone || sims[k - 1] < sim ||
                   (sims[k - 1] == sim && ids[k - 1] > id))) {
    --k;
  }
  if (k == BestNeighbours::kPerItem) return;
  for (int j = BestNeighbours::kPerItem - 1; j > k; --j) {
    ids[j] = ids[j - 1];
    sims[j] = sims[j - 1];
  }
  ids[k] = id;
  sims[k] = sim;
}

// The unit centroid (normalised sum) of the items `members`.
SparseVector UnitCentroid(absl::Span<const StoryItem> items,
                          const std::vector<uint32_t>& members) {
  std::vector<SparseVectorView> rows;
  for (uint32_t i : members) rows.push_back(items[i].vector);
  SparseVector sum;
  SumRows(rows, &sum);
  ScaleToUnitNorm(sum.weights.data(), sum.weights.size());
  return sum;
}

// The items alone in their cluster that have a story among their best
// neighbours' clusters, each with those stories' roots (ascending), and all
// such stories (ascending).
struct StrayCandidates {
  std::vector<uint32_t> strays;
  std::vector<std::vector<uint32_t>> candidates;
  std::vector<uint32_t> stories;
};

StrayCandidates FindStrayCandidates(const BestNeighbours& neighbours,
                                    const std::vector<uint32_t>& root) {
  std::vector<uint32_t> size(root.size(), 0);
  for (uint32_t x : root) ++size[x];
  StrayCandidates out;
  for (uint32_t i = 0; i < root.size(); ++i) {
    if (size[root[i]] != 1) continue;
    std::vector<uint32_t> c;
    const uint32_t* nb = &neighbours.ids[size_t{i} * BestNeighbours::kPerItem];
    for (int k = 0; k < BestNeighbours::kPerItem && nb[k] != BestNeighbours::kNone; ++k) {
      if (size[root[nb[k]]] >= kMinStoryItems) c.push_back(root[nb[k]]);
    }
    if (c.empty()) continue;
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    out.stories.insert(out.stories.end(), c.begin(), c.end());
    out.strays.push_back(i);
    out.candidates.push_back(std::move(c));
  }
  std::sort(out.stories.begin(), out.stories.end());
  out.stories.erase(std::unique(out.stories.begin(), out.stories.end()), out.stories.end());
  return out;
}

// The root of the candidate story whose centroid the stray is most like
// (`cosines[k]` is its cosine with candidates[k]'s), when that cosine is >=
// min_cosine and kClearMargin above the runner-up's (or 0); kNone otherwise.
// Ties leave no clear best.
uint32_t ClearlyBestStory(const std::vector<uint32_t>& candidates, const float* cosines,
                          float min_cosine) {
  float best = -1, runner_up = 0;
  uint32_t best_root = BestNeighbours::kNone;
  for (size_t k = 0; k < candidates.size(); ++k) {
    const float cos = cosines[k];
    if (cos > best) {
      runner_up = std::max(runner_up, best);
      best = cos;
      best_root = candidates[k];
    } else {
      runner_up = std::max(runner_up, cos);
    }
  }
  return best >= min_cosine && best - runner_up >= kClearMargin ? best_root
                                                                 : BestNeighbours::kNone;
}

// cosines[offset[s] + k]: stray s's cosine with the centroid of its k-th
// candidate story. Story by story: each centroid is made and loaded into the
// thread's DotTable once and its strays' rows stream through it, so a pair
// costs the stray's terms, not the centroid's (a merge of the two rows read
// the whole centroid for every stray, and centroids grow with the stories).
// The table's dot is Dot() bit for bit (dot_table.h).
std::vector<float> StrayCosines(absl::Span<const StoryItem> items, const StrayCandidates& c,
                                const std::vector<std::vector<uint32_t>>& members,
                                const std::vector<size_t>& offset, int threads) {
  // For each candidate story, the (stray, slot) pairs that ask for it.
  std::vector<std::vector<std::pair<uint32_t, size_t>>> askers(c.stories.size());
  for (size_t s = 0; s < c.strays.size(); ++s) {
    for (size_t k = 0; k < c.candidates[s].size(); ++k) {
      const size_t story =
          std::lower_bound(c.stories.begin(), c.stories.end(), c.candidates[s][k]) -
          c.stories.begin();
      askers[story].emplace_back(c.strays[s], offset[s] + k);
    }
  }
  const size_t id_bound = ItemIdBound(items);
  std::vector<float> cosines(offset.back(), 0.0f);
  ParallelFor(c.stories.size(), threads, [&](size_t k) {
    const SparseVector centroid = UnitCentroid(items, members[k]);
    DotTable& table = ThreadDotTable(id_bound);
    table.Load(centroid.view());
    for (const auto& [stray, slot] : askers[k]) cosines[slot] = table.Dot(items[stray].vector);
  });
  return cosines;
}

}  // namespace

BestNeighbours FindBestNeighbours(uint32_t num_items, absl::Span<const SimilarPair> pairs,
                                  int threads) {
  constexpr int kPer = BestNeighbours::kPerItem;
  BestNeighbours out;
  out.ids.assign(size_t{num_items} * kPer, BestNeighbours::kNone);
  std::vector<float> sims(out.ids.size(), 0.0f);
  // One range of items per thread: the offers (the cost) split, the pairs
  // are read once per thread (a sequential scan).
  const size_t parts = static_cast<size_t>(std::max(1, threads));
  const uint32_t per_part = static_cast<uint32_t>((num_items + parts - 1) / parts);
  ParallelFor(parts, threads, [&](size_t part) {
    const uint32_t lo = static_cast<uint32_t>(part * per_part);
    const uint32_t hi = static_cast<uint32_t>(std::min<size_t>(num_items, lo + size_t{per_part}));
    for (const SimilarPair& p : pairs) {
      if (p.a >= lo && p.a < hi) {
        const size_t a = size_t{p.a} * kPer;
        Offer(p.b, p.similarity, &out.ids[a], &sims[a]);
      }
      if (p.b >= lo && p.b < hi) {
        const size_t b = size_t{p.b} * kPer;
        Offer(p.a, p.similarity, &out.ids[b], &sims[b]);
      }
    }
  });
  return out;
}

void JoinStrays(absl::Span<const StoryItem> items, const BestNeighbours& neighbours,
                float min_cosine, int threads, std::vector<uint32_t>* root) {
  std::vector<uint32_t>& r = *root;
  const StrayCandidates c = FindStrayCandidates(neighbours, r);
  if (c.strays.empty()) return;
  // Members of the candidate stories, in item order; each root's story
  // looked up in an array by root (a binary search per item was a serial
  // n log(stories)).
  std::vector<uint32_t> story_of_root(items.size(), BestNeighbours::kNone);
  for (uint32_t k = 0; k < c.stories.size(); ++k) story_of_root[c.stories[k]] = k;
  std::vector<std::vector<uint32_t>> members(c.stories.size());
  for (uint32_t i = 0; i < items.size(); ++i) {
    if (const uint32_t k = story_of_root[r[i]]; k != BestNeighbours::kNone) {
      members[k].push_back(i);
    }
  }
  std::vector<size_t> offset(c.strays.size() + 1, 0);
  for (size_t s = 0; s < c.strays.size(); ++s) offset[s + 1] = offset[s] + c.candidates[s].size();
  const std::vector<float> cosines = StrayCosines(items, c, members, offset, threads);
  // Decided against the clusters as they were: no join sees another.
  std::vector<uint32_t> join(c.strays.size(), BestNeighbours::kNone);
  for (size_t s = 0; s < c.strays.size(); ++s) {
    join[s] = ClearlyBestStory(c.candidates[s], &cosines[offset[s]], min_cosine);
  }
  for (size_t s = 0; s < c.strays.size(); ++s) {
    if (join[s] != BestNeighbours::kNone) r[c.strays[s]] = join[s];
  }
}

}  // namespace storysift::internal
