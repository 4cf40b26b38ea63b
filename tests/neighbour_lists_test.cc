#include "cluster/neighbour_lists.h"

#include <bit>
#include <map>
#include <random>
#include <tuple>

#include "gtest/gtest.h"

namespace storysift::internal {
namespace {

// The model: ordered maps, merged with the same float operations.
using Model = std::map<uint32_t, std::map<uint32_t, float>>;

void ModelMerge(Model& m, uint32_t into, uint32_t from, std::vector<uint32_t>* touched) {
  std::map<uint32_t, float> merged = m[into];
  merged.erase(from);
  for (const auto& [c, s] : m[from]) {
    if (c == into) continue;
    touched->push_back(c);
    auto [it, inserted] = merged.try_emplace(c, s);
    if (!inserted) it->second = it->second + s;
    std::map<uint32_t, float>& list = m[c];
    const float moved = list.at(from);
    list.erase(from);
    auto [t, fresh] = list.try_emplace(into, moved);
    if (!fresh) t->second += moved;
  }
  m[into] = std::move(merged);
  m.erase(from);
}

// Runs `steps` random merges on the graph of `pairs` against the model,
// checking every live list, the touched neighbours and their sums bit for
// bit. `hub`: when < n, each merge folds a random neighbour into it (a story
// growing one article at a time: MergeInPlace's case).
void CheckAgainstModel(uint32_t n, std::vector<SimilarPair> pairs, int steps, uint32_t hub,
                       std::mt19937& rng, int threads = 1) {
  Model model;
  for (const SimilarPair& p : pairs) model[p.a][p.b] = model[p.b][p.a] = p.similarity;
  NeighbourLists lists(n, &pairs, threads);
  std::vector<uint32_t> live;
  for (uint32_t c = 0; c < n; ++c) live.push_back(c);
  std::vector<NeighbourLists::Edge> touched;
  std::vector<uint32_t> want_touched;
  for (int step = 0; step < steps; ++step) {
    const uint32_t a = hub < n ? hub : live[rng() % live.size()];
    if (model[a].empty()) continue;
    auto nb = model[a].begin();
    std::advance(nb, rng() % model[a].size());
    uint32_t into = a, from = nb->first;
    if (lists.degree(into) < lists.degree(from)) std::swap(into, from);
    touched.clear();
    want_touched.clear();
    lists.Merge(into, from, &touched);
    ModelMerge(model, into, from, &want_touched);
    if (from == hub) hub = into;
    live.erase(std::find(live.begin(), live.end(), from));
    ASSERT_EQ(touched.size(), want_touched.size()) << "step " << step;
    for (size_t k = 0; k < touched.size(); ++k) {
      ASSERT_EQ(touched[k].cluster, want_touched[k]) << "step " << step;
      ASSERT_EQ(std::bit_cast<uint32_t>(touched[k].sum),
                std::bit_cast<uint32_t>(model[into].at(want_touched[k])));
    }
    for (uint32_t c : live) {
      ASSERT_EQ(lists.degree(c), model[c].size()) << "step " << step << " cluster " << c;
      auto it = model[c].begin();
      for (const NeighbourLists::Edge& e :
           std::vector<NeighbourLists::Edge>(lists.begin(c), lists.end(c))) {
        ASSERT_EQ(e.cluster, it->first);
        ASSERT_EQ(std::bit_cast<uint32_t>(e.sum), std::bit_cast<uint32_t>(it->second));
        ASSERT_EQ(std::bit_cast<uint32_t>(lists.Sum(c, e.cluster)),
                  std::bit_cast<uint32_t>(it->second));
        ++it;
      }
    }
  }
}

// Pairs a < b, each once (as from FindSimilarPairs), drawn at random.
std::vector<SimilarPair> RandomPairs(uint32_t n, int draws, std::mt19937& rng) {
  std::uniform_real_distribution<float> sim(0.01f, 1.0f);
  std::vector<SimilarPair> pairs;
  std::map<std::pair<uint32_t, uint32_t>, bool> seen;
  for (int k = 0; k < draws; ++k) {
    uint32_t a = rng() % n, b = rng() % n;
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    if (!seen.try_emplace({a, b}, true).second) continue;
    pairs.push_back({a, b, sim(rng)});
  }
  return pairs;
}

// In (a, b) order, each pair once (one of its repeats kept), as
// FindSimilarPairs gives them.
void SortAndDropRepeats(std::vector<SimilarPair>* pairs) {
  std::sort(pairs->begin(), pairs->end(), [](const SimilarPair& x, const SimilarPair& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  pairs->erase(std::unique(pairs->begin(), pairs->end(),
                           [](const SimilarPair& x, const SimilarPair& y) {
                             return x.a == y.a && x.b == y.b;
                           }),
               pairs->end());
}

TEST(NeighbourListsTest, MatchesOrderedMapsBitForBit) {
  std::mt19937 rng(11);
  const uint32_t n = 120;
  CheckAgainstModel(n, RandomPairs(n, 900, rng), 100, n, rng);
}

// The lists are filled on the threads, items split into ranges by edge
// count (a hub's long list puts a range edge next to it): the same lists
// as the model's at any thread count, before and through merges.
TEST(NeighbourListsTest, FilledOnThreadsMatchesModel) {
  for (int threads : {2, 3, 5}) {
    SCOPED_TRACE(threads);
    std::mt19937 rng(20 + threads);
    const uint32_t n = 300;
    std::vector<SimilarPair> pairs = RandomPairs(n, 1500, rng);
    const uint32_t hub = 37;
    for (uint32_t c = hub + 1; c < n; c += 2) pairs.push_back({hub, c, 0.25f + 0.001f * c});
    SortAndDropRepeats(&pairs);
    CheckAgainstModel(n, std::move(pairs), 120, n, rng, threads);
  }
}

// A hub that absorbs its neighbours one by one: its list soon owns a vector
// many times longer than the list folded in, which is summed in place (new
// neighbours inserted below, among and above its entries; the entry for the
// folded cluster dropped), and the result is still the model's.
TEST(NeighbourListsTest, HubAbsorbingSmallClustersMatchesModel) {
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    std::mt19937 rng(seed);
    const uint32_t n = 400;
    std::vector<SimilarPair> pairs = RandomPairs(n, 2400, rng);
    const uint32_t hub = 150 + seed;  // Numbers on both sides of the hub's.
    for (uint32_t c = 0; c < n; c += 3) {
      if (c != hub) pairs.push_back({std::min(c, hub), std::max(c, hub), 0.5f + 0.001f * c});
    }
    SortAndDropRepeats(&pairs);
    CheckAgainstModel(n, std::move(pairs), 150, hub, rng);
  }
}

// Redirect's four cases, each met once: the folded cluster's neighbour lists
// `into` below or above `from`, and already has it (the sums add) or not
// (the entry moves, past the entries between the two numbers).
TEST(NeighbourListsTest, RedirectsOnBothSidesWithAndWithoutInto) {
  // 6 neighbours 1 and 2 (into 1 below from 2, present); 0 neighbours 2
  // only (into below, absent); 9 neighbours 3 and 7 (into 7 above from 3,
  // present); 8 neighbours 3 and 5, not 7 (into above, absent, moving past 5).
  std::vector<SimilarPair> pairs = {{1, 2, 0.5f},   {0, 2, 0.25f},  {1, 6, 0.125f},
                                    {2, 6, 0.375f}, {3, 7, 0.75f},  {3, 9, 0.625f},
                                    {7, 9, 0.0625f}, {3, 8, 0.875f}, {5, 8, 0.3125f}};
  Model model;
  for (const SimilarPair& p : pairs) model[p.a][p.b] = model[p.b][p.a] = p.similarity;
  NeighbourLists lists(10, &pairs);
  std::vector<NeighbourLists::Edge> touched;
  std::vector<uint32_t> want_touched;
  for (auto [into, from] : {std::pair<uint32_t, uint32_t>{1, 2}, {7, 3}}) {
    lists.Merge(into, from, &touched);
    ModelMerge(model, into, from, &want_touched);
  }
  ASSERT_EQ(touched.size(), want_touched.size());
  for (uint32_t c : {0u, 1u, 5u, 6u, 7u, 8u, 9u}) {
    ASSERT_EQ(lists.degree(c), model[c].size()) << c;
    auto it = model[c].begin();
    for (const NeighbourLists::Edge* e = lists.begin(c); e != lists.end(c); ++e, ++it) {
      EXPECT_EQ(e->cluster, it->first) << c;
      EXPECT_EQ(e->sum, it->second) << c;
    }
  }
  // The four cases' results, written out.
  EXPECT_EQ(lists.Sum(6, 1), 0.125f + 0.375f);
  EXPECT_EQ(lists.Sum(0, 1), 0.25f);
  EXPECT_EQ(lists.Sum(9, 7), 0.625f + 0.0625f);
  ASSERT_EQ(lists.degree(8), 2u);
  EXPECT_EQ(lists.begin(8)[0].cluster, 5u);
  EXPECT_EQ(lists.begin(8)[1].cluster, 7u);
  EXPECT_EQ(lists.begin(8)[1].sum, 0.875f);
}

// The lists are sorted on the threads in blocks of items: the same lists,
// sums bit for bit, at 1 and 3 threads (items over several blocks, pairs
// listed twice so that the sums add).
TEST(NeighbourListsTest, SameListsForAnyThreadCount) {
  std::mt19937 rng(3);
  const uint32_t n = 30000;
  std::vector<SimilarPair> pairs = RandomPairs(n, 200000, rng);
  const size_t once = pairs.size();
  for (size_t k = 0; k < once; k += 7) pairs.push_back(pairs[k]);
  std::vector<SimilarPair> copy = pairs;
  NeighbourLists one(n, &pairs, 1), three(n, &copy, 3);
  for (uint32_t c = 0; c < n; ++c) {
    ASSERT_EQ(one.degree(c), three.degree(c)) << c;
    for (uint32_t k = 0; k < one.degree(c); ++k) {
      ASSERT_EQ(one.begin(c)[k].cluster, three.begin(c)[k].cluster);
      ASSERT_EQ(std::bit_cast<uint32_t>(one.begin(c)[k].sum),
                std::bit_cast<uint32_t>(three.begin(c)[k].sum));
    }
  }
}

}  // namespace
}  // namespace storysift::internal
