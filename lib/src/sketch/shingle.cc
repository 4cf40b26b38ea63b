#include "storysift/shingle.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstring>
#include <string>

#include "absl/strings/str_format.h"
#include "sketch/count_distinct.h"
#include "sketch/sketch_kernels.h"
#include "text/cpu_features.h"
#include "text/lookalike.h"
#include "text/token_hash.h"  // Inline XXH3 (same values), also for 8k-byte shingles.

namespace storysift {
namespace {

// LookalikeTokenHash of every token of `text`, in order.
void LookalikeTokenHashes(const NormalizedText& text, std::vector<uint64_t>* out) {
  internal::LookalikeCacheSet* cache = internal::ThreadLookalikeCache();
  out->resize(text.tokens.size());
  uint64_t* hashes = out->data();
  const char* folded = text.folded.data();
  const Token* tokens = text.tokens.data();
  for (size_t i = 0, n = text.tokens.size(); i < n; ++i) {
    hashes[i] = internal::CachedLookalikeHash(tokens[i], folded, cache);
  }
}

}  // namespace

namespace internal {

// Folding and hashing every token again cost the shingle stage ~3x (#16);
// news vocabulary is Zipfian, so nearly every token is a recent word. The
// key is the token hash, which already stands for the token everywhere
// (shingles, stop words, terms). Set j starts with key j ^ 1 in both ways,
// a key that belongs to another set, so an empty entry never matches.
LookalikeCacheSet* ThreadLookalikeCache() {
  thread_local std::vector<LookalikeCacheSet> cache = [] {
    std::vector<LookalikeCacheSet> c(kLookalikeCacheSets);
    for (size_t j = 0; j < c.size(); ++j) c[j].way[0] = c[j].way[1] = {j ^ 1, 0};
    return c;
  }();
  return cache.data();
}

}  // namespace internal

uint64_t LookalikeTokenHash(std::string_view folded_token) {
  std::string f(folded_token);
  internal::MapLookalikes(f.data(), f.size());
  return XXH3_64bits_withSeed(f.data(), f.size(), kTokenHashSeed);
}

static_assert(std::endian::native == std::endian::little,
              "word shingles hash token hashes as little-endian bytes");

absl::Status ValidateShingleOptions(const ShingleOptions& options) {
  if (options.size < 1 || options.size > kMaxShingleSize) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "shingle size %d is outside [1, %d]", options.size, kMaxShingleSize));
  }
  if (options.kind != ShingleKind::kWord && options.kind != ShingleKind::kChar) {
    return absl::InvalidArgumentError("unknown shingle kind");
  }
  return absl::OkStatus();
}

void SortUnique(std::vector<uint64_t>* v) {
  const size_t n = v->size();
  if (n < 256) {
    std::sort(v->begin(), v->end());
  } else {
    // LSD radix sort, 8 passes of 8 bits: faster than std::sort on the few
    // hundred random 64-bit hashes of a news article (no mispredictions).
    static thread_local std::vector<uint64_t> tmp;
    tmp.resize(n);
    uint32_t count[8][256] = {};
    for (uint64_t x : *v) {
      for (int p = 0; p < 8; ++p) ++count[p][(x >> (8 * p)) & 0xFF];
    }
    uint64_t* src = v->data();
    uint64_t* dst = tmp.data();
    for (int pass = 0; pass < 8; ++pass) {
      uint32_t* c = count[pass];
      uint32_t sum = 0;
      for (int i = 0; i < 256; ++i) {
        uint32_t t = c[i];
        c[i] = sum;
        sum += t;
      }
      const int shift = 8 * pass;
      for (size_t i = 0; i < n; ++i) dst[c[(src[i] >> shift) & 0xFF]++] = src[i];
      std::swap(src, dst);
    }
    // An even number of passes: the sorted data is back in *v.
  }
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

void WordShingleSequence(absl::Span<const uint64_t> token_hashes, int k, uint64_t seed,
                         std::vector<uint64_t>* out) {
  assert(k >= 1 && k <= kMaxShingleSize);
  out->clear();
  const size_t n = token_hashes.size();
  if (n == 0) return;
  const size_t window = std::min<size_t>(k, n);
  out->resize(n - window + 1);
  uint64_t* w = out->data();
  for (size_t i = 0; i + window <= n; ++i) {
    w[i] = internal::WordShingleHash(token_hashes.data() + i, window, seed);
  }
}

void WordShingles(absl::Span<const uint64_t> token_hashes, int k, uint64_t seed,
                  std::vector<uint64_t>* out) {
  WordShingleSequence(token_hashes, k, seed, out);
  SortUnique(out);
}

void CharShingleSequence(std::string_view folded, int n, uint64_t seed,
                         std::vector<uint64_t>* out) {
  assert(n >= 1 && n <= kMaxShingleSize);
  out->clear();
  if (folded.empty()) return;
  // Offsets of code-point starts (bytes that are not UTF-8 continuations),
  // kept in a ring of n + 1 so no per-document offset array is needed.
  uint32_t ring[kMaxShingleSize + 1];
  size_t seen = 0;
  const size_t len = folded.size();
  for (size_t i = 0; i <= len; ++i) {
    if (i < len && (static_cast<unsigned char>(folded[i]) & 0xC0) == 0x80) continue;
    ring[seen % (n + 1)] = static_cast<uint32_t>(i);
    ++seen;
    if (seen > static_cast<size_t>(n)) {
      uint32_t begin = ring[(seen - 1 - n) % (n + 1)];
      out->push_back(XXH3_64bits_withSeed(folded.data() + begin, i - begin, seed));
    }
  }
  if (out->empty()) {  // Fewer than n code points: one shingle of them all.
    out->push_back(XXH3_64bits_withSeed(folded.data(), len, seed));
  }
}

void CharShingles(std::string_view folded, int n, uint64_t seed,
                  std::vector<uint64_t>* out) {
  CharShingleSequence(folded, n, seed, out);
  SortUnique(out);
}

void ComputeShingleSequence(const NormalizedText& text, const ShingleOptions& options,
                            std::vector<uint64_t>* out, std::vector<uint64_t>* scratch) {
  assert(text.token_hash == TokenHashKind::kFolded ||
         (options.kind == ShingleKind::kWord && options.fold_lookalikes));
  if (options.kind == ShingleKind::kChar) {
    CharShingleSequence(text.folded, options.size, options.seed, out);
    return;
  }
  // Look-alike token hashes are what the fold would make of them.
  if (options.fold_lookalikes && text.token_hash == TokenHashKind::kFolded) {
    LookalikeTokenHashes(text, scratch);
  } else {
    scratch->resize(text.tokens.size());
    for (size_t i = 0; i < text.tokens.size(); ++i) (*scratch)[i] = text.tokens[i].hash;
  }
  WordShingleSequence(*scratch, options.size, options.seed, out);
}

void ComputeShingles(const NormalizedText& text, const ShingleOptions& options,
                     std::vector<uint64_t>* out, std::vector<uint64_t>* scratch) {
  ComputeShingleSequence(text, options, out, scratch);
  SortUnique(out);
}

size_t CountDistinct(absl::Span<const uint64_t> values, std::vector<uint64_t>* table) {
  if (values.size() < 2) return values.size();
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
  if (internal::CpuHasAvx512()) return internal::CountDistinctAvx512(values, table);
#endif
  return internal::CountDistinctTable(values, table);
}

}  // namespace storysift
