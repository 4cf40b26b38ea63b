#include "cluster/stray_join.h"

#include <algorithm>
#include <cmath>

#include "pipeline/parallel.h"
#include "storysift/tfidf.h"
#include "vector/row_sum.h"

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
  double norm = 0;
  for (float w : sum.weights) norm += double{w} * w;
  if (norm > 0) {
    const float inv = static_cast<float>(1 / std::sqrt(norm));
    for (float& w : sum.weights) w *= inv;
  }
  return sum;
}

}  // namespace

BestNeighbours FindBestNeighbours(uint32_t num_items, absl::Span<const SimilarPair> pairs) {
  constexpr int kPer = BestNeighbours::kPerItem;
  BestNeighbours out;
  out.ids.assign(size_t{num_items} * kPer, BestNeighbours::kNone);
  std::vector<float> sims(out.ids.size(), 0.0f);
  for (const SimilarPair& p : pairs) {
    const size_t a = size_t{p.a} * kPer, b = size_t{p.b} * kPer;
    Offer(p.b, p.similarity, &out.ids[a], &sims[a]);
    Offer(p.a, p.similarity, &out.ids[b], &sims[b]);
  }
  return out;
}

void JoinStrays(absl::Span<const StoryItem> items, const BestNeighbours& neighbours,
                float min_cosine, int threads, std::vector<uint32_t>* root) {
  std::vector<uint32_t>& r = *root;
  std::vector<uint32_t> size(items.size(), 0);
  for (uint32_t i = 0; i < items.size(); ++i) ++size[r[i]];
  // Each stray's candidate stories (ascending roots): its neighbours' clusters.
  std::vector<uint32_t> strays;
  std::vector<std::vector<uint32_t>> candidates;
  std::vector<uint32_t> stories;
  for (uint32_t i = 0; i < items.size(); ++i) {
    if (size[r[i]] != 1) continue;
    std::vector<uint32_t> c;
    const uint32_t* nb = &neighbours.ids[size_t{i} * BestNeighbours::kPerItem];
    for (int k = 0; k < BestNeighbours::kPerItem && nb[k] != BestNeighbours::kNone; ++k) {
      if (size[r[nb[k]]] >= kMinStoryItems) c.push_back(r[nb[k]]);
    }
    if (c.empty()) continue;
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    stories.insert(stories.end(), c.begin(), c.end());
    strays.push_back(i);
    candidates.push_back(std::move(c));
  }
  if (strays.empty()) return;
  std::sort(stories.begin(), stories.end());
  stories.erase(std::unique(stories.begin(), stories.end()), stories.end());
  // Members of the candidate stories, in item order, and their centroids.
  std::vector<std::vector<uint32_t>> members(stories.size());
  for (uint32_t i = 0; i < items.size(); ++i) {
    const auto it = std::lower_bound(stories.begin(), stories.end(), r[i]);
    if (it != stories.end() && *it == r[i]) members[it - stories.begin()].push_back(i);
  }
  std::vector<SparseVector> centroid(stories.size());
  ParallelFor(stories.size(), threads,
              [&](size_t k) { centroid[k] = UnitCentroid(items, members[k]); });
  // Decided against the clusters as they were: no join sees another.
  std::vector<uint32_t> join(strays.size(), BestNeighbours::kNone);
  ParallelFor(strays.size(), threads, [&](size_t s) {
    float best = -1, runner_up = 0;
    uint32_t best_root = BestNeighbours::kNone;
    for (uint32_t c : candidates[s]) {  // Ascending: ties keep the smaller root.
      const size_t k = std::lower_bound(stories.begin(), stories.end(), c) - stories.begin();
      const float cos = Dot(items[strays[s]].vector, centroid[k].view());
      if (cos > best) {
        runner_up = std::max(runner_up, best);
        best = cos;
        best_root = c;
      } else {
        runner_up = std::max(runner_up, cos);
      }
    }
    if (best >= min_cosine && best - runner_up >= kClearMargin) join[s] = best_root;
  });
  for (size_t s = 0; s < strays.size(); ++s) {
    if (join[s] != BestNeighbours::kNone) r[strays[s]] = join[s];
  }
}

}  // namespace storysift::internal
