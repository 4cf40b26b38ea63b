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

constexpr int kMinBucketBits = 4;

}  // namespace

DistinctBuckets StartDistinctBuckets(size_t max_values, std::vector<uint64_t>* table) {
  int bits = kMinBucketBits;
  while ((size_t{1} << bits) < max_values) ++bits;
  const size_t buckets = size_t{1} << bits;
  const size_t count_words = (buckets + 7) / 8;
  table->resize(buckets * kBucketValues + count_words + kBucketValues);
  DistinctBuckets out;
  out.slots = table->data();
  // 64-byte aligned bucket loads.
  while (reinterpret_cast<uintptr_t>(out.slots) % 64 != 0) ++out.slots;
  out.counts = reinterpret_cast<uint8_t*>(out.slots + buckets * kBucketValues);
  std::memset(out.counts, 0, buckets);
  out.shift = 64 - bits;
  return out;
}

__attribute__((target(STORYSIFT_AVX512_TARGET))) void AddDistinctAvx512(
    absl::Span<const uint64_t> values, DistinctBuckets* buckets) {
  DistinctBuckets local = *buckets;  // In registers: the slot stores could alias a member.
  for (const uint64_t v : values) AddDistinct(v, &local);
  *buckets = local;
}

std::optional<size_t> CountDistinctAvx512(absl::Span<const uint64_t> values,
                                          std::vector<uint64_t>* table) {
  if (values.size() < 2) return values.size();
  DistinctBuckets buckets = StartDistinctBuckets(values.size(), table);
  AddDistinctAvx512(values, &buckets);
  if (buckets.overflowed) return std::nullopt;
  return buckets.distinct;
}
#endif

}  // namespace storysift::internal
