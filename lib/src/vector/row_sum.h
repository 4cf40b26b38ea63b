// The sum of several sparse rows (a story's centroid), one kernel for the
// story labels, headlines and splits.
#ifndef STORYSIFT_VECTOR_ROW_SUM_H_
#define STORYSIFT_VECTOR_ROW_SUM_H_

#include "absl/types/span.h"
#include "storysift/tfidf.h"

namespace storysift::internal {

// Writes the sum of `rows` to *out, ids ascending. REQUIRES: each row's ids
// sorted ascending and distinct. Each id's weights are added in ascending
// order of weight: the order the sums had when they came from a std::sort
// of all (id, weight) pairs, which a centroid's float bits depend on. The
// rows are already sorted runs, so they are merged (n log(rows)) instead.
void SumRows(absl::Span<const SparseVectorView> rows, SparseVector* out);

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_ROW_SUM_H_
