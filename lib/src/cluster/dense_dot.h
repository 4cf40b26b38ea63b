// The dot of a sparse row against a dense array of weights by term id,
// summed in the row's order, bit for bit the same on every CPU.
#ifndef STORYSIFT_CLUSTER_DENSE_DOT_H_
#define STORYSIFT_CLUSTER_DENSE_DOT_H_

#include <cstddef>
#include <cstdint>

namespace storysift::internal {

// sum over k of dense[ids[k]] * weights[k], added in order k = 0, 1, ... to a
// float that starts at +0.0f. REQUIRES: every ids[k] indexes `dense`; finite
// weights.
using DenseDotFn = float (*)(const float* dense, const uint32_t* ids, const float* weights,
                             size_t n);

// The fastest kernel this CPU runs, chosen once per process. With AVX-512 the
// products are formed 16 at a time and only the nonzero ones are added: two
// rows share a few dozen of their hundreds of terms, and the in-order float
// sum (one add's latency per term) was the scalar loop's bound.
DenseDotFn ResolveDenseDot();

// The plain loop, every product added (the reference).
float DenseDotScalar(const float* dense, const uint32_t* ids, const float* weights, size_t n);

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_DENSE_DOT_H_
