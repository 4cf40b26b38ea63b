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
#include "absl/types/span.h"
#include "cluster/dot_table.h"
#include "cluster/story_internal.h"
#include "cluster/story_postings.h"
#include "pipeline/parallel.h"
#include "vector/row_sum.h"
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

void TopTermPositions(SparseVectorView v, int k, std::vector<uint32_t>* out) {
  // One pass keeping the k heaviest so far, heaviest first: past the first
  // few terms nearly every term weighs less than the k-th and is passed over
  // with one predictable comparison (a partial sort's heap took log k steps
  // per term, through an index array). The kept list's start, count and
  // lightest weight live in locals: through the thread_local vector, each
  // term's test reloaded its size and last element from memory.
  thread_local std::vector<std::pair<float, uint32_t>> buffer;  // (weight, position).
  const size_t keep = k > 0 ? std::min<size_t>(k, v.size()) : 0;
  out->clear();
  if (keep == 0) return;
  if (buffer.size() < keep) buffer.resize(keep);
  std::pair<float, uint32_t>* best = buffer.data();
  const float* weights = v.weights.data();
  size_t kept = 0;
  float lightest = 0.0f;  // best[keep - 1]'s weight once kept == keep.
  for (uint32_t i = 0; i < v.size(); ++i) {
    const float w = weights[i];
    // Ties go to the earlier position, so a later equal weight never enters.
    if (kept == keep && !(w > lightest)) continue;
    size_t j = kept == keep ? keep - 1 : kept++;
    for (; j > 0 && w > best[j - 1].first; --j) best[j] = best[j - 1];
    best[j] = {w, i};
    if (kept == keep) lightest = best[keep - 1].first;
  }
  out->resize(kept);
  for (size_t j = 0; j < kept; ++j) (*out)[j] = best[j].second;
}

void TopTerms(SparseVectorView v, int k, std::vector<uint32_t>* out) {
  TopTermPositions(v, k, out);
  for (uint32_t& t : *out) t = v.ids[t];
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
  static constexpr uint32_t kEmpty = UINT32_MAX;

  explicit MeetTable(size_t max_meets) : used_(max_meets) {
    size_t capacity = 16;
    int bits = 4;
    while (capacity < 2 * max_meets) capacity <<= 1, ++bits;
    slots_.assign(capacity, Slot{kEmpty, 0, 0.0f});
    shift_ = 64 - bits;
    mask_ = capacity - 1;
  }

  // Raw access for pass 1's loop, which keeps the pointers in registers:
  // through the members, every store to a slot or to the used list (a
  // push_back stores a pointer) made the compiler reload the posting
  // arrays' pointers and keep the loop index in memory.
  Slot* slots() { return slots_.data(); }
  int shift() const { return shift_; }
  size_t mask() const { return mask_; }
  // Room for max_meets slot indices: the slots occupied, in order of arrival.
  uint32_t* used() { return used_.data(); }

  const Slot& slot(uint32_t s) const { return slots_[s]; }

  // Empties the table. REQUIRES: `used` lists every occupied slot.
  void Clear(absl::Span<const uint32_t> used) {
    for (uint32_t s : used) slots_[s].item = kEmpty;
  }

 private:
  std::vector<Slot> slots_;
  std::vector<uint32_t> used_;
  int shift_;
  size_t mask_;
};

}  // namespace

