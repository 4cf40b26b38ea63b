// The clock a retention window counts from, shared by `cluster --state`
// (state_job.cc), the near-duplicate index (Deduplicator) and StoryAssigner:
// the newest publication date, except one that cannot be news yet (more
// than a day past the run's own clock, a day of slack for feeds' time
// zones) or that stands alone far past every other date (a mistyped year:
// "2087" among 1987's news). Either would otherwise evict or archive
// everything at once.
#ifndef STORYSIFT_STATE_RETENTION_CLOCK_H_
#define STORYSIFT_STATE_RETENTION_CLOCK_H_

#include <algorithm>
#include <cstdint>
#include <limits>

namespace storysift::internal {

inline constexpr int64_t kClockSlackSeconds = 86400;
// Dates further apart than this (or the retention, if longer) split the
// dates into runs (see LatestCredibleDate).
inline constexpr int64_t kLoneDateGapSeconds = 31 * 86400;

// The latest date the clock may take of `dates`, given latest first
// ([newest_first, end), e.g. a sorted vector's rbegin() or a multiset's).
// Dates past now + kClockSlackSeconds are left out first: two articles with
// one mistyped year ("2087" on two days of a 1987 backfill) are no more
// news for being two. Of the rest, dates more than max(retention_seconds,
// kLoneDateGapSeconds) apart split them into runs, and the latest date of
// the latest run of two or more counts (the latest date when no run has
// two): always a date some credible article has. A re-crawl of old
// articles beside today's, or a backfill with a hole, is not cut: only a
// date alone past such a gap is. With no credible date (none, or all past
// the run's clock) it is now + kClockSlackSeconds, the only clock there is.
// INT64_MAX-safe (the cap saturates).
template <typename NewestFirst>
int64_t LatestCredibleDate(NewestFirst newest_first, NewestFirst end, int64_t retention_seconds,
                           int64_t now) {
  int64_t cap;
  if (__builtin_add_overflow(now, kClockSlackSeconds, &cap)) {
    cap = std::numeric_limits<int64_t>::max();
  }
  NewestFirst it = newest_first;
  while (it != end && *it > cap) ++it;  // Not news yet: typos, test records.
  if (it == end) return cap;
  const uint64_t gap = static_cast<uint64_t>(std::max(retention_seconds, kLoneDateGapSeconds));
  const int64_t newest = *it;
  int64_t run_top = newest;
  int64_t previous = newest;
  while (++it != end) {
    const int64_t date = *it;
    // previous >= date: the unsigned difference is exact over all of int64.
    if (static_cast<uint64_t>(previous) - static_cast<uint64_t>(date) <= gap) {
      return run_top;  // A run of two or more.
    }
    run_top = date;
    previous = date;
  }
  return newest;  // No date has a neighbour: all count.
}

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_RETENTION_CLOCK_H_
