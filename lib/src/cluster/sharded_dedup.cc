#include "storysift/sharded_dedup.h"

#include <algorithm>
#include <cassert>

#include "storysift/minhash.h"

namespace storysift {

void ShardBandPostings(const SketchTable& shard, uint64_t first_ordinal,
                       std::vector<uint64_t>* keys, std::vector<uint64_t>* ordinals) {
  const size_t nb = static_cast<size_t>(shard.band_params.num_bands);
  for (size_t d = 0; d < shard.num_docs; ++d) {
    const SketchView row = shard.row(static_cast<DocOrdinal>(d));
    if (row.empty_set) continue;
    for (size_t i = 0; i < nb; ++i) {
      keys->push_back(uint64_t{i} << 32 | row.band_keys[i]);
      ordinals->push_back(first_ordinal + d);
    }
  }
}

void BandKeyBuckets(absl::Span<const uint64_t> keys, uint32_t num_buckets,
                    absl::Span<uint32_t> out) {
  assert(num_buckets > 0 && out.size() == keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    out[i] = static_cast<uint32_t>(internal::Mix64(keys[i]) % num_buckets);
  }
}

std::vector<std::pair<uint64_t, uint64_t>> PairsSharingKey(absl::Span<const uint64_t> keys,
                                                           absl::Span<const uint64_t> ordinals) {
  assert(keys.size() == ordinals.size());
  std::vector<std::pair<uint64_t, uint64_t>> posted(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) posted[i] = {keys[i], ordinals[i]};
  std::sort(posted.begin(), posted.end());
  std::vector<std::pair<uint64_t, uint64_t>> pairs;
  for (size_t s = 0; s < posted.size();) {
    size_t e = s + 1;
    while (e < posted.size() && posted[e].first == posted[s].first) ++e;
    for (size_t j = s + 1; j < e; ++j) {
      for (size_t i = s; i < j; ++i) {
        if (posted[i].second != posted[j].second) {
          pairs.emplace_back(posted[i].second, posted[j].second);
        }
      }
    }
    s = e;
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

void VerifyShardPairs(const SketchTable& a, const SketchTable& b,
                      absl::Span<const uint32_t> rows_a, absl::Span<const uint32_t> rows_b,
                      const Verifier& verifier, absl::Span<uint8_t> passes,
                      absl::Span<double> similarity) {
  assert(rows_a.size() == rows_b.size() && passes.size() == rows_a.size() &&
         similarity.size() == rows_a.size());
  for (size_t i = 0; i < rows_a.size(); ++i) {
    const Similarity s = verifier.Compare(a.row(rows_a[i]), a.set_sizes[rows_a[i]],
                                          b.row(rows_b[i]), b.set_sizes[rows_b[i]]);
    passes[i] = s.passes;
    similarity[i] = s.value;
  }
}

}  // namespace storysift
