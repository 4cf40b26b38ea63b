// Candidate pairs for story clustering from an inverted index over each
// item's top-weighted terms. Two reports of one event share their rare,
// heavy terms (names, places), so pairing only items that share a top term
// finds the similar pairs at near-linear cost; the same idea as the
// "top-k terms" pruning of pairwise document similarity (Elsayed, Lin and
// Oard 2008, "Pairwise document similarity in large collections with
// MapReduce", which drops the most frequent terms from the index).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>

#include "absl/strings/str_format.h"
#include "cluster/dot_table.h"
#include "cluster/story_internal.h"
#include "pipeline/huge_pages.h"
#include "pipeline/parallel.h"
#include "storysift/story_clusterer.h"

namespace storysift {
namespace internal {

absl::Status ValidateCandidateOptions(const CandidateOptions& o) {
  if (o.top_terms < 1 || o.min_shared_terms < 1 || o.min_shared_terms > o.top_terms) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "need 1 <= min_shared_terms (%d) <= top_terms (%d)", o.min_shared_terms,
        o.top_terms));
  }
  if (!(o.max_df_fraction > 0 && o.max_df_fraction <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("max_df_fraction must be in (0, 1], got %g", o.max_df_fraction));
  }
  if (o.posting_window < 1) {
    return absl::InvalidArgumentError(
        absl::StrFormat("posting_window must be >= 1, got %d", o.posting_window));
  }
  if (o.max_candidates_per_item < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "max_candidates_per_item must be >= 0, got %d", o.max_candidates_per_item));
  }
  if (!(o.min_similarity >= 0 && o.min_similarity <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("min_similarity must be in [0, 1], got %g", o.min_similarity));
  }
  return absl::OkStatus();
}

void TopTerms(SparseVectorView v, int k, std::vector<uint32_t>* out) {
  std::vector<uint32_t> idx(v.size());
  for (uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const size_t keep = std::min<size_t>(k, idx.size());
  auto heavier = [&](uint32_t a, uint32_t b) {
    return v.weights[a] != v.weights[b] ? v.weights[a] > v.weights[b] : a < b;
  };
  std::partial_sort(idx.begin(), idx.begin() + keep, idx.end(), heavier);
  out->clear();
  for (size_t i = 0; i < keep; ++i) out->push_back(v.ids[idx[i]]);
}

}  // namespace internal

namespace {

// What item i learns in pass 1 about each later item j it meets: top terms
// shared and the dot over them. One item meets at most top_terms x
// posting_window others, so a small open-addressing table (linear probing,
// Fibonacci hashing; ~96 KB at the defaults) holds them and the random
// access of pass 1 stays in L2, where an array over all items (9 MB at
// 750k items) missed the cache on almost every visit.
class MeetTable {
 public:
  struct Slot {
    uint32_t item;
    uint32_t shared;
    float partial;
  };

  explicit MeetTable(size_t max_meets) {
    size_t capacity = 16;
    int bits = 4;
    while (capacity < 2 * max_meets) capacity <<= 1, ++bits;
    slots_.assign(capacity, Slot{kEmpty, 0, 0.0f});
    shift_ = 64 - bits;
    mask_ = capacity - 1;
  }

  // The slot of `item`, created (zeroed) on first sight; new slots' indices
  // are appended to *used in order of arrival.
  Slot& Meet(uint32_t item, std::vector<uint32_t>* used) {
    size_t s = (item * 0x9E3779B97F4A7C15ull) >> shift_;
    while (slots_[s].item != item) {
      if (slots_[s].item == kEmpty) {
        slots_[s] = {item, 0, 0.0f};
        used->push_back(static_cast<uint32_t>(s));
        break;
      }
      s = (s + 1) & mask_;
    }
    return slots_[s];
  }

  const Slot& slot(uint32_t s) const { return slots_[s]; }

