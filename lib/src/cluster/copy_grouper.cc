#include "storysift/copy_grouper.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>

#include "absl/strings/str_format.h"
#include "cluster/band_pairs.h"
#include "cluster/disjoint_sets.h"
#include "cluster/nearest_representative.h"
#include "storysift/bbit_minhash.h"
#include "pipeline/parallel.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

absl::Status CheckTable(const SketchTable& t, SketchKind kind) {
  const size_t n = t.num_docs;
  if (!t.verify.empty()) {
    STORYSIFT_RETURN_IF_ERROR(ValidateVerifyBits(t.verify_bits));
    if (t.verify.size() != n * VerifyRowBytes(t.verify_bits, t.num_perm)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%d bytes of %d-bit verification rows for %d documents of %d slots", t.verify.size(),
          t.verify_bits, n, t.num_perm));
    }
  }
  if (!t.band_keys.empty() && t.band_keys.size() != n * t.band_params.num_bands) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%d band keys for %d documents of %d bands", t.band_keys.size(), n,
        t.band_params.num_bands));
  }
  const bool compact = !t.verify.empty() && !t.band_keys.empty();
  if (kind == SketchKind::kMinHash && !compact &&
      t.minhash.size() != t.num_docs * static_cast<size_t>(t.num_perm)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "MinHash table has %d values, expected num_docs * num_perm = %d * %d",
        t.minhash.size(), t.num_docs, t.num_perm));
  }
  if (kind == SketchKind::kSimHash && t.simhash.size() != t.num_docs) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "SimHash table has %d fingerprints for %d documents", t.simhash.size(),
        t.num_docs));
  }
  if (!t.set_sizes.empty() && t.set_sizes.size() != t.num_docs) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%d set sizes for %d documents", t.set_sizes.size(), t.num_docs));
  }
  if (!t.shingles.empty() && t.shingles.size() != t.num_docs) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%d shingle sets for %d documents", t.shingles.size(), t.num_docs));
  }
  return absl::OkStatus();
}

bool SameBands(const LshParams& a, const LshParams& b) {
  return a.num_bands == b.num_bands && a.rows_per_band == b.rows_per_band;
}

// Pairs by querying an index with each document before adding it.
absl::StatusOr<std::vector<VerifiedPair>> FindPairsByIndex(const SketchTable& sketches,
                                                           const Verifier& verifier) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<CandidateIndex> index,
                             verifier.NewIndex(/*short_keys=*/false));
  std::vector<VerifiedPair> pairs;
  std::vector<DocOrdinal> candidates;
  for (DocOrdinal d = 0; d < sketches.num_docs; ++d) {
    SketchView row = sketches.row(d);
    row.band_keys = {};  // This index hashes the full signatures.
    STORYSIFT_RETURN_IF_ERROR(index->Query(row, &candidates));
    for (DocOrdinal c : candidates) {  // All c < d: only earlier docs are in.
      const Similarity s = verifier.CompareDocs(sketches, c, d);
      if (s.passes) pairs.push_back({c, d, s.value});
    }
    STORYSIFT_RETURN_IF_ERROR(index->Add(d, row));
  }
  // Appended by b, then a ascending within b; sort to (a, b) order.
  std::sort(pairs.begin(), pairs.end(), [](const VerifiedPair& x, const VerifiedPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  return pairs;
}

}  // namespace

namespace {

// FindVerifiedPairs; `beside` (serial work of the caller's, run once unless
// the table or verifier is rejected first) runs while the band job's pool
// threads start, or before an index search.
absl::StatusOr<std::vector<VerifiedPair>> FindPairsBeside(const SketchTable& sketches,
                                                          const Verifier& verifier,
                                                          const RunContext& context,
                                                          const std::function<void()>& beside) {
  STORYSIFT_RETURN_IF_ERROR(CheckTable(sketches, verifier.kind()));
  const bool minhash = verifier.kind() == SketchKind::kMinHash;
  if (minhash && sketches.num_perm != verifier.num_perm()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sketch table has %d MinHash slots, the verifier %d", sketches.num_perm,
        verifier.num_perm()));
  }
  // Precomputed band keys serve when made for the verifier's bands;
  // otherwise an index hashes the full signatures.
  const LshParams& bands = verifier.bands();
  if (minhash && !sketches.band_keys.empty() && SameBands(bands, sketches.band_params)) {
    return internal::FindPairsByBandKeys(sketches, verifier,
                                         ResolveThreadCount(context.threads), beside);
  }
  if (beside) beside();
  if (!minhash || sketches.band_keys.empty()) return FindPairsByIndex(sketches, verifier);
  if (sketches.minhash.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "band keys were made for %dx%d LSH bands, this grouping needs %dx%d, and the "
        "table has no full signatures",
        sketches.band_params.num_bands, sketches.band_params.rows_per_band, bands.num_bands,
        bands.rows_per_band));
  }
  return FindPairsByIndex(sketches, verifier);
}

}  // namespace

