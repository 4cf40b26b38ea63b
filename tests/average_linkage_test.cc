#include "cluster/average_linkage.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "gtest/gtest.h"

namespace storysift::internal {
namespace {

// A random graph: `per_item` draws of an edge from each item to a random
// other, plus `hubs` items with n / 10 draws each, so merged clusters reach
// the degrees where redirects are shared. Each pair is kept once (a < b), as
// AverageLinkageRoots requires. Weights are multiples of 1/64, so every sum
// of a few hundred of them is exact in float and no merge order can change
// one.
std::vector<SimilarPair> RandomGraph(uint32_t n, int per_item, int hubs, std::mt19937& rng) {
  std::uniform_int_distribution<uint32_t> item(0, n - 1);
  std::uniform_int_distribution<int> sixty_fourths(4, 63);
  std::vector<SimilarPair> pairs;
  std::set<std::pair<uint32_t, uint32_t>> seen;
  auto add = [&](uint32_t a, uint32_t b) {
    if (a == b || !seen.insert(std::minmax(a, b)).second) return;
    pairs.push_back({std::min(a, b), std::max(a, b), sixty_fourths(rng) / 64.0f});
  };
  for (uint32_t a = 0; a < n; ++a) {
    for (int k = 0; k < per_item; ++k) add(a, item(rng));
  }
  for (int h = 0; h < hubs; ++h) {
    const uint32_t hub = item(rng);
    for (uint32_t k = 0; k < n / 10; ++k) add(hub, item(rng));
  }
  return pairs;
}

std::vector<DocOrdinal> ShuffledKeys(uint32_t n, std::mt19937& rng) {
  std::vector<DocOrdinal> keys(n);
  for (uint32_t i = 0; i < n; ++i) keys[i] = i;
  std::shuffle(keys.begin(), keys.end(), rng);
  return keys;
}

// The definition, by brute force: sets of items, the linkage of two clusters
// recomputed from the item pairs each time, the highest merged first (ties
// to the smaller (min key, max key) of their smallest members' keys).
std::vector<uint32_t> ModelClusters(uint32_t n, const std::vector<SimilarPair>& pairs,
                                    const std::vector<DocOrdinal>& keys, float threshold) {
  std::map<std::pair<uint32_t, uint32_t>, double> sim;
  for (const SimilarPair& p : pairs) sim[{p.a, p.b}] = p.similarity;
  std::vector<std::vector<uint32_t>> clusters(n);
  for (uint32_t i = 0; i < n; ++i) clusters[i] = {i};
  auto key = [&](const std::vector<uint32_t>& c) {
    DocOrdinal k = keys[c[0]];
    for (uint32_t i : c) k = std::min(k, keys[i]);
    return k;
  };
  for (;;) {
    double best = -1;
    std::pair<DocOrdinal, DocOrdinal> best_keys;
    size_t best_x = 0, best_y = 0;
    for (size_t x = 0; x < clusters.size(); ++x) {
      for (size_t y = x + 1; y < clusters.size(); ++y) {
        double sum = 0;
        for (uint32_t a : clusters[x]) {
          for (uint32_t b : clusters[y]) {
            auto it = sim.find({std::min(a, b), std::max(a, b)});
            if (it != sim.end()) sum += it->second;
          }
        }
        const double linkage = sum / (double(clusters[x].size()) * clusters[y].size());
        if (linkage < threshold) continue;
        const std::pair<DocOrdinal, DocOrdinal> k = std::minmax(key(clusters[x]), key(clusters[y]));
        if (linkage > best || (linkage == best && k < best_keys)) {
          best = linkage, best_keys = k, best_x = x, best_y = y;
        }
      }
    }
    if (best < 0) break;
    clusters[best_x].insert(clusters[best_x].end(), clusters[best_y].begin(),
                            clusters[best_y].end());
    clusters.erase(clusters.begin() + best_y);
  }
  std::vector<uint32_t> cluster_of(n);
  for (size_t c = 0; c < clusters.size(); ++c) {
    for (uint32_t i : clusters[c]) cluster_of[i] = static_cast<uint32_t>(c);
  }
  return cluster_of;
}

// Whether two labelings put the same items together.
bool SamePartition(const std::vector<uint32_t>& x, const std::vector<uint32_t>& y) {
  if (x.size() != y.size()) return false;
  std::map<uint32_t, uint32_t> x_to_y, y_to_x;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x_to_y.try_emplace(x[i], y[i]).first->second != y[i]) return false;
    if (y_to_x.try_emplace(y[i], x[i]).first->second != x[i]) return false;
  }
  return true;
}

size_t Clusters(const std::vector<uint32_t>& roots) {
  return std::set<uint32_t>(roots.begin(), roots.end()).size();
}

TEST(AverageLinkageTest, MatchesTheDefinitionSerialAndWithSharedRedirects) {
  std::mt19937 rng(7);
  for (int round = 0; round < 6; ++round) {
    // Degrees near 20: many merges fold 16 neighbours or more, which the
    // helper shares.
    const uint32_t n = 50 + round * 6;
    const std::vector<SimilarPair> pairs = RandomGraph(n, 10, 1, rng);
    const std::vector<DocOrdinal> keys = ShuffledKeys(n, rng);
    const float threshold = 0.3f;
    const std::vector<uint32_t> want = ModelClusters(n, pairs, keys, threshold);
    ASSERT_GT(Clusters(want), 1u);
    ASSERT_LT(Clusters(want), n) << "no merge: the test would not test";
    std::vector<SimilarPair> serial = pairs, shared = pairs;
    EXPECT_TRUE(SamePartition(AverageLinkageRoots(n, &serial, keys, threshold, 1), want))
        << "round " << round;
    // Every merge offered to the helper, however few entries.
    EXPECT_TRUE(SamePartition(AverageLinkageRoots(n, &shared, keys, threshold, 2, 0), want))
        << "round " << round;
  }
}

TEST(AverageLinkageTest, SharedRedirectsGiveTheSerialRootsOnLargeGraphs) {
  std::mt19937 rng(11);
  const uint32_t n = 20000;
  // Degrees in the tens, and hubs of thousands: most merges fold a list of
  // 16 or more neighbours, which the helper shares.
  const std::vector<SimilarPair> pairs = RandomGraph(n, 12, 8, rng);
  const std::vector<DocOrdinal> keys = ShuffledKeys(n, rng);
  for (const float threshold : {0.1f, 0.3f}) {
    std::vector<SimilarPair> copy = pairs;
    const std::vector<uint32_t> serial = AverageLinkageRoots(n, &copy, keys, threshold, 1);
    ASSERT_LT(Clusters(serial), n / 2) << "too few merges to test";
    ASSERT_GT(Clusters(serial), 1u);
    for (const int threads : {2, 3}) {
      copy = pairs;
      EXPECT_EQ(AverageLinkageRoots(n, &copy, keys, threshold, threads, 0), serial)
          << "threshold " << threshold << ", threads " << threads;
    }
  }
}

}  // namespace
}  // namespace storysift::internal
