// The per-token and per-shingle steps of MinHash sketching, inline: the
// separate passes (LookalikeTokenHashes, WordShingleSequence,
// MinHasher::ComputeOnePermutation) and the fused pass of Sketcher::Compute
// are built from these, so both give the same values by construction.
#ifndef STORYSIFT_SKETCH_SKETCH_KERNELS_H_
#define STORYSIFT_SKETCH_SKETCH_KERNELS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"
#include "storysift/minhash.h"
#include "storysift/normalize.h"
#include "text/lookalike.h"  // FoldAndHash
#include "text/token_hash.h"  // Inline XXH3 (same values).

namespace storysift::internal {

// --- Look-alike token hashes -------------------------------------------------

struct LookalikeCacheEntry {
  uint64_t token_hash;
  uint64_t lookalike_hash;
};

// Two entries of the cache, the most recently used first, in one 32-byte
// aligned block (half a cache line).
struct alignas(32) LookalikeCacheSet {
  LookalikeCacheEntry way[2];
};

// Power of two. 16k sets of two (512 KB a thread) hold a day's news
// vocabulary; on 60k Reuters documents a direct-mapped 2k and 8k entries
// left the fold 1.6x and 1.1x as costly as 32k, most of it in misses. Two
// ways: a direct-mapped 32k missed on 6.4 % of the tokens of 3k documents
// (106k misses), many of them two common words taking turns in one slot.
inline constexpr size_t kLookalikeCacheSets = 16384;

// This thread's two-way set-associative cache from Token::hash to the
// token's look-alike hash (see shingle.cc).
LookalikeCacheSet* ThreadLookalikeCache();

// LookalikeTokenHash of `token` (whose folded form is in `folded`), through
// the cache: nearly every token of news text is a recent word. A hit in the
// second way moves it first; a miss evicts the second way (least recently
// used).
inline uint64_t CachedLookalikeHash(const Token& token, const char* folded,
                                    LookalikeCacheSet* cache) {
  LookalikeCacheSet& set = cache[token.hash & (kLookalikeCacheSets - 1)];
  if (set.way[0].token_hash == token.hash) return set.way[0].lookalike_hash;
  const LookalikeCacheEntry first = set.way[0];
  if (set.way[1].token_hash == token.hash) {
    set.way[0] = set.way[1];
  } else {
    set.way[0] = {token.hash,
                  FoldAndHash(folded + token.folded_begin, token.folded_length)};
  }
  set.way[1] = first;
  return set.way[0].lookalike_hash;
}

// Starts loading the cache set of `token` (a prefetch: no fault, no effect
// on values).
inline void PrefetchLookalikeEntry(const Token& token, const LookalikeCacheSet* cache) {
  __builtin_prefetch(cache + (token.hash & (kLookalikeCacheSets - 1)));
}

// --- Word shingles -----------------------------------------------------------

// The shingle of three token hashes held in registers:
// XXH3_64bits_withSeed of their 24 little-endian bytes, XXH3's 17-128 byte
// form written out. Hashing them from memory right after storing them made
// the CPU hold every later load behind the MinHash bin stores.
inline uint64_t WordShingleHash3(uint64_t a, uint64_t b, uint64_t c, uint64_t seed) {
  const xxh_u8* secret = XXH3_kSecret;
  uint64_t acc = 24 * XXH_PRIME64_1;
  acc += XXH3_mul128_fold64(a ^ (XXH_readLE64(secret) + seed),
                            b ^ (XXH_readLE64(secret + 8) - seed));
  acc += XXH3_mul128_fold64(b ^ (XXH_readLE64(secret + 16) + seed),
                            c ^ (XXH_readLE64(secret + 24) - seed));
  return XXH3_avalanche(acc);
}

// The shingle of `window` consecutive token hashes.
inline uint64_t WordShingleHash(const uint64_t* token_hashes, size_t window, uint64_t seed) {
  if (window == 3) return WordShingleHash3(token_hashes[0], token_hashes[1], token_hashes[2], seed);
  return XXH3_64bits_withSeed(token_hashes, 8 * window, seed);
}

// --- One-permutation MinHash -------------------------------------------------

// A bin not yet filled. Filled bins hold the value with bit 32 set, so a
// value equal to kEmptySlot is not mistaken for an empty bin.
inline constexpr uint64_t kUnsetBin = ~uint64_t{0};
// Signatures up to this many slots keep their bins on the stack.
inline constexpr uint64_t kMaxStackBins = 512;

// Keeps the value of g (its low 32 bits, bit 32 set) in `bin` if smaller.
inline void MinIntoBin(uint64_t g, uint64_t bin, uint64_t* bins) {
  const uint64_t v = (g & 0xFFFFFFFFull) | (uint64_t{1} << 32);
  bins[bin] = std::min(bins[bin], v);
}

// Adds one shingle to the K = num_bins bins: binned by the high bits of
// Mix64(shingle ^ seed) (multiply-shift), value = its low 32 bits.
inline void AddToBins(uint64_t shingle, uint64_t seed, uint64_t num_bins, uint64_t* bins) {
  const uint64_t g = Mix64(shingle ^ seed);
  MinIntoBin(g, static_cast<uint64_t>((static_cast<unsigned __int128>(g) * num_bins) >> 64), bins);
}

// AddToBins for num_bins = 2^(64 - shift), 2 <= num_bins: the same bin (the
// high bits of g * 2^j are g's top j bits) by a shift.
inline void AddToBinsByShift(uint64_t shingle, uint64_t seed, int shift, uint64_t* bins) {
  const uint64_t g = Mix64(shingle ^ seed);
  MinIntoBin(g, g >> shift, bins);
}

// Writes the signature of the filled bins to `out` (out.size() bins), empty
// bins densified (minhash.cc). REQUIRES: at least one bin filled.
void DensifyBins(const uint64_t* bins, uint64_t seed, absl::Span<uint32_t> out);

}  // namespace storysift::internal

#endif  // STORYSIFT_SKETCH_SKETCH_KERNELS_H_
