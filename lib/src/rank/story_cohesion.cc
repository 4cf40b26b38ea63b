#include "rank/story_cohesion.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "pipeline/parallel.h"
#include "rank/story_split.h"

namespace storysift::internal {
namespace {

// A half smaller than this is a few off-topic articles (a sidebar, a
// round-up), not a second event; they stay with the story.
constexpr size_t kMinHalfMembers = 3;
// Spherical 2-means settles in a few rounds; this bounds a rare cycle.
constexpr int kMaxBisectRounds = 20;

// A story's rows over a dense local term index 0 .. terms - 1, so that the
// halves' sums are plain arrays.
struct LocalRows {
  std::vector<size_t> end;  // Row r spans [end[r - 1], end[r]).
  std::vector<uint32_t> term;
  std::vector<float> weight;
  size_t terms = 0;
  size_t size() const { return end.size(); }
  size_t begin_of(size_t r) const { return r == 0 ? 0 : end[r - 1]; }
};

// A use's local index is the rank of its term among the story's distinct
// terms. Every use is sorted once as (term id, place) and numbered in that
// order: a binary search of the sorted distinct ids per use was most of
// BisectRows' time (an unpredictable branch per step).
LocalRows ToLocalRows(absl::Span<const DocOrdinal> rows, const TfidfMatrix& matrix) {
  LocalRows out;
  std::vector<uint64_t> uses;  // (term id << 32) | place in out.term.
  for (DocOrdinal d : rows) {
    const SparseVectorView v = matrix.row(d);
    for (size_t k = 0; k < v.size(); ++k) {
      uses.push_back((uint64_t{v.ids[k]} << 32) | out.weight.size());
      out.weight.push_back(v.weights[k]);
    }
    out.end.push_back(out.weight.size());
  }
  std::sort(uses.begin(), uses.end());
  out.term.resize(uses.size());
  uint32_t local = 0;
  for (size_t u = 0; u < uses.size(); ++u) {
    if (u > 0 && (uses[u] >> 32) != (uses[u - 1] >> 32)) ++local;
    out.term[static_cast<uint32_t>(uses[u])] = local;
  }
  out.terms = uses.empty() ? 0 : size_t{local} + 1;
  return out;
}

double DotRow(const LocalRows& rows, size_t r, const std::vector<double>& dense) {
  double dot = 0;
  for (size_t k = rows.begin_of(r); k < rows.end[r]; ++k) {
    dot += rows.weight[k] * dense[rows.term[k]];
  }
  return dot;
}

void AddRow(const LocalRows& rows, size_t r, std::vector<double>* dense) {
  for (size_t k = rows.begin_of(r); k < rows.end[r]; ++k) (*dense)[rows.term[k]] += rows.weight[k];
}

double DotDense(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0;
  for (size_t k = 0; k < a.size(); ++k) dot += a[k] * b[k];
  return dot;
}

// The index of the row with the smallest dot with `dense`, skipping `skip`
// (ties: the first).
size_t LeastLike(const LocalRows& rows, const std::vector<double>& dense, size_t skip) {
  size_t best = rows.size();
  double best_dot = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (r == skip) continue;
    const double dot = DotRow(rows, r, dense);
    if (best == rows.size() || dot < best_dot) {
      best = r;
      best_dot = dot;
    }
  }
  return best;
}

void SumSides(const LocalRows& rows, const std::vector<uint8_t>& side,
              std::vector<double> (&sum)[2]) {
  for (std::vector<double>& s : sum) s.assign(rows.terms, 0.0);
  for (size_t r = 0; r < rows.size(); ++r) AddRow(rows, r, &sum[side[r]]);
}

// Mean pairwise cosine within each side and between them, from the sides'
// sums: |S|^2 = sum of self-dots + 2 * sum of pair dots.
BisectionCohesion CohesionOf(const LocalRows& rows, const std::vector<uint8_t>& side,
                             const std::vector<double> (&sum)[2]) {
  double count[2] = {0, 0}, self[2] = {0, 0};
  for (size_t r = 0; r < rows.size(); ++r) {
    count[side[r]] += 1;
    for (size_t k = rows.begin_of(r); k < rows.end[r]; ++k) {
      self[side[r]] += double{rows.weight[k]} * rows.weight[k];
    }
  }
  BisectionCohesion c;
  for (int s = 0; s < 2; ++s) {
    if (count[s] > 1) {
      c.within[s] = (DotDense(sum[s], sum[s]) - self[s]) / (count[s] * (count[s] - 1));
    }
  }
  if (count[0] > 0 && count[1] > 0) c.between = DotDense(sum[0], sum[1]) / (count[0] * count[1]);
  return c;
}

// Members (ascending) split into cohesive parts, each ascending, ordered by
// first member; {members} when the story holds together.
std::vector<std::vector<DocOrdinal>> CohesiveParts(const std::vector<DocOrdinal>& members,
                                                   const TfidfMatrix& matrix, float ratio) {
  std::vector<std::vector<DocOrdinal>> done, todo{members};
  while (!todo.empty()) {
    std::vector<DocOrdinal> part = std::move(todo.back());
    todo.pop_back();
    if (part.size() < 2 * kMinHalfMembers) {
      done.push_back(std::move(part));
      continue;
    }
    BisectionCohesion cohesion;
    const std::vector<uint8_t> side = BisectRows(part, matrix, &cohesion);
    std::vector<DocOrdinal> halves[2];
    for (size_t i = 0; i < part.size(); ++i) halves[side[i]].push_back(part[i]);
    // Against the mean of the two within means: against the lower one (0.66),
    // ECB+ gained only between 0.64 and 0.69 and split a pure event first.
    const double within = 0.5 * (cohesion.within[0] + cohesion.within[1]);
    const bool apart = halves[0].size() >= kMinHalfMembers && halves[1].size() >= kMinHalfMembers &&
                       cohesion.between < ratio * within;
    if (!apart) {
      done.push_back(std::move(part));
      continue;
    }
    todo.push_back(std::move(halves[0]));
    todo.push_back(std::move(halves[1]));
  }
  std::sort(done.begin(), done.end());
  return done;
}

// Members averaging at most `max_terms` terms (the short-text regime's
// stories; 0: none is).
bool IsShortTextStory(const std::vector<DocOrdinal>& members, const TfidfMatrix& matrix,
                      int max_terms) {
  size_t terms = 0;
  for (DocOrdinal d : members) terms += matrix.row(d).size();
  return terms <= static_cast<size_t>(max_terms) * members.size();
}

}  // namespace

