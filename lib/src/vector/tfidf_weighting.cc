#include "vector/tfidf_weighting.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cmath>
#include <numeric>

namespace storysift::internal {
void ScaleToUnitNorm(float* w, size_t n) {
  double norm2 = 0.0;
  for (size_t k = 0; k < n; ++k) norm2 += double{w[k]} * w[k];
  const float inv = norm2 > 0 ? static_cast<float>(1.0 / std::sqrt(norm2)) : 0.0f;
  for (size_t k = 0; k < n; ++k) w[k] *= inv;
}

double SmoothedIdf(double n_docs, double df) {
  return std::log((1.0 + n_docs) / (1.0 + df)) + 1.0;
}

float IdfWeight(const TfidfOptions& options, double n_docs, double df) {
  const double idf = SmoothedIdf(n_docs, df);
  return static_cast<float>(options.idf_power == 1.0f ? idf : std::pow(idf, options.idf_power));
}

// tf 1 (most terms of a document) is 1 + log(1) = 1 exactly.
float SublinearTfUncached(float tf) { return tf > 1.0f ? 1.0f + std::log(tf) : tf; }

size_t FinishRow(const TfidfOptions& options, uint32_t* ids, float* weights, size_t n,
                 std::vector<uint32_t>* order) {
  const size_t keep = options.max_terms_per_doc;
  if (keep > 0 && n > keep) {
    // Positions in an id-ordered row rank ties as ids do.
    order->resize(n);
    std::iota(order->begin(), order->end(), 0u);
    std::nth_element(order->begin(), order->begin() + keep, order->end(),
                     [weights](uint32_t a, uint32_t b) {
                       return weights[a] != weights[b] ? weights[a] > weights[b] : a < b;
                     });
    order->resize(keep);
    std::sort(order->begin(), order->end());  // Back to id order.
    for (size_t k = 0; k < keep; ++k) {
      ids[k] = ids[(*order)[k]];
      weights[k] = weights[(*order)[k]];
    }
    n = keep;
  }
  ScaleToUnitNorm(weights, n);
  return n;
}

}  // namespace storysift::internal
