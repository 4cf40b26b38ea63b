// Near-duplicate grouping of a corpus sketched in shards that live on
// different machines (the Python package's Dask mode): the kernels of each
// step, so a distributed run gives exactly the pairs and groups of batch
// `dedup` (FindVerifiedPairs + GroupVerifiedPairs) on the same corpus.
//
//   1. each shard is read and sketched by LoadCorpus (compact: b-bit rows,
//      32-bit band keys), its documents numbered by a global ordinal
//      (shard order, then position: input order);
//   2. ShardBandPostings turns a shard into (band << 32 | key, ordinal)
//      postings; BandKeyBuckets spreads them over the shuffle's buckets;
//   3. per bucket, PairsSharingKey gives the candidate pairs (every pair
//      sharing a band key: the batch candidates);
//   4. VerifyShardPairs checks candidates whose rows lie in two shards with
//      Verifier::Compare, the batch rule;
//   5. the verified pairs of all buckets, sorted and deduplicated, go to
//      GroupVerifiedPairs with PriorityOrder over the global ordinals.
//
// Only kMinHash sketches with estimated verification (no exact shingle
// sets) and the non-chaining grouping are distributable: components mode
// recomputes similarities to representatives from any two rows.
// Thread safety: plain functions, reentrant.
#ifndef STORYSIFT_SHARDED_DEDUP_H_
#define STORYSIFT_SHARDED_DEDUP_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "storysift/copy_grouper.h"

namespace storysift {

// Appends the postings of a shard whose table holds band keys (LoadCorpus
// with a verifier): for each document d not sketched from an empty set
// (never bucketed, as in LshIndex) and each band i, key
// i << 32 | band_keys[d][i] and ordinal first_ordinal + d.
void ShardBandPostings(const SketchTable& shard, uint64_t first_ordinal,
                       std::vector<uint64_t>* keys, std::vector<uint64_t>* ordinals);

// The shuffle bucket (0 .. num_buckets - 1) of each key: a fixed mix
// (Mix64), so every worker sends a key to the same bucket.
// REQUIRES: num_buckets > 0, out.size() == keys.size().
void BandKeyBuckets(absl::Span<const uint64_t> keys, uint32_t num_buckets,
                    absl::Span<uint32_t> out);

// Every pair (a, b), a < b, of ordinals posted under one key, sorted and
// unique (a pair sharing several bands appears once).
// REQUIRES: keys.size() == ordinals.size().
std::vector<std::pair<uint64_t, uint64_t>> PairsSharingKey(absl::Span<const uint64_t> keys,
                                                           absl::Span<const uint64_t> ordinals);

// Verifies candidate i, the document in row rows_a[i] of `a` against the one
// in row rows_b[i] of `b` (a may be b), with the batch rule (Verifier::Compare
// with the lower global ordinal first: the caller orders each pair so).
// Fills passes[i] and similarity[i]. REQUIRES: equal sizes; rows in range;
// both tables made with the same sketch options, with set sizes.
void VerifyShardPairs(const SketchTable& a, const SketchTable& b,
                      absl::Span<const uint32_t> rows_a, absl::Span<const uint32_t> rows_b,
                      const Verifier& verifier, absl::Span<uint8_t> passes,
                      absl::Span<double> similarity);

}  // namespace storysift

#endif  // STORYSIFT_SHARDED_DEDUP_H_
