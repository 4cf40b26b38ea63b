// The interface shared by the near-duplicate candidate indexes (LshIndex over
// MinHash signatures, SimHashIndex over SimHash fingerprints). Indexes are
// incremental: Add, Query and Remove may interleave (streaming), with no build
// step.
//
// Thread safety: const methods (Query, size, MemoryUsage) may run concurrently
// with each other; Add and Remove need exclusive access.
#ifndef STORYSIFT_CANDIDATE_INDEX_H_
#define STORYSIFT_CANDIDATE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "storysift/document.h"
#include "storysift/sketch_table.h"  // SketchView.

namespace storysift {

class CandidateIndex {
 public:
  virtual ~CandidateIndex() = default;

  // Adds document `ordinal`. InvalidArgument for a sketch the index cannot use
  // (wrong signature length) or an ordinal already present.
  virtual absl::Status Add(DocOrdinal ordinal, const SketchView& sketch) = 0;

  // Clears *out, then fills it with the ordinals of indexed documents that are
  // candidates for `sketch`, sorted ascending and unique. A document equal to
  // the query is returned too if present (callers skip their own ordinal).
  // InvalidArgument for a sketch the index cannot use.
  virtual absl::Status Query(const SketchView& sketch,
                             std::vector<DocOrdinal>* out) const = 0;

  // Removes document `ordinal`, added with this same sketch. NotFound if
  // absent; InvalidArgument if the sketch is not the one it was added with.
  // On error the index is unchanged.
  virtual absl::Status Remove(DocOrdinal ordinal, const SketchView& sketch) = 0;

  // Number of documents present.
  virtual size_t size() const = 0;

  // Heap bytes held by the index (tables, side lists, bookkeeping), counted
  // from container capacities.
  virtual size_t MemoryUsage() const = 0;
};

}  // namespace storysift

#endif  // STORYSIFT_CANDIDATE_INDEX_H_
