// Verified copy pairs of a whole corpus from its precomputed LSH band keys,
// without building an index: each band's (key, ordinal) list is radix-sorted,
// and the runs of equal keys are the band's buckets. Bands run in parallel;
// a pair sharing several bands is verified only in the first one, so no
// dedup pass is needed. The pairs are exactly those of querying an LshIndex
// with each document before adding it (FindVerifiedPairs), for any thread
// count: it replaces hash-map inserts (a cache miss each, 32 per document)
// with sequential passes.
#ifndef STORYSIFT_CLUSTER_BAND_PAIRS_H_
#define STORYSIFT_CLUSTER_BAND_PAIRS_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "storysift/copy_grouper.h"

namespace storysift::internal {

// Sorts values (key << 32 | ordinal) by key, stably: given in ordinal order,
// each run of one key comes out with its ordinals ascending. `scratch` is
// reused memory.
void SortByBandKey(std::vector<uint64_t>* values, std::vector<uint64_t>* scratch);

// REQUIRES: sketches.band_keys made for verifier.bands()
// (checked by FindVerifiedPairs). Sorted by (a, b). `beside`, when set, is
// serial work of the caller's (GroupCopies' PriorityOrder) run on the caller
// while the pool threads start on the bands, instead of alone before them.
std::vector<VerifiedPair> FindPairsByBandKeys(const SketchTable& sketches,
                                              const Verifier& verifier, int threads,
                                              const std::function<void()>& beside = {});

}  // namespace storysift::internal

#endif  // STORYSIFT_CLUSTER_BAND_PAIRS_H_
