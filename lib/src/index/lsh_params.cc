#include "storysift/lsh_params.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

#include "absl/strings/str_format.h"

namespace storysift {
namespace {

constexpr int kIntervals = 256;

// Composite Simpson's rule; P is smooth, and 256 intervals bound the error
// far below the differences between neighbouring (b, r). f(i, s) is the
// integrand at point i, s = lo + i * h (s = hi for i = kIntervals).
template <typename F>
double Integrate(F f, double lo, double hi) {
  const double h = (hi - lo) / kIntervals;
  double sum = f(0, lo) + f(kIntervals, hi);
  for (int i = 1; i < kIntervals; ++i) sum += f(i, lo + i * h) * ((i & 1) ? 4.0 : 2.0);
  return sum * h / 3.0;
}

// 1 - s^r at the Simpson points of [lo, hi] for each r, made on first use.
// The search meets each r for many band counts b, and the candidate
// probability 1 - (1 - s^r)^b then costs one pow a point instead of two;
// the values are those LshCandidateProbability computes, bit for bit.
class RowMisses {
 public:
  RowMisses(double lo, double hi) : lo_(lo), hi_(hi) {}

  const std::vector<double>& ForRows(int r) {
    if (static_cast<size_t>(r) >= by_rows_.size()) by_rows_.resize(r + 1);
    std::vector<double>& misses = by_rows_[r];
    if (misses.empty()) {
      misses.resize(kIntervals + 1);
      Integrate([&](int i, double s) { return misses[i] = 1.0 - std::pow(s, r); }, lo_, hi_);
    }
    return misses;
  }

  double lo() const { return lo_; }
  double hi() const { return hi_; }

 private:
  double lo_, hi_;
  std::vector<std::vector<double>> by_rows_;
};

// The arguments of one OptimalLshParams search. Options are resolved more
// than once per run (the CLI, the grouper, the index), and one search cost a
// tiny run 2/3 of its CPU (~500k pow calls), so the last one is remembered.
struct SearchKey {
  double threshold = -1;
  int num_perm = 0;
  double fp_weight = 0;
  double fn_weight = 0;
  int max_bands = 0;
  bool operator==(const SearchKey&) const = default;
};

// Relative margin over the best error below which a band's larger r are
// still searched: far above the rounding of the areas (~1e-15), so the
// pruning can never skip a strictly better (b, r).
constexpr double kPruneMargin = 1e-9;

// The smallest weighted error over b = `bands` (any r), skipping r that
// cannot beat `bound`: for a fixed b the false-negative area grows with r,
// so once the weighted false-negative area alone reaches the bound, no
// larger r can beat it. Sets *best to the first (smallest r) minimum and
// returns INFINITY when every r was skipped.
// The search's areas: LshFalsePositiveArea and LshFalseNegativeArea of
// (bands, r), bit for bit, from the cached s^r.
struct SearchAreas {
  RowMisses below, above;  // [0, t] and [t, 1].
  // By r: the false-positive area of the largest band count that the
  // ascending band loop has computed it for, 0 where none. The area grows
  // with the band count, so it bounds any larger band count's from below.
  std::vector<double> false_positive_floor;
  bool record_floors = false;  // Set for the ascending loop only.

  explicit SearchAreas(double t) : below(0.0, t), above(t, 1.0) {}

