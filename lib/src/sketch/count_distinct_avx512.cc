#include "sketch/count_distinct_avx512.h"

#include <cstring>

namespace storysift::internal {

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