  // Empties the table. REQUIRES: `used` lists every occupied slot.
  void Clear(const std::vector<uint32_t>& used) {
    for (uint32_t s : used) slots_[s].item = kEmpty;
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  std::vector<Slot> slots_;
  int shift_;
  size_t mask_;
};

}  // namespace

namespace {

constexpr int64_t kNoDate = INT64_MIN;  // An undated item (its decay is 1).

// The largest date gap at which two items whose norms multiply to at most
// `norms` can still reach `min_similarity` after time decay (TimeDecay is 1
// up to the window, then exp(-(gap - w) / w)); INT64_MAX when any gap can.
// Generous by 0.1 % and 2 seconds, so that rounding in the decay never
// decides: a pair beyond it fails pass 2's exact test with room to spare.
int64_t PairHorizon(double norms, double min_similarity, int64_t window_seconds) {
  if (window_seconds <= 0 || !(min_similarity > 0)) return INT64_MAX;
  const double w = static_cast<double>(window_seconds);
  const double gap = w + w * std::log(std::max(norms / min_similarity, 1.0));
  const double generous = gap * 1.001 + 2.0;
  return generous < 9.0e18 ? static_cast<int64_t>(generous) : INT64_MAX;
}

// Dates within `horizon` of `date`; everything when either is unknown.
struct DateRange {
  int64_t lo = INT64_MIN;
  int64_t hi = INT64_MAX;
  bool Contains(int64_t d) const { return d == kNoDate || (d >= lo && d <= hi); }
};

DateRange NearDates(int64_t date, int64_t horizon) {
  DateRange r;
  if (date == kNoDate || horizon == INT64_MAX) return r;
  r.lo = date < INT64_MIN + horizon ? INT64_MIN : date - horizon;
  r.hi = date > INT64_MAX - horizon ? INT64_MAX : date + horizon;
  return r;
}

}  // namespace

double TimeDecay(std::optional<int64_t> a, std::optional<int64_t> b, int64_t window_seconds) {
  if (!a.has_value() || !b.has_value()) return 1.0;
  return internal::TimeDecayBetween(*a, *b, window_seconds);
}

absl::StatusOr<std::vector<SimilarPair>> FindSimilarPairs(absl::Span<const StoryItem> items,
                                                          const CandidateOptions& options,
                                                          int64_t window_seconds,
                                                          const RunContext& context) {
  if (absl::Status s = internal::ValidateCandidateOptions(options); !s.ok()) return s;
  if (window_seconds < 0) return absl::InvalidArgumentError("window_seconds < 0");
  const size_t n = items.size();
  if (n > UINT32_MAX) return absl::InvalidArgumentError("more than 2^32-1 items");
  uint32_t vocab = 0;
  for (const StoryItem& it : items) {
    if (!it.vector.ids.empty()) vocab = std::max(vocab, it.vector.ids.back() + 1);
  }
  // Top terms of every item and their weights, flat: item i owns
  // top[top_end[i-1], top_end[i]).
  std::vector<uint32_t> top, top_end(n), scratch;
  std::vector<float> top_w;
  for (size_t i = 0; i < n; ++i) {
    const SparseVectorView v = items[i].vector;
    internal::TopTerms(v, options.top_terms, &scratch);
    for (uint32_t t : scratch) {
      top.push_back(t);
      top_w.push_back(v.weights[std::lower_bound(v.ids.begin(), v.ids.end(), t) - v.ids.begin()]);
    }
    top_end[i] = top.size();
  }
  // Posting lists, items appended in index order (so sorted), each ended by
  // a kEnd sentinel. top[k] then becomes the slot of its item in the list:
  // pass 1 starts there without a binary search (one cache miss per probe
  // in long lists at 1M items). Stop-like terms point at slot 0, an empty
  // list of its own.
  const double skip_above = options.max_df_fraction * static_cast<double>(n);
  const size_t window = options.posting_window;
  constexpr uint32_t kEnd = UINT32_MAX;  // Not an item: n <= UINT32_MAX.
  std::vector<float> post_w;
  std::vector<uint32_t> postings;
  std::vector<int64_t> post_date;  // Beside each posting: pass 1 reads it in order.
  {
    std::vector<uint32_t> len(vocab, 0), next(vocab);
    for (uint32_t t : top) ++len[t];
    uint64_t slots = 2;  // Slot 0 and its sentinel.
    for (uint32_t t = 0; t < vocab; ++t) {
      next[t] = static_cast<uint32_t>(std::min<uint64_t>(slots, UINT32_MAX));
      if (len[t] > 0) slots += len[t] + 1;
    }
    if (slots > UINT32_MAX) return absl::InvalidArgumentError("more than 2^32-1 postings");
    internal::ReserveHugePages(&postings, slots);  // Read at random slots.
    internal::ReserveHugePages(&post_w, slots);
    internal::ReserveHugePages(&post_date, slots);
    postings.assign(slots, kEnd);
    post_w.assign(slots, 0.0f);
    post_date.assign(slots, kNoDate);
    for (size_t i = 0; i < n; ++i) {
      for (size_t k = i == 0 ? 0 : top_end[i - 1]; k < top_end[i]; ++k) {
        const uint32_t t = top[k];
        const uint32_t slot = next[t]++;
        postings[slot] = i;
        post_w[slot] = top_w[k];
        post_date[slot] = items[i].published.value_or(kNoDate);
        const bool stop_like = len[t] > window && static_cast<double>(len[t]) > skip_above;
        top[k] = stop_like ? 0 : slot;
      }
    }
  }
  std::vector<float>().swap(top_w);

  // Scoring item i reads only shared, immutable state and writes its own
  // pairs, so blocks of items run in parallel; concatenating the blocks'
  // pairs in block order gives the serial order, (a, b) ascending.
  struct Scratch {
    explicit Scratch(size_t max_meets) : meet(max_meets) {}
    MeetTable meet;
    internal::DotTable dot;  // Row i, for pass 3.
    std::vector<uint32_t> met;  // Slots of the items met, in order of meeting.
    std::vector<std::pair<float, uint32_t>> ranked, chosen;  // (-partial dot, j).
  };
  std::mutex pool_mu;
  std::vector<std::unique_ptr<Scratch>> pool;
  auto acquire = [&]() {
    std::lock_guard<std::mutex> lock(pool_mu);
    if (pool.empty()) {
      auto s = std::make_unique<Scratch>(
          std::min(static_cast<size_t>(options.top_terms) * window, n));
      return s;
    }
    std::unique_ptr<Scratch> s = std::move(pool.back());
    pool.pop_back();
    return s;
  };
  // A pair whose dot bound (Cauchy-Schwarz: |vi| |vj|) times its time decay
  // is below min_similarity cannot pass: skip its dot product. The margin
  // keeps float rounding of the dot from ever mattering.
  // Norm and date side by side: pass 2 reads both for thousands of random
  // items per item, and a StoryItem spans a cache line of its own.
  struct NormDate {
    double norm;
    int64_t published;
  };
  std::vector<NormDate> nd(n);
  double norm_max = 0;
  for (size_t i = 0; i < n; ++i) {
    double s2 = 0;
    for (float w : items[i].vector.weights) s2 += double{w} * w;
    nd[i] = {std::sqrt(s2) * 1.001, items[i].published.value_or(kNoDate)};
    norm_max = std::max(norm_max, nd[i].norm);
  }
  auto decay_of = [&](uint32_t i, uint32_t j) {
    const int64_t a = nd[i].published, b = nd[j].published;
    return a == kNoDate || b == kNoDate ? 1.0 : internal::TimeDecayBetween(a, b, window_seconds);
  };
  const size_t cap = options.max_candidates_per_item == 0
                         ? SIZE_MAX
                         : static_cast<size_t>(options.max_candidates_per_item);
  auto score_block = [&](uint32_t first, uint32_t last, std::vector<SimilarPair>* out) {
    std::unique_ptr<Scratch> sc = acquire();
    MeetTable& meet = sc->meet;
    std::vector<uint32_t>& met = sc->met;
    auto& ranked = sc->ranked;
    auto& chosen = sc->chosen;
    for (uint32_t i = first; i < last; ++i) {
      // Pass 1 (cheap): meet the later items in i's posting windows and sum
      // the products of shared top-term weights, a lower bound of the dot.
      // Items dated too far from i are passed over: decay would keep them
      // below min_similarity, so pass 2 would reject them anyway.
      met.clear();
      const DateRange near =
          NearDates(nd[i].published,
                    PairHorizon(nd[i].norm * norm_max, options.min_similarity, window_seconds));
      for (size_t k = i == 0 ? 0 : top_end[i - 1]; k < top_end[i]; ++k) {
        const uint32_t pos = top[k];  // i's slot in the term's posting list.
        const float wi = post_w[pos];
        for (size_t q = pos + 1; q <= pos + window && postings[q] != kEnd; ++q) {
          if (!near.Contains(post_date[q])) continue;
          MeetTable::Slot& m = meet.Meet(postings[q], &met);
          ++m.shared;
          m.partial += wi * post_w[q];
        }
      }
      if (met.empty()) continue;
      // Pass 2: keep the `cap` best by decayed partial dot (ties: smaller j).
      // Decay needs j's date, a cache miss per item, so dates are read
      // for the 4 * cap largest undecayed partials first; the rest are read
      // only if one of them could still enter (decay <= 1 bounds them).
      ranked.clear();
      for (uint32_t slot : met) {
        const MeetTable::Slot& m = meet.slot(slot);
        if (m.shared >= static_cast<uint32_t>(options.min_shared_terms)) {
          ranked.emplace_back(-m.partial, m.item);
        }
      }
      meet.Clear(met);
      const size_t m = ranked.size();
      const size_t head = cap <= m / 4 ? 4 * cap : m;
      if (head < m) std::nth_element(ranked.begin(), ranked.begin() + head, ranked.end());
      chosen.clear();
      auto admit = [&](size_t lo, size_t hi) {
        // The dates are random reads: keep kAhead of them in flight. (Issuing
        // all of up to top_terms x posting_window at once overflowed L1 and
        // evicted the first before their use.)
        constexpr size_t kAhead = 32;
        for (size_t k = lo; k < std::min(hi, lo + kAhead); ++k) {
          __builtin_prefetch(&nd[ranked[k].second]);
        }
        for (size_t k = lo; k < hi; ++k) {
          if (k + kAhead < hi) __builtin_prefetch(&nd[ranked[k + kAhead].second]);
          const uint32_t j = ranked[k].second;
          const double decay = decay_of(i, j);
          if (nd[i].norm * nd[j].norm * decay < options.min_similarity) continue;
          chosen.emplace_back(static_cast<float>(ranked[k].first * decay), j);
        }
      };
      admit(0, head);
      if (head < m) {
        bool settled = false;
        if (chosen.size() >= cap) {
          std::nth_element(chosen.begin(), chosen.begin() + (cap - 1), chosen.end());
          settled = -ranked[head].first < -chosen[cap - 1].first;
        }
        if (!settled) admit(head, m);
      }
      if (chosen.size() > cap) {
        std::nth_element(chosen.begin(), chosen.begin() + cap, chosen.end());
        chosen.resize(cap);
      }
      ranked.swap(chosen);
      for (auto& r : ranked) r.first = 0;  // Now sort by j alone.
      std::sort(ranked.begin(), ranked.end());
      // Pass 3: exact cosines of the survivors, Dot() bit for bit. Row i
      // sits in a small hash table (a dense copy over the vocabulary missed
      // the cache at 1M items); each row j streams through it. Rows j are
      // random reads: their StoryItems are fetched up front, each row's
      // first lines one candidate ahead.
      if (ranked.empty()) continue;
      sc->dot.Load(items[i].vector);
      for (const auto& r : ranked) __builtin_prefetch(&items[r.second]);
      for (size_t k = 0; k < ranked.size(); ++k) {
        if (k + 1 < ranked.size()) {
          const SparseVectorView next = items[ranked[k + 1].second].vector;
          __builtin_prefetch(next.ids.data());
          __builtin_prefetch(next.weights.data());
        }
        const uint32_t j = ranked[k].second;
        const float sim = static_cast<float>(sc->dot.Dot(items[j].vector) * decay_of(i, j));
        if (sim >= options.min_similarity && sim > 0) out->push_back({i, j, sim});
      }
    }
    std::lock_guard<std::mutex> lock(pool_mu);
    pool.push_back(std::move(sc));
  };
  constexpr uint32_t kBlock = 512;
  const size_t num_blocks = (n + kBlock - 1) / kBlock;
  std::vector<std::vector<SimilarPair>> block_pairs(num_blocks);
  ParallelFor(num_blocks, ResolveThreadCount(context.threads), [&](size_t b) {
    const uint32_t first = static_cast<uint32_t>(b * kBlock);
    score_block(first, static_cast<uint32_t>(std::min<size_t>(n, first + kBlock)),
                &block_pairs[b]);
  });
  return ConcatInOrder(&block_pairs);
}

}  // namespace storysift
