#include "storysift/copy_grouper.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>

#include "absl/strings/str_format.h"
#include "cluster/band_pairs.h"
#include "storysift/bbit_minhash.h"
#include "storysift/lsh_index.h"
#include "storysift/minhash.h"
#include "pipeline/parallel.h"
#include "storysift/simhash.h"
#include "storysift/simhash_index.h"
#include "storysift/status_macros.h"

namespace storysift {
namespace {

absl::Status CheckTable(const SketchTable& t, const CopyGrouperOptions& options) {
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
  if (options.kind == SketchKind::kMinHash && !compact &&
      t.minhash.size() != t.num_docs * static_cast<size_t>(t.num_perm)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "MinHash table has %d values, expected num_docs * num_perm = %d * %d",
        t.minhash.size(), t.num_docs, t.num_perm));
  }
  if (options.kind == SketchKind::kSimHash && t.simhash.size() != t.num_docs) {
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

// The containment test on top of a Jaccard verdict, from set sizes and the
// (exact or estimated) intersection size; clamped, as an estimate can
// overshoot. The smaller set needs min_containment_shingles (and >= 1).
void TestContainment(double na, double nb, double intersection,
                     const CopyGrouperOptions& options, Similarity* s) {
  const double small = std::min(na, nb);
  if (small < 1 || small < options.min_containment_shingles) return;
  s->containment = std::min(1.0, intersection / small);
  s->passes = s->passes || s->containment >= options.containment_threshold;
}

// Union-find with path halving; the root is the smaller index.
struct DisjointSets {
  explicit DisjointSets(size_t n) : parent(n) {
    std::iota(parent.begin(), parent.end(), 0);
  }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  std::vector<uint32_t> parent;
};

}  // namespace

SketchView SketchTable::row(DocOrdinal d) const {
  SketchView v;
  if (!minhash.empty()) {
    v.minhash = minhash.subspan(static_cast<size_t>(d) * num_perm, num_perm);
  }
  if (!verify.empty()) {
    const size_t bytes = VerifyRowBytes(verify_bits, num_perm);
    v.verify = verify.subspan(static_cast<size_t>(d) * bytes, bytes);
    v.verify_bits = verify_bits;
  }
  if (!band_keys.empty()) {
    const size_t nb = static_cast<size_t>(band_params.num_bands);
    v.band_keys = band_keys.subspan(static_cast<size_t>(d) * nb, nb);
    v.empty_set = v.verify.empty() ? IsEmptySignature(v.minhash) : IsEmptyVerifyRow(v.verify);
  }
  if (!simhash.empty()) v.simhash = simhash[d];
  return v;
}

absl::Status ValidateCopyGrouperOptions(const CopyGrouperOptions& o, int num_perm) {
  if (!(o.jaccard_threshold > 0.0 && o.jaccard_threshold <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "Jaccard threshold %g is outside (0, 1]", o.jaccard_threshold));
  }
  if (!(o.short_jaccard_threshold >= 0.0 && o.short_jaccard_threshold <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "short-pair Jaccard threshold %g is outside [0, 1]", o.short_jaccard_threshold));
  }
  if (!(o.containment_threshold >= 0.0 && o.containment_threshold <= 1.0)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "containment threshold %g is outside [0, 1]", o.containment_threshold));
  }
  if (o.max_hamming < 0 || o.max_hamming > 16) {
    return absl::InvalidArgumentError(
        absl::StrFormat("max Hamming distance %d is outside [0, 16]", o.max_hamming));
  }
  if (o.kind == SketchKind::kMinHash && (o.lsh.num_bands != 0 || o.lsh.rows_per_band != 0)) {
    STORYSIFT_RETURN_IF_ERROR(ValidateLshParams(o.lsh, num_perm));
  }
  return absl::OkStatus();
}

absl::StatusOr<LshParams> ResolveLshParams(const CopyGrouperOptions& options, int num_perm) {
  STORYSIFT_RETURN_IF_ERROR(ValidateCopyGrouperOptions(options, num_perm));
  if (options.lsh.num_bands != 0 || options.lsh.rows_per_band != 0) return options.lsh;
  // A threshold of exactly 1 has no S-curve optimum; bands for 0.99 find it.
  double threshold = std::min(options.jaccard_threshold, 0.99);
  if (options.containment_threshold > 0) {
    threshold = std::min(threshold, kContainmentCandidateJaccard);
  }
  return OptimalLshParams(threshold, num_perm, 0.5, 0.5, kMaxDefaultLshBands);
}