absl::StatusOr<std::vector<VerifiedPair>> FindVerifiedPairs(const SketchTable& sketches,
                                                            const Verifier& verifier,
                                                            const RunContext& context) {
  return FindPairsBeside(sketches, verifier, context, {});
}

double LowestScoredSimilarity(const Verifier& verifier, double floor) {
  if (verifier.kind() != SketchKind::kSimHash ||
      MaxHammingForAgreement(floor) <= kMaxHammingLimit) {
    return floor;
  }
  return 1.0 - kMaxHammingLimit / 64.0;
}

namespace {

// FindScoredPairs, candidates from `bands` when given.
absl::StatusOr<std::vector<VerifiedPair>> ScorePairs(const SketchTable& sketches,
                                                     const Verifier& verifier, double floor,
                                                     const std::optional<LshParams>& bands,
                                                     const RunContext& context) {
  if (!(floor > 0.0 && floor < 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("score floor %g is outside (0, 1)", floor));
  }
  // dedup's own rules at the floor: the short-pair Jaccard and containment
  // stay, so the pairs are those `--threshold floor` verifies.
  CopyGrouperOptions o = verifier.options();
  o.jaccard_threshold = floor;
  if (bands && verifier.kind() == SketchKind::kMinHash) o.lsh = *bands;
  // A floor past the widest distance the SimHash index serves stops there
  // (LowestScoredSimilarity).
  o.max_hamming = std::min(kMaxHammingLimit, MaxHammingForAgreement(floor));
  STORYSIFT_ASSIGN_OR_RETURN(const Verifier scored, verifier.WithOptions(o));
  // dedup finds its candidates by the band keys it makes while sketching
  // (short keys, Verifier::Encode): made here alike from full signatures,
  // its candidates are these, hash collisions included.
  std::vector<uint32_t> band_keys;
  SketchTable table = sketches;
  if (scored.kind() == SketchKind::kMinHash && sketches.band_keys.empty() &&
      sketches.num_perm == scored.num_perm() &&
      sketches.minhash.size() == sketches.num_docs * static_cast<size_t>(sketches.num_perm)) {
    const size_t k = static_cast<size_t>(sketches.num_perm);
    const size_t nb = static_cast<size_t>(scored.bands().num_bands);
    band_keys.resize(sketches.num_docs * nb);
    for (size_t d = 0; d < sketches.num_docs; ++d) {
      scored.Encode(sketches.minhash.subspan(d * k, k), {},
                    absl::MakeSpan(band_keys).subspan(d * nb, nb));
    }
    table.band_keys = band_keys;
    table.band_params = scored.bands();
  }
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<VerifiedPair> pairs,
                             FindVerifiedPairs(table, scored, context));
  if (o.containment_threshold > 0 && scored.kind() == SketchKind::kMinHash) {
    // A contained pair is verified at every threshold.
    for (VerifiedPair& p : pairs) {
      if (scored.CompareDocs(sketches, p.a, p.b).containment >= o.containment_threshold) {
        p.similarity = 1.0;
      }
    }
  }
  return pairs;
}

}  // namespace

absl::StatusOr<std::vector<VerifiedPair>> FindScoredPairs(const SketchTable& sketches,
                                                          const Verifier& verifier, double floor,
                                                          const RunContext& context) {
  return ScorePairs(sketches, verifier, floor, std::nullopt, context);
}

absl::StatusOr<std::vector<VerifiedPair>> FindScoredPairsWithBands(const SketchTable& sketches,
                                                                   const Verifier& verifier,
                                                                   double floor,
                                                                   const LshParams& bands,
                                                                   const RunContext& context) {
  return ScorePairs(sketches, verifier, floor, bands, context);
}

