// TF-IDF weighting: the one kernel of the batch TfidfVectorizer::Build, the
// streaming StoryAssigner and IdfModel, so that a term gets the same weight
// in every mode (the design: batch is not a second implementation).
#ifndef STORYSIFT_VECTOR_TFIDF_WEIGHTING_H_
#define STORYSIFT_VECTOR_TFIDF_WEIGHTING_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "storysift/tfidf.h"

namespace storysift::internal {

// ln((1 + n_docs) / (1 + df)) + 1: the smoothed idf of scikit-learn's
// TfidfVectorizer (smooth_idf=True). At least 1, so a term in every
// document still counts.
double SmoothedIdf(double n_docs, double df);

// The idf factor of the weights: SmoothedIdf(n_docs, df)^options.idf_power.
float IdfWeight(const TfidfOptions& options, double n_docs, double df);

// 1 + ln(tf), for tf > 1 (results cached per thread).
float SublinearTf(float tf);

// A term's weight before normalisation: tf' * idf, where tf' = 1 + ln(tf)
// with options.sublinear_tf (for tf >= 1), else tf. Inline: Build() calls
// it for every term use, and most (tf 1) need no more than this.
inline float TermWeight(const TfidfOptions& options, float tf, float idf) {
  const float tfw = options.sublinear_tf && tf > 1.0f ? SublinearTf(tf) : tf;
  return tfw * idf;
}

// Finishes one document's row of n term weights held in ascending id order:
// keeps the options.max_terms_per_doc heaviest (ties: the smaller id; 0
// keeps all), still in id order, and scales them to unit L2 norm (summed
// in double, in order). Returns the row's new length. `order` is scratch
// space, reused across calls.
size_t FinishRow(const TfidfOptions& options, uint32_t* ids, float* weights, size_t n,
                 std::vector<uint32_t>* order);

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_TFIDF_WEIGHTING_H_