absl::StatusOr<std::unique_ptr<CandidateIndex>> MakeCandidateIndex(
    const CopyGrouperOptions& options, int num_perm, bool short_keys) {
  STORYSIFT_RETURN_IF_ERROR(ValidateCopyGrouperOptions(options, num_perm));
  if (options.kind == SketchKind::kSimHash) {
    SimHashIndexOptions so;
    so.max_distance = options.max_hamming;
    so.num_blocks = options.simhash_blocks;
    STORYSIFT_ASSIGN_OR_RETURN(SimHashIndex index, SimHashIndex::Create(so));
    return std::make_unique<SimHashIndex>(std::move(index));
  }
  LshIndexOptions lo;
  lo.num_perm = num_perm;
  lo.short_keys = short_keys;
  STORYSIFT_ASSIGN_OR_RETURN(lo.params, ResolveLshParams(options, num_perm));
  STORYSIFT_ASSIGN_OR_RETURN(LshIndex index, LshIndex::Create(lo));
  return std::make_unique<LshIndex>(std::move(index));
}

double RequiredJaccard(const CopyGrouperOptions& options, uint32_t smaller_set_size) {
  if (options.short_pair_shingles == 0) return options.jaccard_threshold;
  if (smaller_set_size >= options.short_pair_shingles && smaller_set_size > 0) {
    return options.jaccard_threshold;
  }
  return std::max(options.jaccard_threshold, options.short_jaccard_threshold);
}

Similarity CompareSketches(const SketchView& a, uint32_t set_size_a, const SketchView& b,
                           uint32_t set_size_b, const CopyGrouperOptions& options) {
  Similarity s;
  if (options.kind == SketchKind::kSimHash) {
    const int d = HammingDistance(a.simhash, b.simhash);
    s.value = 1.0 - d / 64.0;
    s.passes = d <= options.max_hamming;
    return s;
  }
  if (!a.verify.empty() && !b.verify.empty()) {
    assert(a.verify_bits == b.verify_bits);
    s.value = EstimateJaccardBbit(a.verify, b.verify, a.verify_bits);
  } else {
    s.value = EstimateJaccard(a.minhash, b.minhash);
  }
  const uint32_t small = set_size_a == 0 || set_size_b == 0 ? 0 : std::min(set_size_a, set_size_b);
  s.passes = s.value >= RequiredJaccard(options, small) && s.value > 0.0;
  if (options.containment_threshold > 0 && s.value > 0.0 && set_size_a > 0 && set_size_b > 0) {
    const double na = set_size_a;
    const double nb = set_size_b;
    // |A n B| = J (|A| + |B|) / (1 + J) from the Jaccard estimate.
    TestContainment(na, nb, s.value * (na + nb) / (1.0 + s.value), options, &s);
  }
  return s;
}

Similarity CompareDocs(const SketchTable& t, const CopyGrouperOptions& options,
                       DocOrdinal a, DocOrdinal b) {
  if (options.kind == SketchKind::kSimHash || t.shingles.empty()) {
    const bool sized = !t.set_sizes.empty();
    return CompareSketches(t.row(a), sized ? t.set_sizes[a] : 0, t.row(b),
                           sized ? t.set_sizes[b] : 0, options);
  }
  Similarity s;
  s.value = ExactJaccard(t.shingles[a], t.shingles[b]);
  const auto small = static_cast<uint32_t>(std::min(t.shingles[a].size(), t.shingles[b].size()));
  s.passes = s.value >= RequiredJaccard(options, small) && s.value > 0.0;
  if (options.containment_threshold > 0 && s.value > 0.0) {
    TestContainment(t.shingles[a].size(), t.shingles[b].size(),
                    IntersectionSize(t.shingles[a], t.shingles[b]), options, &s);
  }
  return s;
}

