// Banding parameters for MinHash LSH (Indyk and Motwani, STOC 1998; Broder
// 1997; Leskovec, Rajaraman, Ullman, MMDS ch. 3.4). With b bands of r rows,
// two documents of Jaccard s become candidates with probability
// P(s) = 1 - (1 - s^r)^b (the "S-curve").
//
// Thread safety: pure functions.
#ifndef STORYSIFT_LSH_PARAMS_H_
#define STORYSIFT_LSH_PARAMS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storysift {

struct LshParams {
  int num_bands = 0;
  int rows_per_band = 0;
};

// P(s) = 1 - (1 - s^r)^b.
double LshCandidateProbability(double s, const LshParams& params);

// Integral of P(s) over [0, t]: the false-positive area.
double LshFalsePositiveArea(double threshold, const LshParams& params);
// Integral of 1 - P(s) over [t, 1]: the false-negative area.
double LshFalseNegativeArea(double threshold, const LshParams& params);

// Returns the (b, r) with b * r <= num_perm minimising
// fp_weight * FalsePositiveArea + fn_weight * FalseNegativeArea, as
// datasketch's MinHashLSH does (weights 0.5/0.5 by default). Ties go to the
// smaller b, then the smaller r. max_bands > 0 also bounds b (the bytes of
// band keys a document keeps). InvalidArgument unless 0 < threshold < 1,
// 1 <= num_perm <= 4096, weights >= 0 and sum to > 0.
absl::StatusOr<LshParams> OptimalLshParams(double threshold, int num_perm,
                                           double fp_weight = 0.5,
                                           double fn_weight = 0.5, int max_bands = 0);

// For user-given parameters: InvalidArgument unless b >= 1, r >= 1 and
// b * r <= num_perm (the message names all three).
absl::Status ValidateLshParams(const LshParams& params, int num_perm);

}  // namespace storysift

#endif  // STORYSIFT_LSH_PARAMS_H_
