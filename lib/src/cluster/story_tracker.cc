// Streaming story tracking by centroid assignment: first-story detection
// (Petrovic, Osborne and Lavrenko 2010; Allan, Papka and Lavrenko 1998,
// "On-line new event detection and tracking"). Open stories are found
// through an inverted index from their members' top terms, so each item is
// compared only with stories sharing a heavy term.
#include <algorithm>
#include <cmath>

#include "absl/strings/str_format.h"
#include "cluster/story_internal.h"
#include "storysift/story_clusterer.h"

namespace storysift {

absl::StatusOr<StoryTracker> StoryTracker::Create(const StoryOptions& options) {
  if (absl::Status s = internal::ValidateStoryOptions(options); !s.ok()) return s;
  return StoryTracker(options);
}

void StoryTracker::Close(uint32_t story) {
  StoryState& s = stories_[story];
  // Keep a few more label candidates than needed; Finish() breaks ties by
  // term hash once the vocabulary is known.
  std::vector<std::pair<uint32_t, float>> terms(s.centroid.begin(), s.centroid.end());
  const size_t keep = std::min<size_t>(options_.label_terms + 4, terms.size());
  std::partial_sort(terms.begin(), terms.begin() + keep, terms.end(),
                    [](const auto& a, const auto& b) {
                      return a.second != b.second ? a.second > b.second : a.first < b.first;
                    });
  terms.resize(keep);
  s.top_terms.clear();
  s.label_weights.clear();
  for (const auto& [id, w] : terms) {
    s.top_terms.push_back(id);
    s.label_weights.push_back(w);
  }
  for (uint32_t t : s.index_terms) {
    auto it = term_to_story_.find(t);
    auto& list = it->second;
    list.erase(std::find(list.begin(), list.end(), story));
    if (list.empty()) term_to_story_.erase(it);
  }
  s.index_terms = {};
  s.centroid = {};
  open_.erase(std::lower_bound(open_.begin(), open_.end(), story));
}

void StoryTracker::CloseIdle(int64_t now) {
  const double horizon = internal::CloseHorizonSeconds(options_);
  std::vector<uint32_t> idle;
  for (uint32_t s : open_) {
    const auto& last = stories_[s].last_published;
    if (last.has_value() && static_cast<double>(now - *last) > horizon) idle.push_back(s);
  }
  for (uint32_t s : idle) Close(s);
}

absl::StatusOr<uint32_t> StoryTracker::Add(const StoryItem& item) {
  if (finished_) return absl::FailedPreconditionError("Add() after Finish()");
  if (seen_.contains(item.ordinal)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("ordinal %u added twice", item.ordinal));
  }
  if (item.published.has_value()) {
    if (newest_.has_value() && *item.published < *newest_) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "ordinal %u published at %d, before an earlier item's %d: add in time order",
          item.ordinal, *item.published, *newest_));
    }
    newest_ = item.published;
    CloseIdle(*item.published);
  }
  std::vector<uint32_t> top;
  internal::TopTerms(item.vector, options_.candidates.top_terms, &top);
  std::vector<uint32_t> candidates;
  for (uint32_t t : top) {
    auto it = term_to_story_.find(t);
    if (it != term_to_story_.end()) {
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  // Best story by decayed centroid cosine; ties go to the older story.
  uint32_t best = UINT32_MAX;
  double best_sim = -1, best_raw_dot = 0;
  for (uint32_t c : candidates) {
    const StoryState& s = stories_[c];
    double dot = 0;
    for (size_t k = 0; k < item.vector.size(); ++k) {
      auto it = s.centroid.find(item.vector.ids[k]);
      if (it != s.centroid.end()) dot += double{it->second} * item.vector.weights[k];
    }
    const double sim = dot / std::sqrt(s.norm2) *
                       TimeDecay(item.published, s.last_published, options_.window_seconds);
    if (sim > best_sim) {
      best_sim = sim;
      best = c;
      best_raw_dot = dot;
    }
  }
  if (best == UINT32_MAX || best_sim < options_.threshold) {
    best = stories_.size();
    best_raw_dot = 0;
    stories_.emplace_back();
    open_.push_back(best);  // Numbers grow, so open_ stays sorted.
  }
  StoryState& s = stories_[best];
  s.members.push_back(item.ordinal);
  if (item.published.has_value()) {
    s.first_published = std::min(s.first_published.value_or(*item.published), *item.published);
    s.last_published = std::max(s.last_published.value_or(*item.published), *item.published);
  }
  double self = 0;
  for (size_t k = 0; k < item.vector.size(); ++k) {
    s.centroid[item.vector.ids[k]] += item.vector.weights[k];
    self += double{item.vector.weights[k]} * item.vector.weights[k];
  }
  s.norm2 += 2 * best_raw_dot + self;  // |c + v|^2 = |c|^2 + 2 c.v + |v|^2.
  for (uint32_t t : top) {
    auto pos = std::lower_bound(s.index_terms.begin(), s.index_terms.end(), t);
    if (pos != s.index_terms.end() && *pos == t) continue;
    s.index_terms.insert(pos, t);
    term_to_story_[t].push_back(best);
  }
  seen_.emplace(item.ordinal, best);
  return best;
}

absl::StatusOr<std::vector<Story>> StoryTracker::Finish(const Vocabulary& vocabulary) {
  if (finished_) return absl::FailedPreconditionError("Finish() called twice");
  finished_ = true;
  while (!open_.empty()) Close(open_.back());
  std::vector<Story> out;
  out.reserve(stories_.size());
  for (StoryState& s : stories_) {
    Story story;
    story.members = std::move(s.members);
    std::sort(story.members.begin(), story.members.end());
    std::vector<std::pair<uint32_t, float>> terms;
    for (size_t i = 0; i < s.top_terms.size(); ++i) {
      terms.emplace_back(s.top_terms[i], s.label_weights[i]);
    }
    story.label = internal::LabelOf(std::move(terms), vocabulary, options_.label_terms);
    story.first_published = s.first_published;
    story.last_published = s.last_published;
    out.push_back(std::move(story));
  }
  stories_.clear();
  std::sort(out.begin(), out.end(),
            [](const Story& a, const Story& b) { return a.members[0] < b.members[0]; });
  return out;
}

}  // namespace storysift
