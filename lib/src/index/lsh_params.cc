#include "storysift/lsh_params.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"

namespace storysift {
namespace {

// Composite Simpson's rule; P is smooth, and 256 intervals bound the error
// far below the differences between neighbouring (b, r).
template <typename F>
double Integrate(F f, double lo, double hi) {
  constexpr int kIntervals = 256;
  const double h = (hi - lo) / kIntervals;
  double sum = f(lo) + f(hi);
  for (int i = 1; i < kIntervals; ++i) sum += f(lo + i * h) * ((i & 1) ? 4.0 : 2.0);
  return sum * h / 3.0;
}

}  // namespace

double LshCandidateProbability(double s, const LshParams& p) {
  return 1.0 - std::pow(1.0 - std::pow(s, p.rows_per_band), p.num_bands);
}

double LshFalsePositiveArea(double t, const LshParams& p) {
  return Integrate([&](double s) { return LshCandidateProbability(s, p); }, 0.0, t);
}

double LshFalseNegativeArea(double t, const LshParams& p) {
  return Integrate([&](double s) { return 1.0 - LshCandidateProbability(s, p); }, t,
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
  LshParams best;
  double best_error = INFINITY;
  const int bands_limit = max_bands > 0 ? std::min(max_bands, num_perm) : num_perm;
  for (int b = 1; b <= bands_limit; ++b) {
    for (int r = 1; b * r <= num_perm; ++r) {
      LshParams p{b, r};
      double err = fp_weight * LshFalsePositiveArea(threshold, p) +
                   fn_weight * LshFalseNegativeArea(threshold, p);
      if (err < best_error) {
        best_error = err;
        best = p;
      }
    }
  }
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
