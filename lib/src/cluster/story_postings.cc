#include "cluster/story_postings.h"

#include <algorithm>

#include "cluster/balanced_ranges.h"
#include "cluster/story_internal.h"
#include "pipeline/huge_pages.h"
#include "pipeline/parallel.h"

namespace storysift::internal {
namespace {

// Items per task when collecting top terms: enough to amortise a task.
constexpr size_t kItemsPerBlock = 1024;

// Top terms of every item and their weights, flat: item i owns
// out->top[top_begin(i), top_end[i]) and the same range of *weights.
void CollectTopTerms(absl::Span<const StoryItem> items, int top_terms, int threads,
                     TopTermPostings* out, std::vector<float>* weights) {
  // Each item's range is known up front (min(top_terms, its size)), so blocks
  // of items fill their own ranges on the threads, in no particular order.
  const size_t n = items.size();
  out->top_end.resize(n);
  size_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    total += std::min<size_t>(top_terms, items[i].vector.size());
    out->top_end[i] = total;
  }
  out->top.resize(total);
  weights->resize(total);
  const size_t num_blocks = (n + kItemsPerBlock - 1) / kItemsPerBlock;
  ParallelFor(num_blocks, threads, [&](size_t b) {
    thread_local std::vector<uint32_t> scratch;
    for (size_t i = b * kItemsPerBlock; i < std::min(n, (b + 1) * kItemsPerBlock); ++i) {
      const SparseVectorView v = items[i].vector;
      TopTermPositions(v, top_terms, &scratch);
      size_t k = out->top_begin(i);
      for (uint32_t position : scratch) {
        out->top[k] = v.ids[position];
        (*weights)[k++] = v.weights[position];
      }
    }
  });
}

}  // namespace

absl::StatusOr<TopTermPostings> BuildTopTermPostings(absl::Span<const StoryItem> items,
                                                     const CandidateOptions& options,
                                                     int threads) {
  const size_t n = items.size();
  const auto vocab = static_cast<uint32_t>(ItemIdBound(items));
  TopTermPostings p;
  std::vector<float> top_w;
  CollectTopTerms(items, options.top_terms, threads, &p, &top_w);
  const double skip_above = options.max_df_fraction * static_cast<double>(n);
  const size_t window = options.posting_window;
  std::vector<uint32_t> len(vocab, 0), next(vocab);
  for (uint32_t t : p.top) ++len[t];
  uint64_t slots = 2;  // Slot 0 and its sentinel.
  for (uint32_t t = 0; t < vocab; ++t) {
    next[t] = static_cast<uint32_t>(std::min<uint64_t>(slots, UINT32_MAX));
    if (len[t] > 0) slots += len[t] + 1;
  }
  if (slots > UINT32_MAX) return absl::InvalidArgumentError("more than 2^32-1 postings");
  ReserveHugePages(&p.postings, slots);  // Read at random slots.
  ReserveHugePages(&p.weight, slots);
  ReserveHugePages(&p.date, slots);
  // Unwritten here: each task below first fills its own range of slots.
  p.postings.resize(slots);
  p.weight.resize(slots);
  p.date.resize(slots);
  const auto clear_slots = [&p](uint64_t begin, uint64_t end) {
    std::fill(p.postings.begin() + begin, p.postings.begin() + end, kEndOfList);
    std::fill(p.weight.begin() + begin, p.weight.begin() + end, 0.0f);
    std::fill(p.date.begin() + begin, p.date.begin() + end, kNoDate);
  };
  clear_slots(0, 2);
  // Terms are split into ranges of about equal postings, one task a range:
  // each task reads every item's top terms in item order and posts those in
  // its range, so each list is filled in item order as by one loop, and
  // each top[k] and each slot is written by the one task owning its term
  // (with several tasks the terms are read from their own copy, as top[k]
  // becomes a slot; one task reads each term before it overwrites it).
  // One loop on one core was ~5 ms of a 20k cluster run with the other
  // core idle.
  const std::vector<uint32_t> range_begin =
      BalancedRanges(absl::MakeConstSpan(next), slots, threads);
  // A range's slots, read before any task moves next[]: terms' lists are
  // laid out in term order, so a range of terms owns a range of slots.
  std::vector<uint64_t> slot_begin(range_begin.size());
  for (size_t r = 0; r < range_begin.size(); ++r) {
    slot_begin[r] = range_begin[r] < vocab ? next[range_begin[r]] : slots;
  }
  const bool several_tasks = range_begin.size() > 2;
  const std::vector<uint32_t> copy = several_tasks ? p.top : std::vector<uint32_t>();
  const uint32_t* const term_of = several_tasks ? copy.data() : p.top.data();
  ParallelFor(range_begin.size() - 1, threads, [&](size_t r) {
    const uint32_t lo = range_begin[r], hi = range_begin[r + 1];
    clear_slots(slot_begin[r], slot_begin[r + 1]);
    for (size_t i = 0; i < n; ++i) {
      const int64_t date = items[i].published.value_or(kNoDate);
      for (size_t k = p.top_begin(i); k < p.top_end[i]; ++k) {
        const uint32_t t = term_of[k];
        if (t < lo || t >= hi) continue;
        const uint32_t slot = next[t]++;
        p.postings[slot] = i;
        p.weight[slot] = top_w[k];
        p.date[slot] = date;
        const bool stop_like = len[t] > window && static_cast<double>(len[t]) > skip_above;
        p.top[k] = stop_like ? 0 : slot;
      }
    }
  });
  return p;
}

}  // namespace storysift::internal