std::vector<uint8_t> BisectRows(absl::Span<const DocOrdinal> rows_in, const TfidfMatrix& matrix,
                                BisectionCohesion* cohesion) {
  const LocalRows rows = ToLocalRows(rows_in, matrix);
  const size_t n = rows.size();
  std::vector<double> sum[2];
  // Seeds far apart: the row least like the whole, then the row least like it.
  std::vector<double> all(rows.terms, 0.0);
  for (size_t r = 0; r < n; ++r) AddRow(rows, r, &all);
  const size_t seed_a = LeastLike(rows, all, n);
  std::vector<double> seed(rows.terms, 0.0);
  AddRow(rows, seed_a, &seed);
  const size_t seed_b = LeastLike(rows, seed, seed_a);
  for (std::vector<double>& s : sum) s.assign(rows.terms, 0.0);
  AddRow(rows, seed_a, &sum[0]);
  AddRow(rows, seed_b, &sum[1]);
  // Each round moves every row to the side whose sum it is more alike (by
  // cosine; ties: side 0), then re-sums, until no row moves.
  std::vector<uint8_t> side(n, 0);
  for (int round = 0; round < kMaxBisectRounds; ++round) {
    double norm[2];
    for (int s = 0; s < 2; ++s) norm[s] = std::sqrt(DotDense(sum[s], sum[s]));
    bool moved = round == 0;
    for (size_t r = 0; r < n; ++r) {
      const double cos0 = norm[0] > 0 ? DotRow(rows, r, sum[0]) / norm[0] : -1;
      const double cos1 = norm[1] > 0 ? DotRow(rows, r, sum[1]) / norm[1] : -1;
      const uint8_t s = cos1 > cos0 ? 1 : 0;
      moved |= s != side[r];
      side[r] = s;
    }
    SumSides(rows, side, sum);
    if (!moved) break;
  }
  if (cohesion != nullptr) *cohesion = CohesionOf(rows, side, sum);
  return side;
}

std::vector<Story> SplitIncoherentStories(std::vector<Story> stories,
                                          const std::vector<DocMeta>& meta,
                                          const TfidfMatrix& matrix, const StoryOptions& options,
                                          int threads) {
  if (options.cohesion_split <= 0) return stories;
  std::vector<std::vector<std::vector<DocOrdinal>>> parts(stories.size());
  ParallelFor(stories.size(), threads, [&](size_t s) {
    const std::vector<DocOrdinal>& members = stories[s].members;
    if (members.size() >= 2 * kMinHalfMembers &&
        !IsShortTextStory(members, matrix, options.short_text_terms)) {
      parts[s] = CohesiveParts(members, matrix, options.cohesion_split);
    }
  });
  std::vector<Story> out;
  out.reserve(stories.size());
  for (size_t s = 0; s < stories.size(); ++s) {
    if (parts[s].size() < 2) {
      out.push_back(std::move(stories[s]));
      continue;
    }
    for (std::vector<DocOrdinal>& part : parts[s]) {
      out.push_back(MakeStory(std::move(part), meta, matrix, options.label_terms));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Story& a, const Story& b) { return a.members[0] < b.members[0]; });
  return out;
}

}  // namespace storysift::internal
