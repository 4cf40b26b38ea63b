#include "cluster/story_postings.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace storysift::internal {
namespace {

// Generated items over a small vocabulary (so some terms are stop-like),
// distinct weights (so each item's top terms are unambiguous), every third
// one undated.
struct GeneratedItems {
  std::vector<std::vector<uint32_t>> ids;
  std::vector<std::vector<float>> weights;
  std::vector<StoryItem> items;
};

GeneratedItems Generate(size_t n, uint32_t vocab, uint32_t seed) {
  GeneratedItems g;
  std::mt19937 rng(seed);
  g.ids.resize(n);
  g.weights.resize(n);
  for (size_t i = 0; i < n; ++i) {
    // Low ids are common (Zipf-like), so their lists grow long.
    const size_t terms = 1 + rng() % 40;
    for (size_t k = 0; k < terms; ++k) {
      const double u = std::uniform_real_distribution<double>(0, 1)(rng);
      g.ids[i].push_back(static_cast<uint32_t>(vocab * u * u * u));
    }
    std::sort(g.ids[i].begin(), g.ids[i].end());
    g.ids[i].erase(std::unique(g.ids[i].begin(), g.ids[i].end()), g.ids[i].end());
    for (size_t k = 0; k < g.ids[i].size(); ++k) {
      g.weights[i].push_back(static_cast<float>(rng() % 1000000 + 1) / 1e6f);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    StoryItem it;
    it.ordinal = static_cast<DocOrdinal>(i);
    it.vector = {absl::MakeConstSpan(g.ids[i]), absl::MakeConstSpan(g.weights[i])};
    if (i % 3 != 0) it.published = static_cast<int64_t>(1000 * i);
    g.items.push_back(it);
  }
  return g;
}

// Item i's top terms by a full sort (heaviest first).
std::vector<uint32_t> TopTermsBySort(const StoryItem& it, int k) {
  std::vector<size_t> order(it.vector.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return it.vector.weights[a] > it.vector.weights[b]; });
  order.resize(std::min<size_t>(order.size(), k));
  std::vector<uint32_t> terms;
  for (size_t p : order) terms.push_back(it.vector.ids[p]);
  return terms;
}

TEST(StoryPostingsTest, ListsHoldEachTermsItemsInOrderAtAnyThreadCount) {
  const GeneratedItems g = Generate(3000, 400, 7);
  CandidateOptions options;
  options.top_terms = 8;
  options.posting_window = 16;
  options.max_df_fraction = 0.02;
  // The expected layout: slot 0 and its sentinel, then each posted term's
  // items ascending and a sentinel, terms ascending.
  std::map<uint32_t, std::vector<uint32_t>> list;
  for (uint32_t i = 0; i < g.items.size(); ++i) {
    for (uint32_t t : TopTermsBySort(g.items[i], options.top_terms)) list[t].push_back(i);
  }
  std::vector<uint32_t> expected = {kEndOfList, kEndOfList};
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> slot_of;  // (term, item) -> slot.
  std::map<uint32_t, uint32_t> term_at;                       // Slot -> term.
  size_t stop_like_terms = 0;
  for (const auto& [t, members] : list) {
    const bool stop_like = members.size() > static_cast<size_t>(options.posting_window) &&
                           members.size() > options.max_df_fraction * g.items.size();
    stop_like_terms += stop_like;
    for (uint32_t i : members) {
      slot_of[{t, i}] = stop_like ? 0 : static_cast<uint32_t>(expected.size());
      term_at[static_cast<uint32_t>(expected.size())] = t;
      expected.push_back(i);
    }
    expected.push_back(kEndOfList);
  }
  ASSERT_GT(stop_like_terms, 0u);  // Both kinds of top entry are checked.
  ASSERT_LT(stop_like_terms, list.size());
  for (int threads : {1, 2, 3, 7}) {
    SCOPED_TRACE(threads);
    absl::StatusOr<TopTermPostings> p = BuildTopTermPostings(g.items, options, threads);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(std::vector<uint32_t>(p->postings.begin(), p->postings.end()), expected);
    ASSERT_EQ(p->top_end.size(), g.items.size());
    for (uint32_t i = 0; i < g.items.size(); ++i) {
      std::vector<uint32_t> want;
      for (uint32_t t : TopTermsBySort(g.items[i], options.top_terms)) {
        want.push_back(slot_of[{t, i}]);
      }
      std::vector<uint32_t> got(p->top.begin() + p->top_begin(i), p->top.begin() + p->top_end[i]);
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, want) << "item " << i;
      for (size_t k = p->top_begin(i); k < p->top_end[i]; ++k) {
        const uint32_t slot = p->top[k];
        if (slot == 0) continue;
        EXPECT_EQ(p->date[slot], g.items[i].published.value_or(kNoDate));
        const auto& v = g.items[i].vector;
        const size_t pos =
            std::lower_bound(v.ids.begin(), v.ids.end(), term_at[slot]) - v.ids.begin();
        EXPECT_EQ(p->weight[slot], v.weights[pos]);
      }
    }
  }
}

}  // namespace
}  // namespace storysift::internal