absl::StatusOr<std::vector<DocOrdinal>> PriorityOrder(KeepPolicy keep, size_t num_docs,
                                                      absl::Span<const DocMeta> meta) {
  std::vector<DocOrdinal> order(num_docs);
  std::iota(order.begin(), order.end(), 0);
  if (keep == KeepPolicy::kFirst) return order;
  if (meta.size() != num_docs) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "keep policy needs metadata for all %d documents, got %d", num_docs,
        meta.size()));
  }
  if (keep == KeepPolicy::kEarliest) {
    std::stable_sort(order.begin(), order.end(), [&](DocOrdinal x, DocOrdinal y) {
      const auto& px = meta[x].published;
      const auto& py = meta[y].published;
      if (px.has_value() != py.has_value()) return px.has_value();  // Undated last.
      return px.has_value() && *px < *py;
    });
  } else {
    std::stable_sort(order.begin(), order.end(), [&](DocOrdinal x, DocOrdinal y) {
      return meta[x].num_tokens > meta[y].num_tokens;
    });
  }
  return order;
}

CopyGroups GroupVerifiedPairs(const SketchTable& sketches, const Verifier& verifier,
                              absl::Span<const DocOrdinal> priority,
                              std::vector<VerifiedPair> pairs) {
  const size_t n = sketches.num_docs;
  assert(priority.size() == n);
  CopyGroups out;
  out.docs.resize(n);
  for (DocOrdinal d = 0; d < n; ++d) out.docs[d].representative = d;

  if (verifier.options().mode == GroupingMode::kConnectedComponents) {
    internal::DisjointSets sets(n);
    for (const VerifiedPair& p : pairs) sets.Union(p.a, p.b);
    // The first document of each component in priority order represents it.
    constexpr DocOrdinal kUnset = ~DocOrdinal{0};
    std::vector<DocOrdinal> rep_of_root(n, kUnset);
    for (DocOrdinal d : priority) {
      DocOrdinal& rep = rep_of_root[sets.Find(d)];
      if (rep == kUnset) rep = d;
      out.docs[d].representative = rep;
      if (rep != d) out.docs[d].similarity = verifier.CompareDocs(sketches, d, rep).value;
    }
  } else {
    // Adjacency in CSR form, neighbours in ordinal order.
    std::vector<uint32_t> start(n + 1, 0);
    for (const VerifiedPair& p : pairs) {
      ++start[p.a + 1];
      ++start[p.b + 1];
    }
    std::partial_sum(start.begin(), start.end(), start.begin());
    std::vector<std::pair<DocOrdinal, double>> adj(start[n]);
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (const VerifiedPair& p : pairs) {
      adj[fill[p.a]++] = {p.b, p.similarity};
      adj[fill[p.b]++] = {p.a, p.similarity};
    }
    std::vector<char> is_rep(n, 0);
    for (DocOrdinal d : priority) {
      internal::NearestRepresentative nearest;
      for (uint32_t i = start[d]; i < start[d + 1]; ++i) {
        const auto [nb, sim] = adj[i];
        if (is_rep[nb]) nearest.Offer(nb, sim, nb);
      }
      if (nearest.found()) {
        out.docs[d].representative = nearest.rep();
        out.docs[d].similarity = nearest.similarity();
      } else {
        is_rep[d] = 1;
      }
    }
  }

  std::vector<uint32_t> group_size(n, 0);
  for (const CopyAssignment& a : out.docs) ++group_size[a.representative];
  for (DocOrdinal d = 0; d < n; ++d) {
    CopyAssignment& a = out.docs[d];
    if (a.representative != d) {
      a.role = CopyRole::kCopy;
    } else {
      a.role = group_size[d] >= 2 ? CopyRole::kOriginal : CopyRole::kUnique;
      ++out.num_groups;
    }
    out.largest_group = std::max<size_t>(out.largest_group, group_size[d]);
  }
  out.pairs = std::move(pairs);
  return out;
}

absl::StatusOr<CopyGroups> GroupCopies(const SketchTable& sketches,
                                       absl::Span<const DocMeta> meta, const Verifier& verifier,
                                       const RunContext& context) {
  // The priority sort (~2.5 ms at 20k documents, serial) runs on the caller
  // beside the band job; its error still comes first, as when it ran first.
  std::optional<absl::StatusOr<std::vector<DocOrdinal>>> priority;
  auto order = [&] { priority = PriorityOrder(verifier.options().keep, sketches.num_docs, meta); };
  absl::StatusOr<std::vector<VerifiedPair>> pairs =
      FindPairsBeside(sketches, verifier, context, order);
  if (!priority.has_value()) order();
  STORYSIFT_RETURN_IF_ERROR(priority->status());
  STORYSIFT_RETURN_IF_ERROR(pairs.status());
  return GroupVerifiedPairs(sketches, verifier, **priority, *std::move(pairs));
}

}  // namespace storysift
