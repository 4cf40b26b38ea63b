// Centroid assignment shared by StoryTracker and StoryAssigner (first-story
// detection in the manner of Petrovic, Osborne and Lavrenko 2010).
#include <algorithm>
#include <cmath>

#include "cluster/story_internal.h"
#include "storysift/story_clusterer.h"

namespace storysift::internal {

double Centroid::Dot(SparseVectorView v) const {
  double dot = 0;
  for (size_t k = 0; k < v.size(); ++k) {
    auto it = weights.find(v.ids[k]);
    if (it != weights.end()) dot += double{it->second} * v.weights[k];
  }
  return dot;
}

void Centroid::Add(SparseVectorView v, double dot) {
  double self = 0;
  for (size_t k = 0; k < v.size(); ++k) {
    weights[v.ids[k]] += v.weights[k];
    self += double{v.weights[k]} * v.weights[k];
  }
  norm2 += 2 * dot + self;  // |c + v|^2 = |c|^2 + 2 c.v + |v|^2.
}

void StoryTermIndex::Post(uint32_t story, absl::Span<const uint32_t> top_terms, Centroid* c) {
  for (uint32_t t : top_terms) {
    auto pos = std::lower_bound(c->index_terms.begin(), c->index_terms.end(), t);
    if (pos != c->index_terms.end() && *pos == t) continue;
    c->index_terms.insert(pos, t);
    term_to_story_[t].push_back(story);
  }
}

void StoryTermIndex::Unpost(uint32_t story, Centroid* c) {
  for (uint32_t t : c->index_terms) {
    auto it = term_to_story_.find(t);
    auto& list = it->second;
    list.erase(std::find(list.begin(), list.end(), story));
    if (list.empty()) term_to_story_.erase(it);
  }
  c->index_terms = {};
}

void StoryTermIndex::Candidates(absl::Span<const uint32_t> top_terms,
                                std::vector<uint32_t>* out) const {
  out->clear();
  for (uint32_t t : top_terms) {
    auto it = term_to_story_.find(t);
    if (it != term_to_story_.end()) out->insert(out->end(), it->second.begin(), it->second.end());
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

size_t StoryTermIndex::MemoryUsage() const {
  size_t bytes =
      term_to_story_.capacity() * (1 + sizeof(std::pair<uint32_t, std::vector<uint32_t>>));
  for (const auto& [term, list] : term_to_story_) bytes += list.capacity() * sizeof(uint32_t);
  return bytes;
}

BestStory FindBestStory(
    absl::Span<const uint32_t> candidates, SparseVectorView v, std::optional<int64_t> published,
    int64_t window_seconds,
    absl::FunctionRef<std::pair<const Centroid*, std::optional<int64_t>>(uint32_t)> story) {
  BestStory best;
  for (uint32_t c : candidates) {
    const auto [centroid, last] = story(c);
    const double dot = centroid->Dot(v);
    const double sim =
        dot / std::sqrt(centroid->norm2) * TimeDecay(published, last, window_seconds);
    if (sim > best.similarity) {
      best.similarity = sim;
      best.story = c;
      best.dot = dot;
    }
  }
  return best;
}

}  // namespace storysift::internal
