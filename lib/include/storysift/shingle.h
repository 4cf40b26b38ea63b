// Shingling: turns a normalized document into the set of hashed k-grams that
// MinHash and exact Jaccard work on (Broder, "On the resemblance and
// containment of documents", 1997).
//
// Stable format (changing any of this changes every signature):
//  * Word shingle i = XXH3_64bits_withSeed(bytes, 8 * k, seed) where `bytes`
//    are token hashes i..i+k-1 written as 8-byte little-endian integers.
//  * With fold_lookalikes, word shingles hash LookalikeTokenHash values of
//    the tokens instead of Token::hash (see below).
//  * Character shingle = XXH3_64bits_withSeed(UTF-8 bytes of n consecutive
//    code points of NormalizedText::folded (spaces included), seed).
//  * A document with fewer than k tokens (n code points) but at least one gives
//    one shingle over all of them; an empty document gives the empty set.
// The *Shingles functions return a set: sorted ascending, no duplicates.
//
// Thread safety: free functions with no shared state.
#ifndef STORYSIFT_SHINGLE_H_
#define STORYSIFT_SHINGLE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "storysift/normalize.h"

namespace storysift {

// Word 3-grams for near-duplicate detection: with 5-grams a copy with 5-10%
// of its words edited keeps Jaccard 0.4-0.6 and is lost at any threshold
// that keeps short template notices apart; with 3-grams it keeps 0.6-0.8.
// Measured in docs/quality.md (bench/quality/run_quality.sh).
inline constexpr int kDefaultWordShingleSize = 3;
// 9 characters: the size Leskovec, Rajaraman and Ullman (Mining of Massive
// Datasets, ch. 3.2.2) suggest for documents the length of news articles.
inline constexpr int kDefaultCharShingleSize = 9;
inline constexpr uint64_t kDefaultShingleSeed = 0x53484E474C453031ull;  // "SHNGLE01"
inline constexpr int kMaxShingleSize = 64;

enum class ShingleKind : uint8_t { kWord = 1, kChar = 2 };

struct ShingleOptions {
  ShingleKind kind = ShingleKind::kWord;
  int size = kDefaultWordShingleSize;  // k words or n code points.
  uint64_t seed = kDefaultShingleSeed;
  // kWord: fold OCR look-alike characters in each token before hashing it,
  // so a scanned copy's "ln 1987 thc C0mpany" reads as the original's "in
  // 1987 the company". Off here; on for dedup sketches (sketcher.h).
  bool fold_lookalikes = false;
};

// The token hash after folding OCR look-alikes: in the folded (lowercase)
// token, o->0, i and l->1, z->2, s->5, b and h->8, e->c, m->n, v->u, i.e.
// the classes {0 o} {1 i l} {2 z} {5 s} {8 b h} {c e} {m n} {u v} of the
// common single-character OCR confusions (Rice, Jenkins and Nartker, "The
// fifth annual test of OCR accuracy", 1996; the Unicode confusables of UTS
// #39). A class with a digit folds to it, so numbers are unchanged: "16" and
// "18" stay apart. Other bytes (UTF-8 included) are kept. The value is
// XXH3_64bits_withSeed(folded bytes, kTokenHashSeed).
uint64_t LookalikeTokenHash(std::string_view folded_token);

// Returns InvalidArgument unless 1 <= size <= kMaxShingleSize.
absl::Status ValidateShingleOptions(const ShingleOptions& options);

// Replaces *out with the word k-shingle set of `token_hashes`.
// REQUIRES: 1 <= k <= kMaxShingleSize.
void WordShingles(absl::Span<const uint64_t> token_hashes, int k, uint64_t seed,
                  std::vector<uint64_t>* out);

// Replaces *out with the set of n-code-point shingles of `folded` (UTF-8).
// REQUIRES: 1 <= n <= kMaxShingleSize.
void CharShingles(std::string_view folded, int n, uint64_t seed,
                  std::vector<uint64_t>* out);

// Replaces *out with the shingle set of `text` as `options` says. `scratch`
// is reused working memory (token hashes gathered contiguously).
// REQUIRES: ValidateShingleOptions(options).ok(); text.token_hash is kFolded
// unless `options` are look-alike folded word shingles.
void ComputeShingles(const NormalizedText& text, const ShingleOptions& options,
                     std::vector<uint64_t>* out, std::vector<uint64_t>* scratch);

// The same shingles in document order with repeats kept: all MinHash needs
// (a minimum ignores repeats), without the sort. Same REQUIRES as above.
void WordShingleSequence(absl::Span<const uint64_t> token_hashes, int k, uint64_t seed,
                         std::vector<uint64_t>* out);
void CharShingleSequence(std::string_view folded, int n, uint64_t seed,
                         std::vector<uint64_t>* out);
void ComputeShingleSequence(const NormalizedText& text, const ShingleOptions& options,
                            std::vector<uint64_t>* out, std::vector<uint64_t>* scratch);

// Number of distinct values, i.e. the size of the set SortUnique would leave,
// by hashing into `table` (reused working memory): several times cheaper than
// sorting a few hundred values.
size_t CountDistinct(absl::Span<const uint64_t> values, std::vector<uint64_t>* table);

// Sorts *v ascending and removes duplicates (radix sort for large inputs).
void SortUnique(std::vector<uint64_t>* v);

}  // namespace storysift

#endif  // STORYSIFT_SHINGLE_H_
