#include "cluster/band_pairs.h"

#include <algorithm>
#include <array>

#include "pipeline/parallel.h"

namespace storysift::internal {
namespace {

// Bands whose keys one task gathers in one read of the documents: a row of
// keys (32 bands by default) spans two cache lines, and gathered a band at
// a time every key read another line (1.4 % of dedup's samples at 20k).
// Each band gathered costs the task 8 bytes a document.
constexpr int kBandsPerTask = 4;

// True if documents c and d share a key in a band before `band`: their pair
// was (or will be) verified there.
bool ShareEarlierBand(const SketchTable& t, DocOrdinal c, DocOrdinal d, int band) {
  const size_t nb = static_cast<size_t>(t.band_params.num_bands);
  const uint32_t* kc = t.band_keys.data() + c * nb;
  const uint32_t* kd = t.band_keys.data() + d * nb;
  for (int b = 0; b < band; ++b) {
    if (kc[b] == kd[b]) return true;
  }
  return false;
}

// Verifies the pairs of one band's buckets (runs of equal keys in `keyed`)
// that no earlier band holds, appending those that pass.
void VerifyBand(const SketchTable& t, const Verifier& verifier, int band,
                const std::vector<uint64_t>& keyed, std::vector<VerifiedPair>* out) {
  for (size_t s = 0; s < keyed.size();) {
    size_t e = s + 1;
    while (e < keyed.size() && (keyed[e] >> 32) == (keyed[s] >> 32)) ++e;
    for (size_t j = s + 1; j < e; ++j) {
      const auto d = static_cast<DocOrdinal>(keyed[j]);
      for (size_t i = s; i < j; ++i) {
        const auto c = static_cast<DocOrdinal>(keyed[i]);
        if (ShareEarlierBand(t, c, d, band)) continue;
        const Similarity sim = verifier.CompareDocs(t, c, d);
        if (sim.passes) out->push_back({c, d, sim.value});
      }
    }
    s = e;
  }
}

// The per-band pairs joined in (a, b) order, each band's list freed once
// copied: a counting pass buckets them by a (every pair has a < b), then each
// bucket (a few pairs) is sorted by b. The pairs are distinct (each is
// verified in one band only), so this is the order a comparison sort of all
// of them gives, at O(pairs + documents) instead of O(pairs log pairs) on one
// core at the end of the job.
std::vector<VerifiedPair> JoinInPairOrder(std::vector<std::vector<VerifiedPair>>* found,
                                          size_t num_docs) {
  std::vector<size_t> start(num_docs + 1, 0);
  for (const std::vector<VerifiedPair>& band : *found) {
    for (const VerifiedPair& p : band) ++start[p.a + 1];
  }
  for (size_t d = 0; d < num_docs; ++d) start[d + 1] += start[d];
  std::vector<VerifiedPair> pairs(start[num_docs]);
  std::vector<size_t> fill(start.begin(), start.end() - 1);
  for (std::vector<VerifiedPair>& band : *found) {
    for (const VerifiedPair& p : band) pairs[fill[p.a]++] = p;
    std::vector<VerifiedPair>().swap(band);
  }
  for (size_t d = 0; d < num_docs; ++d) {
    if (start[d + 1] - start[d] < 2) continue;
    std::sort(pairs.begin() + start[d], pairs.begin() + start[d + 1],
              [](const VerifiedPair& x, const VerifiedPair& y) { return x.b < y.b; });
  }
  return pairs;
}

}  // namespace

void SortByBandKey(std::vector<uint64_t>* values, std::vector<uint64_t>* scratch) {
  // LSD radix sort of the key's four bytes; each pass is stable. The four
  // byte counts come from one read of the values, not one read a pass.
  constexpr int kKeyBytes = 4;
  constexpr int kKeyShift = 32;
  std::array<std::array<size_t, 257>, kKeyBytes> start{};
  for (uint64_t v : *values) {
    for (int k = 0; k < kKeyBytes; ++k) ++start[k][((v >> (kKeyShift + 8 * k)) & 0xFF) + 1];
  }
  scratch->resize(values->size());
  for (int k = 0; k < kKeyBytes; ++k) {
    std::array<size_t, 257>& at = start[k];
    for (int i = 0; i < 256; ++i) at[i + 1] += at[i];
    const int shift = kKeyShift + 8 * k;
    for (uint64_t v : *values) (*scratch)[at[(v >> shift) & 0xFF]++] = v;
    values->swap(*scratch);
  }
}

std::vector<VerifiedPair> FindPairsByBandKeys(const SketchTable& t, const Verifier& verifier,
                                              int threads, const std::function<void()>& beside) {
  const size_t n = t.num_docs;
  const int nb = t.band_params.num_bands;
  // An empty set is never bucketed (as LshIndex::Add).
  std::vector<uint8_t> empty(n);
  ParallelFor(n, threads, [&](size_t d) { empty[d] = t.row(static_cast<DocOrdinal>(d)).empty_set; });
  std::vector<std::vector<VerifiedPair>> found(nb);
  const int groups = (nb + kBandsPerTask - 1) / kBandsPerTask;
  const std::function<void(size_t)> verify_group = [&](size_t g) {
    const int first = static_cast<int>(g) * kBandsPerTask;
    const int count = std::min(kBandsPerTask, nb - first);
    std::array<std::vector<uint64_t>, kBandsPerTask> keyed;
    for (int j = 0; j < count; ++j) keyed[j].reserve(n);
    for (size_t d = 0; d < n; ++d) {
      if (empty[d]) continue;
      const uint32_t* keys = t.band_keys.data() + d * nb + first;
      for (int j = 0; j < count; ++j) keyed[j].push_back(uint64_t{keys[j]} << 32 | d);
    }
    std::vector<uint64_t> scratch;
    for (int j = 0; j < count; ++j) {
      SortByBandKey(&keyed[j], &scratch);
      VerifyBand(t, verifier, first + j, keyed[j], &found[first + j]);
      std::vector<uint64_t>().swap(keyed[j]);
    }
  };
  ParallelJob job(static_cast<size_t>(groups), threads, verify_group);
  if (beside) beside();  // The pool threads claim the band groups meanwhile.
  job.Wait();
  return JoinInPairOrder(&found, n);
}

}  // namespace storysift::internal
