// The retention clock's rule (state/retention_clock.h), which `cluster
// --state`, the near-duplicate index and StoryAssigner share: the clock is a
// date some credible article has, never one none of them has.
#include "state/retention_clock.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace storysift::internal {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t k1987 = 541641600;       // 1987-03-02T00:00:00Z
constexpr int64_t k2087 = 3697401600;      // 2087-03-02T00:00:00Z
constexpr int64_t kRunClock = 1770000000;  // 2026-02-02: a backfill run today.
constexpr int64_t kWeek = 7 * kDay;

// The rule over `dates` (any order), as the callers give it: newest first.
int64_t Clock(std::vector<int64_t> dates, int64_t retention = kWeek, int64_t now = kRunClock) {
  std::sort(dates.begin(), dates.end());
  return LatestCredibleDate(dates.rbegin(), dates.rend(), retention, now);
}

// A backfill of 1987 news with two articles whose year was mistyped the
// same way: the two 2087 dates made a "run of two", capped at the run's
// clock + a day, a date no article has; every 1987 story was archived and
// the whole index evicted.
TEST(RetentionClockTest, APairOfTyposPastTheRunsClockIsLeftOutBeforeRunsAreFound) {
  EXPECT_EQ(Clock({k1987, k1987, k1987 + kDay, k2087 - kDay, k2087}), k1987 + kDay);
  // One credible date alone beside them counts: no run has two.
  EXPECT_EQ(Clock({k1987, k2087 - kDay, k2087}), k1987);
  // Credible runs are still split by the gap: the lone 1997 date is left out too.
  EXPECT_EQ(Clock({k1987, k1987, k1987 + 3650 * kDay, k2087, k2087}), k1987);
}

// Today's news dated up to a day ahead (a feed's time zone) is credible.
TEST(RetentionClockTest, ADateWithinADayOfTheRunsClockCounts) {
  EXPECT_EQ(Clock({kRunClock - kDay, kRunClock + kDay}), kRunClock + kDay);
  EXPECT_EQ(Clock({kRunClock - kDay, kRunClock + kDay + 1}), kRunClock - kDay);
}

// The rules kept from before: a lone date far past the others waits for
// company; a gap shorter than the retention splits nothing.
TEST(RetentionClockTest, ALoneDateFarPastTheOthersDoesNotCount) {
  const int64_t later = k1987 + 400 * kDay;
  EXPECT_EQ(Clock({k1987, k1987, later}), k1987);
  EXPECT_EQ(Clock({k1987, k1987, later, later + kDay}), later + kDay);
  EXPECT_EQ(Clock({k1987, later}, 500 * kDay), later);
  EXPECT_EQ(Clock({k1987, k1987 + 20 * kDay}), k1987 + 20 * kDay);  // Within a month.
}

// With no credible date at all, the run's clock (and its day of slack) is
// the only one there is.
TEST(RetentionClockTest, WithoutACredibleDateTheClockIsTheRunsOwn) {
  EXPECT_EQ(Clock({}), kRunClock + kDay);
  EXPECT_EQ(Clock({k2087, k2087 + kDay}), kRunClock + kDay);
}

TEST(RetentionClockTest, ExtremeDatesDoNotOverflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(Clock({kMin, kMax}, kWeek, kMax), kMax);
  EXPECT_EQ(Clock({kMin, kMin, kMax}), kMin);
  EXPECT_EQ(Clock({}, kWeek, kMax), kMax);
}

}  // namespace
}  // namespace storysift::internal
