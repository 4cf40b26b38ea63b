#include "cluster/neighbour_lists.h"

#include <bit>
#include <map>
#include <random>

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

TEST(NeighbourListsTest, MatchesOrderedMapsBitForBit) {
  const uint32_t n = 120;
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> sim(0.01f, 1.0f);
  std::vector<SimilarPair> pairs;
  Model model;
  for (int k = 0; k < 900; ++k) {
    uint32_t a = rng() % n, b = rng() % n;
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    if (model[a].count(b) != 0) continue;  // Pairs come once each, as from FindSimilarPairs.
    const float s = sim(rng);
    pairs.push_back({a, b, s});
    model[a][b] = model[b][a] = s;
  }
  NeighbourLists lists(n, &pairs);
  std::vector<uint32_t> live;
  for (uint32_t c = 0; c < n; ++c) live.push_back(c);
  std::vector<uint32_t> touched, want_touched;
  for (int step = 0; step < 100; ++step) {
    const uint32_t a = live[rng() % live.size()];
    if (model[a].empty()) continue;
    auto nb = model[a].begin();
    std::advance(nb, rng() % model[a].size());
    uint32_t into = a, from = nb->first;
    if (lists.degree(into) < lists.degree(from)) std::swap(into, from);
    touched.clear();
    want_touched.clear();
    lists.Merge(into, from, &touched);
    ModelMerge(model, into, from, &want_touched);
    live.erase(std::find(live.begin(), live.end(), from));
    ASSERT_EQ(touched, want_touched) << "step " << step;
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

}  // namespace
}  // namespace storysift::internal