absl::StatusOr<std::vector<VerifiedPair>> FindVerifiedPairs(
    const SketchTable& sketches, const CopyGrouperOptions& options, const RunContext& context) {
  STORYSIFT_RETURN_IF_ERROR(CheckTable(sketches, options));
  // Precomputed band keys serve when made for the bands this grouping uses;
  // otherwise the index hashes the full signatures.
  bool use_keys = false;
  if (options.kind == SketchKind::kMinHash && !sketches.band_keys.empty()) {
    STORYSIFT_ASSIGN_OR_RETURN(const LshParams bands,
                               ResolveLshParams(options, sketches.num_perm));
    use_keys = bands.num_bands == sketches.band_params.num_bands &&
               bands.rows_per_band == sketches.band_params.rows_per_band;
    if (!use_keys && sketches.minhash.empty()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "band keys were made for %dx%d LSH bands, this grouping needs %dx%d, and the "
          "table has no full signatures",
          sketches.band_params.num_bands, sketches.band_params.rows_per_band, bands.num_bands,
          bands.rows_per_band));
    }
  }
  if (use_keys) {
    return internal::FindPairsByBandKeys(sketches, options, ResolveThreadCount(context.threads));
  }
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<CandidateIndex> index,
                             MakeCandidateIndex(options, sketches.num_perm, use_keys));
  std::vector<VerifiedPair> pairs;
  std::vector<DocOrdinal> candidates;
  for (DocOrdinal d = 0; d < sketches.num_docs; ++d) {
    SketchView row = sketches.row(d);
    if (!use_keys) row.band_keys = {};
    STORYSIFT_RETURN_IF_ERROR(index->Query(row, &candidates));
    for (DocOrdinal c : candidates) {  // All c < d: only earlier docs are in.
      const Similarity s = CompareDocs(sketches, options, c, d);
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

absl::StatusOr<std::vector<VerifiedPair>> FindScoredPairs(
    const SketchTable& sketches, const CopyGrouperOptions& options, double floor,
    const RunContext& context) {
  if (!(floor > 0.0 && floor < 1.0)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("score floor %g is outside (0, 1)", floor));
  }
  CopyGrouperOptions o = options;
  o.containment_threshold = 0;
  o.short_pair_shingles = 0;  // The swept score is the plain Jaccard.
  o.jaccard_threshold = floor;
  o.max_hamming = std::min(16, static_cast<int>(std::floor((1.0 - floor) * 64 + 1e-9)));
  return FindVerifiedPairs(sketches, o, context);
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

CopyGroups GroupVerifiedPairs(const SketchTable& sketches,
                              const CopyGrouperOptions& options,
                              absl::Span<const DocOrdinal> priority,
                              std::vector<VerifiedPair> pairs) {
  const size_t n = sketches.num_docs;
  assert(priority.size() == n);
  CopyGroups out;
  out.docs.resize(n);
  for (DocOrdinal d = 0; d < n; ++d) out.docs[d].representative = d;

  if (options.mode == GroupingMode::kConnectedComponents) {
    DisjointSets sets(n);
    for (const VerifiedPair& p : pairs) sets.Union(p.a, p.b);
    // The first document of each component in priority order represents it.
    constexpr DocOrdinal kUnset = ~DocOrdinal{0};
    std::vector<DocOrdinal> rep_of_root(n, kUnset);
    for (DocOrdinal d : priority) {
      DocOrdinal& rep = rep_of_root[sets.Find(d)];
      if (rep == kUnset) rep = d;
      out.docs[d].representative = rep;
      if (rep != d) out.docs[d].similarity = CompareDocs(sketches, options, d, rep).value;
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
      bool found = false;
      DocOrdinal best = 0;
      double best_sim = -1;
      for (uint32_t i = start[d]; i < start[d + 1]; ++i) {
        const auto [nb, sim] = adj[i];
        if (!is_rep[nb]) continue;
        if (sim > best_sim || (sim == best_sim && nb < best)) {
          found = true;
          best = nb;
          best_sim = sim;
        }
      }
      if (found) {
        out.docs[d].representative = best;
        out.docs[d].similarity = best_sim;
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
                                       absl::Span<const DocMeta> meta,
                                       const CopyGrouperOptions& options,
                                       const RunContext& context) {
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<DocOrdinal> priority,
                             PriorityOrder(options.keep, sketches.num_docs, meta));
  STORYSIFT_ASSIGN_OR_RETURN(std::vector<VerifiedPair> pairs,
                             FindVerifiedPairs(sketches, options, context));
  return GroupVerifiedPairs(sketches, options, priority, std::move(pairs));
}

absl::StatusOr<StreamingCopyGrouper> StreamingCopyGrouper::Create(
    const CopyGrouperOptions& options, int num_perm) {
  STORYSIFT_ASSIGN_OR_RETURN(std::unique_ptr<CandidateIndex> index,
                             MakeCandidateIndex(options, num_perm));
  return StreamingCopyGrouper(options, std::move(index));
}

absl::StatusOr<CopyVerdict> StreamingCopyGrouper::Offer(DocOrdinal ordinal,
                                                        const SketchTable& sketches) {
  if (ordinal >= sketches.num_docs) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "document %d is outside the sketch table (%d rows)", ordinal, sketches.num_docs));
  }
  STORYSIFT_RETURN_IF_ERROR(CheckTable(sketches, options_));
  SketchView row = sketches.row(ordinal);
  row.band_keys = {};  // This index hashes the full signatures.
  STORYSIFT_RETURN_IF_ERROR(index_->Query(row, &candidates_));
  CopyVerdict v;
  v.representative = ordinal;
  double best = -1;
  for (DocOrdinal c : candidates_) {  // Ascending: ties keep the smaller.
    if (c == ordinal) continue;
    const Similarity s = CompareDocs(sketches, options_, c, ordinal);
    if (s.passes && s.value > best) {
      best = s.value;
      v = CopyVerdict{false, c, s.value};
    }
  }
  if (v.is_new) STORYSIFT_RETURN_IF_ERROR(index_->Add(ordinal, row));
  return v;
}

}  // namespace storysift
