// TF-IDF weighting: the one kernel of the batch TfidfVectorizer::Build, the
// streaming StoryAssigner and IdfModel, so that a term gets the same weight
// in every mode (the design: batch is not a second implementation).
#ifndef STORYSIFT_VECTOR_TFIDF_WEIGHTING_H_
#define STORYSIFT_VECTOR_TFIDF_WEIGHTING_H_

#include <array>
#include <bit>
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

// The sublinear tf: 1 + ln(tf) for tf > 1, else tf.
float SublinearTfUncached(float tf);

// SublinearTfUncached(tf) through a small per-thread cache keyed by tf's
// bits. A document's tf values are sums of a few weights (1, names, title,
// table words), so most repeat and nearly every lookup hits: it replaced a
// branch on tf > 1 that mispredicted at about every third term.
inline float SublinearTf(float tf) {
  constexpr int kCacheBits = 6;
  struct Entry {
    uint32_t tf_bits = 0;  // tf +0.0f, whose value 0 is right as it is.
    float value = 0.0f;
  };
  thread_local std::array<Entry, size_t{1} << kCacheBits> cache;
  const uint32_t bits = std::bit_cast<uint32_t>(tf);
  Entry& e = cache[(bits * 0x9E3779B1u) >> (32 - kCacheBits)];
  if (e.tf_bits != bits) [[unlikely]] e = {bits, SublinearTfUncached(tf)};
  return e.value;
}

// A term's weight before normalisation: tf' * idf, where tf' = 1 + ln(tf)
// with options.sublinear_tf (for tf >= 1), else tf. Inline: Build() calls
// it for every term use.
inline float TermWeight(const TfidfOptions& options, float tf, float idf) {
  return (options.sublinear_tf ? SublinearTf(tf) : tf) * idf;
}

// Scales n weights to unit L2 norm (summed in double, in order); all-zero
// weights stay zero.
void ScaleToUnitNorm(float* w, size_t n);

// Finishes one document's row of n term weights held in ascending id order:
// keeps the options.max_terms_per_doc heaviest (ties: the smaller id; 0
// keeps all), still in id order, and scales them to unit L2 norm (summed
// in double, in order). Returns the row's new length. `order` is scratch
// space, reused across calls.
size_t FinishRow(const TfidfOptions& options, uint32_t* ids, float* weights, size_t n,
                 std::vector<uint32_t>* order);

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_TFIDF_WEIGHTING_H_