namespace {

using internal::kEndOfList;
using internal::kNoDate;

// Pruning bounds are inflated by this factor (norms, date horizons) so that
// float rounding in a dot product or a time decay never decides a pruning:
// a pair pruned by the bound fails the exact test with room to spare.
constexpr double kBoundSlack = 1.001;
// The date horizon's slack in seconds, for gaps of a few seconds.
constexpr double kHorizonSlackSeconds = 2.0;
// Pass 2 reads the dates (a cache miss each) of this many times `cap`
// largest undecayed partial dots first; decay <= 1 bounds the rest, which
// are read only if one of them could still enter.
constexpr size_t kDatedHeadFactor = 4;
// Dates read ahead of their use in pass 2: the reads are random, and
// issuing all of up to top_terms x posting_window at once overflowed L1 and
// evicted the first before their use.
constexpr size_t kPrefetchAhead = 32;
// Items per parallel task: enough to amortize taking a scratch from the
// pool, few enough that the blocks balance over the threads.
constexpr uint32_t kItemsPerTask = 512;

// The largest date gap at which two items whose norms multiply to at most
// `norms` can still reach `min_similarity` after time decay (TimeDecay is 1
// up to the window, then exp(-(gap - w) / w)); INT64_MAX when any gap can.
int64_t PairHorizon(double norms, double min_similarity, int64_t window_seconds) {
  if (window_seconds <= 0 || !(min_similarity > 0)) return INT64_MAX;
  const double w = static_cast<double>(window_seconds);
  const double gap = w + w * std::log(std::max(norms / min_similarity, 1.0));
  const double generous = gap * kBoundSlack + kHorizonSlackSeconds;
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

// Working memory of one scoring task, reused from a pool.
struct ScoreScratch {
  ScoreScratch(size_t max_meets, size_t vocabulary_size)
      : meet(max_meets), dot(vocabulary_size) {}
  MeetTable meet;
  internal::DotTable dot;                                  // Row i, for pass 3.
  absl::Span<const uint32_t> met;                          // Slots of the items met, in order.
  std::vector<uint64_t> ranked, chosen;                    // RankKey(-partial dot, j).
};

// (f, j) as one integer ordered as the pair (f, j): f's ordered bits above j.
// nth_element on these compares integers, not a float and then j (that
// branchy comparison was most of pass 2's selection time). f + 0.0f maps
// -0.0f to +0.0f, which the pair held equal.
uint64_t RankKey(float f, uint32_t j) {
  return (uint64_t{internal::OrderedBits(f + 0.0f)} << 32) | j;
}
float RankValue(uint64_t key) { return internal::FromOrderedBits(static_cast<uint32_t>(key >> 32)); }
uint32_t RankItem(uint64_t key) { return static_cast<uint32_t>(key); }

// Scores each item against the later items it meets in the posting index,
// in three passes of rising cost. Scoring item i reads only shared,
// immutable state and writes its own pairs, so blocks of items run in
// parallel; concatenating the blocks' pairs in block order gives the serial
// order, (a, b) ascending.
class PairScorer {
 public:
  PairScorer(absl::Span<const StoryItem> items, const CandidateOptions& options,
             int64_t window_seconds, const internal::TopTermPostings& postings, int threads)
      : items_(items),
        options_(options),
        window_seconds_(window_seconds),
        p_(postings),
        cap_(options.max_candidates_per_item == 0
                 ? SIZE_MAX
                 : static_cast<size_t>(options.max_candidates_per_item)),
        max_meets_(std::min(static_cast<size_t>(options.top_terms) * options.posting_window,
                            items.size())) {
    // A pair whose dot bound (Cauchy-Schwarz: |vi| |vj|) times its time decay
    // is below min_similarity cannot pass: its dot product is skipped.
    // Norm and date side by side: pass 2 reads both for thousands of random
    // items per item, and a StoryItem spans a cache line of its own.
    nd_.resize(items.size());
    const size_t num_blocks = (items.size() + kItemsPerTask - 1) / kItemsPerTask;
    ParallelFor(num_blocks, threads, [&](size_t b) {
      const size_t end = std::min(items.size(), (b + 1) * kItemsPerTask);
      for (size_t i = b * kItemsPerTask; i < end; ++i) {
        double s2 = 0;
        for (float w : items[i].vector.weights) s2 += double{w} * w;
        nd_[i] = {std::sqrt(s2) * kBoundSlack, items[i].published.value_or(kNoDate)};
      }
    });
    vocabulary_size_ = internal::ItemIdBound(items);
    for (size_t i = 0; i < items.size(); ++i) norm_max_ = std::max(norm_max_, nd_[i].norm);
  }

  // Appends the pairs (i, j > i) of items [first, last) to *out.
  void ScoreBlock(uint32_t first, uint32_t last, std::vector<SimilarPair>* out) {
    std::unique_ptr<ScoreScratch> sc = Acquire();
    for (uint32_t i = first; i < last; ++i) {
      MeetLaterItems(i, sc.get());
      if (sc->met.empty()) continue;
      ChooseCandidates(i, sc.get());
      if (sc->ranked.empty()) continue;
      ExactCosines(i, sc.get(), out);
    }
    std::lock_guard<std::mutex> lock(pool_mu_);
    pool_.push_back(std::move(sc));
  }

 private:
  struct NormDate {
    double norm;
    int64_t published;
  };

  std::unique_ptr<ScoreScratch> Acquire() {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (pool_.empty()) return std::make_unique<ScoreScratch>(max_meets_, vocabulary_size_);
    std::unique_ptr<ScoreScratch> s = std::move(pool_.back());
    pool_.pop_back();
    return s;
  }

  double DecayOf(uint32_t i, uint32_t j) const {
    const int64_t a = nd_[i].published, b = nd_[j].published;
    return a == kNoDate || b == kNoDate ? 1.0 : internal::TimeDecayBetween(a, b, window_seconds_);
  }

  // Pass 1 (cheap): meet the later items in i's posting windows and sum the
  // products of shared top-term weights, a lower bound of the dot. Items
  // dated too far from i are passed over: decay would keep them below
  // min_similarity, so pass 2 would reject them anyway.
  void MeetLaterItems(uint32_t i, ScoreScratch* sc) const {
    const size_t window = options_.posting_window;
    const DateRange near =
        NearDates(nd_[i].published,
                  PairHorizon(nd_[i].norm * norm_max_, options_.min_similarity, window_seconds_));
    // near.Contains(d) as one unsigned compare (an undated posting aside).
    const uint64_t near_lo = static_cast<uint64_t>(near.lo);
    const uint64_t near_span = static_cast<uint64_t>(near.hi) - near_lo;
    const uint32_t* postings = p_.postings.data();
    const float* weight = p_.weight.data();
    const int64_t* date = p_.date.data();
    MeetTable::Slot* slots = sc->meet.slots();
    const int shift = sc->meet.shift();
    const size_t mask = sc->meet.mask();
    uint32_t* used = sc->meet.used();
    size_t num_used = 0;
    for (size_t k = p_.top_begin(i); k < p_.top_end[i]; ++k) {
      const size_t pos = p_.top[k];  // i's slot in the term's posting list.
      const float wi = weight[pos];
      for (size_t q = pos + 1; q <= pos + window; ++q) {
        const uint32_t j = postings[q];
        if (j == kEndOfList) break;
        const int64_t d = date[q];
        if (d != kNoDate && static_cast<uint64_t>(d) - near_lo > near_span) continue;
        size_t s = (j * 0x9E3779B97F4A7C15ull) >> shift;
        while (slots[s].item != j) {
          if (slots[s].item == MeetTable::kEmpty) {
            slots[s] = {j, 0, 0.0f};
            used[num_used++] = static_cast<uint32_t>(s);
            break;
          }
          s = (s + 1) & mask;
        }
        ++slots[s].shared;
        slots[s].partial += wi * weight[q];
      }
    }
    sc->met = absl::MakeConstSpan(used, num_used);
  }

  // Pass 2: keep the cap_ best met items by decayed partial dot (ties:
  // smaller j), in ascending j in sc->ranked. Decay needs j's date, so dates
  // are read for the kDatedHeadFactor * cap_ largest undecayed partials
  // first.
  void ChooseCandidates(uint32_t i, ScoreScratch* sc) const {
    auto& ranked = sc->ranked;
    auto& chosen = sc->chosen;
    ranked.clear();
    for (uint32_t slot : sc->met) {
      const MeetTable::Slot& m = sc->meet.slot(slot);
      if (m.shared >= static_cast<uint32_t>(options_.min_shared_terms)) {
        ranked.push_back(RankKey(-m.partial, m.item));
      }
    }
    sc->meet.Clear(sc->met);
    const size_t m = ranked.size();
    const size_t head = cap_ <= m / kDatedHeadFactor ? kDatedHeadFactor * cap_ : m;
    if (head < m) std::nth_element(ranked.begin(), ranked.begin() + head, ranked.end());
    chosen.clear();
    Admit(i, 0, head, sc);
    if (head < m) {
      bool settled = false;
      if (chosen.size() >= cap_) {
        std::nth_element(chosen.begin(), chosen.begin() + (cap_ - 1), chosen.end());
        settled = -RankValue(ranked[head]) < -RankValue(chosen[cap_ - 1]);
      }
      if (!settled) Admit(i, head, m, sc);
    }
    if (chosen.size() > cap_) {
      std::nth_element(chosen.begin(), chosen.begin() + cap_, chosen.end());
      chosen.resize(cap_);
    }
    ranked.swap(chosen);
    for (uint64_t& r : ranked) r = RankItem(r);  // Now sort by j alone.
    std::sort(ranked.begin(), ranked.end());
  }

  // Moves ranked[lo, hi) whose norm bound times decay can reach
  // min_similarity to sc->chosen, with the decayed partial dot.
  void Admit(uint32_t i, size_t lo, size_t hi, ScoreScratch* sc) const {
    const auto& ranked = sc->ranked;
    for (size_t k = lo; k < std::min(hi, lo + kPrefetchAhead); ++k) {
      __builtin_prefetch(&nd_[RankItem(ranked[k])]);
    }
    for (size_t k = lo; k < hi; ++k) {
      if (k + kPrefetchAhead < hi) __builtin_prefetch(&nd_[RankItem(ranked[k + kPrefetchAhead])]);
      const uint32_t j = RankItem(ranked[k]);
      const double decay = DecayOf(i, j);
      if (nd_[i].norm * nd_[j].norm * decay < options_.min_similarity) continue;
      sc->chosen.push_back(RankKey(static_cast<float>(RankValue(ranked[k]) * decay), j));
    }
  }

  // Every cache line of a row: the dot reads all of it, and the rows are
  // random reads, so the hardware prefetcher found each row's stream only
  // after its first misses (the dot's time was mostly these loads).
  static void PrefetchRow(SparseVectorView row) {
    constexpr size_t kLineBytes = 64;
    const char* ids = reinterpret_cast<const char*>(row.ids.data());
    const char* weights = reinterpret_cast<const char*>(row.weights.data());
    const size_t bytes = row.size() * sizeof(float);  // Ids and weights: 4 bytes each.
    for (size_t b = 0; b < bytes; b += kLineBytes) {
      __builtin_prefetch(ids + b);
      __builtin_prefetch(weights + b);
    }
  }

  // Pass 3: exact cosines of the survivors, Dot() bit for bit. Row i sits in
  // the scratch's DotTable (dense over the term ids up to its cap, else a
  // small hash table); each row j streams through it. Rows j are random reads: their
  // StoryItems are fetched up front, each row's first lines one candidate
  // ahead.
  void ExactCosines(uint32_t i, ScoreScratch* sc, std::vector<SimilarPair>* out) const {
    const auto& ranked = sc->ranked;
    for (const uint64_t r : ranked) __builtin_prefetch(&items_[RankItem(r)]);
    if (!ranked.empty()) PrefetchRow(items_[RankItem(ranked[0])].vector);
    sc->dot.Load(items_[i].vector);
    for (size_t k = 0; k < ranked.size(); ++k) {
      if (k + 1 < ranked.size()) PrefetchRow(items_[RankItem(ranked[k + 1])].vector);
      const uint32_t j = RankItem(ranked[k]);
      const float sim = static_cast<float>(sc->dot.Dot(items_[j].vector) * DecayOf(i, j));
      if (sim >= options_.min_similarity && sim > 0) out->push_back({i, j, sim});
    }
  }

  const absl::Span<const StoryItem> items_;
  const CandidateOptions& options_;
  const int64_t window_seconds_;
  const internal::TopTermPostings& p_;
  const size_t cap_;
  const size_t max_meets_;
  std::vector<NormDate> nd_;
  double norm_max_ = 0;
  size_t vocabulary_size_ = 0;  // Above every id of every row.
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<ScoreScratch>> pool_;
};

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
  absl::StatusOr<internal::TopTermPostings> postings =
      internal::BuildTopTermPostings(items, options, ResolveThreadCount(context.threads));
  if (!postings.ok()) return postings.status();
  PairScorer scorer(items, options, window_seconds, *postings,
                    ResolveThreadCount(context.threads));
  const size_t num_blocks = (n + kItemsPerTask - 1) / kItemsPerTask;
  std::vector<std::vector<SimilarPair>> block_pairs(num_blocks);
  ParallelFor(num_blocks, ResolveThreadCount(context.threads), [&](size_t b) {
    const uint32_t first = static_cast<uint32_t>(b * kItemsPerTask);
    scorer.ScoreBlock(first, static_cast<uint32_t>(std::min<size_t>(n, first + kItemsPerTask)),
                      &block_pairs[b]);
  });
  return ConcatInOrder(&block_pairs);
}

}  // namespace storysift
