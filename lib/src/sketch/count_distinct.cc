#include "sketch/count_distinct.h"

#include <cstring>

namespace storysift::internal {

size_t CountDistinctTable(absl::Span<const uint64_t> values, std::vector<uint64_t>* table) {
  if (values.size() < 2) return values.size();
  // Open addressing, linear probing, at most 1/3 full: a probe that finds
  // its first slot taken is an unpredictable branch, which cost more than
  // clearing a table twice the size (BM_DedupSketch +25 % over 2/3 full).
  // Shingles are XXH3 values, so their top bits are a uniform slot; 0 marks
  // an empty slot and is counted on the side. Locals, not an object's
  // members: the slot stores could alias those and kept them in memory.
  int bits = 4;
  while ((size_t{1} << bits) < 3 * values.size()) ++bits;
  const size_t mask = (size_t{1} << bits) - 1;
  table->assign(mask + 1, 0);
  uint64_t* slots = table->data();
  size_t distinct = 0;
  bool zero = false;
  for (uint64_t v : values) {
    if (v == 0) {
      zero = true;
      continue;
    }
    size_t i = static_cast<size_t>(v >> (64 - bits));
    while (slots[i] != 0 && slots[i] != v) i = (i + 1) & mask;
    if (slots[i] == 0) {
      slots[i] = v;
      ++distinct;
    }
  }
  return distinct + (zero ? 1 : 0);
}

#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
namespace {

// A bucket is one 64-byte line of eight values; the top bits of a value (an
// XXH3 hash) pick its bucket. About two values a bucket: half the table of
// one a bucket (32 bytes a value): BM_CountDistinct ~-3 %, c20k `dedup
// --threads 2` ~0.98x CPU (no change at one thread). A value whose bucket
// is full goes on to the next one (Poisson(2) > 8: about 2e-4 a bucket).
constexpr size_t kBucketValues = 8;
constexpr size_t kMeanBucketLoad = 2;
constexpr int kMinBucketBits = 2;

}  // namespace

__attribute__((target(STORYSIFT_AVX512_TARGET))) size_t CountDistinctAvx512(
    absl::Span<const uint64_t> values, std::vector<uint64_t>* table) {
  if (values.size() < 2) return values.size();
  int bits = kMinBucketBits;
  while ((size_t{1} << bits) * kMeanBucketLoad < values.size()) ++bits;
  const size_t buckets = size_t{1} << bits;
  const size_t last_bucket = buckets - 1;
  // The values' slots, then a count byte a bucket; only the counts are
  // cleared: a compare reads only a bucket's filled slots.
  const size_t count_words = (buckets + 7) / 8;
  table->resize(buckets * kBucketValues + count_words + kBucketValues);
  uint64_t* slots = table->data();
  // 64-byte aligned bucket loads.
  while (reinterpret_cast<uintptr_t>(slots) % 64 != 0) ++slots;
  auto* counts = reinterpret_cast<uint8_t*>(slots + buckets * kBucketValues);
  std::memset(counts, 0, buckets);
  size_t distinct = 0;
  for (const uint64_t v : values) {
    const __m512i wanted = Set1(v);
    // A value lies in the first bucket from its own that was not full when
    // it came, and buckets only fill, so the search ends at one not full
    // (there are four times as many slots as values).
    for (size_t b = static_cast<size_t>(v >> (64 - bits));; b = (b + 1) & last_bucket) {
      const unsigned filled = counts[b];
      const __mmask8 occupied = static_cast<__mmask8>((1u << filled) - 1);
      const __m512i bucket = _mm512_load_si512(slots + b * kBucketValues);
      if (_mm512_mask_cmpeq_epi64_mask(occupied, bucket, wanted) != 0) break;  // Seen.
      if (filled == kBucketValues) [[unlikely]] continue;
      slots[b * kBucketValues + filled] = v;
      counts[b] = static_cast<uint8_t>(filled + 1);
      ++distinct;
      break;
    }
  }
  return distinct;
}
#endif

}  // namespace storysift::internal
