// Streaming story tracking by centroid assignment: first-story detection
// (Petrovic, Osborne and Lavrenko 2010; Allan, Papka and Lavrenko 1998,
// "On-line new event detection and tracking"). Open stories are found
// through an inverted index from their members' top terms, so each item is
// compared only with stories sharing a heavy term.
#include <algorithm>
#include <cmath>
#include <memory>

#include "absl/strings/str_format.h"
#include "cluster/story_internal.h"
#include "storysift/story_clusterer.h"

namespace storysift {

struct StoryTracker::State {
  struct StoryState {
    std::vector<DocOrdinal> members;
    std::optional<int64_t> first_published, last_published;
    internal::Centroid centroid;  // Freed when closed.
    std::vector<uint32_t> top_terms;  // Label candidates, set on close.
    std::vector<float> label_weights;
  };
  bool finished = false;
  std::optional<int64_t> newest;
  std::vector<StoryState> stories;
  std::vector<uint32_t> open;  // Open story numbers, ascending.
  internal::StoryTermIndex index;  // Over open stories.
  absl::flat_hash_map<DocOrdinal, uint32_t> seen;
};

StoryTracker::StoryTracker(const StoryOptions& options)
    : options_(options), state_(std::make_unique<State>()) {}
StoryTracker::StoryTracker(StoryTracker&&) noexcept = default;
StoryTracker& StoryTracker::operator=(StoryTracker&&) noexcept = default;
StoryTracker::~StoryTracker() = default;

size_t StoryTracker::num_open_stories() const { return state_->open.size(); }

absl::StatusOr<StoryTracker> StoryTracker::Create(const StoryOptions& options) {
  if (absl::Status s = internal::ValidateStoryOptions(options); !s.ok()) return s;
  return StoryTracker(options);
}

void StoryTracker::Close(uint32_t story) {
  State::StoryState& s = state_->stories[story];
  // Keep a few more label candidates than needed; Finish() breaks ties by
  // term hash once the vocabulary is known.
  std::vector<std::pair<uint32_t, float>> terms(s.centroid.weights.begin(),
                                                s.centroid.weights.end());
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
  state_->index.Unpost(story, &s.centroid);
  s.centroid = {};
  auto& open = state_->open;
  open.erase(std::lower_bound(open.begin(), open.end(), story));
}

void StoryTracker::CloseIdle(int64_t now) {
  const double horizon = internal::CloseHorizonSeconds(options_);
  std::vector<uint32_t> idle;
  for (uint32_t s : state_->open) {
    const auto& last = state_->stories[s].last_published;
    if (last.has_value() && static_cast<double>(now - *last) > horizon) idle.push_back(s);
  }
  for (uint32_t s : idle) Close(s);
}

absl::StatusOr<uint32_t> StoryTracker::Add(const StoryItem& item) {
  State& st = *state_;
  if (st.finished) return absl::FailedPreconditionError("Add() after Finish()");
  if (st.seen.contains(item.ordinal)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("ordinal %u added twice", item.ordinal));
  }
  if (item.published.has_value()) {
    if (st.newest.has_value() && *item.published < *st.newest) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "ordinal %u published at %d, before an earlier item's %d: add in time order",
          item.ordinal, *item.published, *st.newest));
    }
    st.newest = item.published;
    CloseIdle(*item.published);
  }
  std::vector<uint32_t> top;
  internal::TopTerms(item.vector, options_.candidates.top_terms, &top);
  std::vector<uint32_t> candidates;
  st.index.Candidates(top, &candidates);
  // Best story by decayed centroid cosine; ties go to the older story.
  internal::BestStory best = internal::FindBestStory(
      candidates, item.vector, item.published, options_.window_seconds, [&](uint32_t c) {
        return std::make_pair(&st.stories[c].centroid, st.stories[c].last_published);
      });
  if (best.story == UINT32_MAX || best.similarity < options_.threshold) {
    best.story = st.stories.size();
    best.dot = 0;
    st.stories.emplace_back();
    st.open.push_back(best.story);  // Numbers grow, so open stays sorted.
  }
  State::StoryState& s = st.stories[best.story];
  s.members.push_back(item.ordinal);
  if (item.published.has_value()) {
    s.first_published = std::min(s.first_published.value_or(*item.published), *item.published);
    s.last_published = std::max(s.last_published.value_or(*item.published), *item.published);
  }
  s.centroid.Add(item.vector, best.dot);
  st.index.Post(best.story, top, &s.centroid);
  st.seen.emplace(item.ordinal, best.story);
  return best.story;
}

absl::StatusOr<std::vector<Story>> StoryTracker::Finish(const Vocabulary& vocabulary) {
  State& st = *state_;
  if (st.finished) return absl::FailedPreconditionError("Finish() called twice");
  st.finished = true;
  while (!st.open.empty()) Close(st.open.back());
  std::vector<Story> out;
  out.reserve(st.stories.size());
  for (State::StoryState& s : st.stories) {
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
  st.stories.clear();
  std::sort(out.begin(), out.end(),
            [](const Story& a, const Story& b) { return a.members[0] < b.members[0]; });
  return out;
}

}  // namespace storysift
