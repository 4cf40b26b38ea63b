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

// A bucket is one 64-byte line of eight values; there are at least as many
// buckets as values (the top bits of a value, an XXH3 hash, pick its
// bucket), so a bucket holds about one value and more than eight almost
// never (Poisson(1) > 8: about 1e-6 a bucket).
constexpr size_t kBucketValues = 8;
constexpr int kMinBucketBits = 4;

}  // namespace

__attribute__((target(STORYSIFT_AVX512_TARGET))) std::optional<size_t> CountDistinctAvx512(
    absl::Span<const uint64_t> values, std::vector<uint64_t>* table) {
  if (values.size() < 2) return values.size();
  int bits = kMinBucketBits;
  while ((size_t{1} << bits) < values.size()) ++bits;
  const size_t buckets = size_t{1} << bits;
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
    const size_t b = static_cast<size_t>(v >> (64 - bits));
    const unsigned filled = counts[b];
    const __mmask8 occupied = static_cast<__mmask8>((1u << filled) - 1);
    const __m512i bucket = _mm512_load_si512(slots + b * kBucketValues);
    if (_mm512_mask_cmpeq_epi64_mask(occupied, bucket, Set1(v)) != 0) continue;  // Seen.
    if (filled == kBucketValues) return std::nullopt;
    slots[b * kBucketValues + filled] = v;
    counts[b] = static_cast<uint8_t>(filled + 1);
    ++distinct;
  }
  return distinct;
}
#endif

}  // namespace storysift::internal