  double FalsePositive(int bands, int r) {
    const std::vector<double>& m = below.ForRows(r);
    const double area = Integrate([&](int i, double) { return 1.0 - std::pow(m[i], bands); },
                                  below.lo(), below.hi());
    if (record_floors) {
      if (static_cast<size_t>(r) >= false_positive_floor.size()) {
        false_positive_floor.resize(r + 1, 0.0);
      }
      false_positive_floor[r] = area;
    }
    return area;
  }
  double FalsePositiveFloor(int r) const {
    return static_cast<size_t>(r) < false_positive_floor.size() ? false_positive_floor[r] : 0.0;
  }
  double FalseNegative(int bands, int r) {
    const std::vector<double>& m = above.ForRows(r);
    return Integrate([&](int i, double) { return 1.0 - (1.0 - std::pow(m[i], bands)); },
                     above.lo(), above.hi());
  }
};

double SearchBand(const SearchKey& key, int bands, double bound, SearchAreas* areas,
                  LshParams* best) {
  double best_error = INFINITY;
  for (int r = 1; bands * r <= key.num_perm; ++r) {
    const LshParams p{bands, r};
    const double fn = key.fn_weight * areas->FalseNegative(bands, r);
    // Strictly above: a band whose error equals the bound (a tie, e.g. both
    // areas rounded to 0) must still be found, as the first of the ties wins.
    const double limit = std::min(bound, best_error) * (1 + kPruneMargin);
    if (fn > limit) break;
    // A smaller band count's false-positive area alone lifts this (b, r)
    // above the limit: it cannot win, and its own area is not needed
    // (~2/3 of the areas at the default threshold).
    if (fn + key.fp_weight * areas->FalsePositiveFloor(r) > limit) continue;
    const double err = key.fp_weight * areas->FalsePositive(bands, r) + fn;
    if (err < best_error) {
      best_error = err;
      *best = p;
    }
  }
  return best_error;
}

// The exhaustive search's choice in (b, r) order, without its cost: the
// most bands (nearly always the optimum) give a bound first, so every band
// stops after the few r that can still beat it.
LshParams SearchLshParams(const SearchKey& key) {
  const int bands_limit =
      key.max_bands > 0 ? std::min(key.max_bands, key.num_perm) : key.num_perm;
  SearchAreas areas(key.threshold);
  LshParams seed;
  const double bound = SearchBand(key, bands_limit, INFINITY, &areas, &seed);
  areas.record_floors = true;
  LshParams best;
  double best_error = INFINITY;
  for (int b = 1; b <= bands_limit; ++b) {
    LshParams p;
    const double err = SearchBand(key, b, std::min(bound, best_error), &areas, &p);
    if (err < best_error) {
      best_error = err;
      best = p;
    }
  }
  return best;
}

}  // namespace

double LshCandidateProbability(double s, const LshParams& p) {
  return 1.0 - std::pow(1.0 - std::pow(s, p.rows_per_band), p.num_bands);
}

double LshFalsePositiveArea(double t, const LshParams& p) {
  return Integrate([&](int, double s) { return LshCandidateProbability(s, p); }, 0.0, t);
}

double LshFalseNegativeArea(double t, const LshParams& p) {
  return Integrate([&](int, double s) { return 1.0 - LshCandidateProbability(s, p); }, t,
                   1.0);
}

absl::StatusOr<LshParams> OptimalLshParams(double threshold, int num_perm,
                                           double fp_weight, double fn_weight,
                                           int max_bands) {
  if (!(threshold > 0.0 && threshold < 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("LSH threshold %g is outside (0, 1)", threshold));
  }
  if (num_perm < 1 || num_perm > 4096) {
    return absl::InvalidArgumentError(
        absl::StrFormat("num_perm = %d is outside [1, 4096]", num_perm));
  }
  if (!(fp_weight >= 0 && fn_weight >= 0 && fp_weight + fn_weight > 0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "LSH weights (%g, %g) must be >= 0 with a positive sum", fp_weight, fn_weight));
  }
  const SearchKey key{threshold, num_perm, fp_weight, fn_weight, max_bands};
  static std::mutex mu;
  static SearchKey last_key;
  static LshParams last_best;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (last_key == key) return last_best;
  }
  const LshParams best = SearchLshParams(key);
  std::lock_guard<std::mutex> lock(mu);
  last_key = key;
  last_best = best;
  return best;
}

absl::Status ValidateLshParams(const LshParams& p, int num_perm) {
  if (p.num_bands < 1 || p.rows_per_band < 1 ||
      static_cast<int64_t>(p.num_bands) * p.rows_per_band > num_perm) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "LSH num_bands = %d, rows_per_band = %d: need both >= 1 and "
        "num_bands * rows_per_band = %d <= num_perm = %d",
        p.num_bands, p.rows_per_band,
        static_cast<int64_t>(p.num_bands) * p.rows_per_band, num_perm));
  }
  return absl::OkStatus();
}

}  // namespace storysift
