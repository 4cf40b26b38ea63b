// The Deduplicator index file, version 4 (all integers little-endian), in
// the section container of section_file.h with magic "STSFTIDX" and 2
// sections:
//
// Section 1, OPTIONS: u8 sketch kind, u8 shingle kind, u32 shingle size,
//   u64 shingle seed, u8 MinHash scheme, u32 num_perm, u64 MinHash seed,
//   u32 SimHash feature words, u64 SimHash seed, u64 token hash seed,
//   u64 LSH band seed, f64 Jaccard threshold, i32 max Hamming, i32 LSH bands,
//   i32 LSH rows, i32 SimHash blocks, f64 containment threshold,
//   u32 min containment shingles, u8 markup, u8 drop boilerplate, u8 stem,
//   i64 retention seconds, u8 verify bits (8, 16, 32; absent in version 1),
//   then (version 3) u8 fold look-alikes, f64 short-pair Jaccard threshold,
//   u32 short-pair shingles (older files: no folding, no short-pair rule).
// Section 2, DOCUMENTS: u64 next arrival number, u8 has newest, i64 newest
//   publication time, u64 count, then per document in arrival order:
//   u64 arrival number, u32 id length, id bytes, u8 has published,
//   i64 published, u32 representative (index in this list; itself for a
//   representative), f64 similarity, then for MinHash num_perm * bits / 8
//   bytes of b-bit verification row (bbit_minhash.h), LSH bands u32 band
//   keys (low 32 bits of the band hashes) and a u32 shingle-set size
//   (0: unknown), or one u64 SimHash fingerprint; then (version 4) i64 the
//   time the retention counts it at (its publication time, or the earlier
//   clock it arrived at when that date was not credible; 0 when undated)
//   and u64 its content hash (DocumentContentHash; 0: unknown). Older files:
//   counted at the publication time, hash unknown.
// Version 1 stored num_perm u32 full MinHash slots in place of row and keys;
// such files still load (rows and keys are derived on load).
//
// Band tables are not stored: Load re-adds the representatives from their
// stored band keys.
#ifndef STORYSIFT_STREAM_INDEX_FORMAT_H_
#define STORYSIFT_STREAM_INDEX_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "stream/section_file.h"

namespace storysift::internal {

inline constexpr char kIndexMagic[8] = {'S', 'T', 'S', 'F', 'T', 'I', 'D', 'X'};
inline constexpr uint32_t kOptionsSection = 1;
inline constexpr uint32_t kDocumentsSection = 2;

// For the fuzzer: returns `bytes` with every section checksum that lies
// within the input recomputed, so mutations reach the parser behind it.
std::string FixIndexChecksums(std::string_view bytes);

}  // namespace storysift::internal

#endif  // STORYSIFT_STREAM_INDEX_FORMAT_H_
