// AssignStoryIds: reconciles a run's clustering with the stored stories.
// Pure: the state's files are read and written in lib/src/state.
#include "storysift/story_state.h"

#include <algorithm>
#include <numeric>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "storysift/date.h"

namespace storysift {
namespace {

constexpr int64_t kNone = -1;

// Story ids are "s" + a number of at least four digits: a shorter id is an
// older one, and ids of one length compare as strings.
bool OlderId(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

// The key with the largest count; ties to the older stored story.
int64_t Plurality(const absl::flat_hash_map<int64_t, size_t>& counts,
                  const std::vector<StoredStory>& stored) {
  int64_t best = kNone;
  size_t best_count = 0;
  for (const auto& [s, count] : counts) {
    if (count > best_count ||
        (count == best_count && OlderId(stored[s].story_id, stored[best].story_id))) {
      best = s;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

std::string_view StoryStatusName(StoryStatus status) {
  switch (status) {
    case StoryStatus::kNew:
      return "new";
    case StoryStatus::kUpdated:
      return "updated";
    case StoryStatus::kUnchanged:
      return "unchanged";
    case StoryStatus::kMerged:
      return "merged";
  }
  return "new";
}

StoryRun AssignStoryIds(const DocumentTable& corpus, const std::vector<RankedStory>& stories,
                        const std::vector<bool>& changed, int64_t retention_seconds,
                        StoryState* state, int64_t latest_credible) {
  const size_t n = corpus.num_docs();
  const std::vector<StoredStory>& stored = state->stories;
  // Which stored story each document belonged to (the first document with a
  // stored id takes it; a repeated id in today's input is a new article).
  absl::flat_hash_map<std::string_view, std::pair<int64_t, int64_t>> member_of;  // story, seen
  for (size_t s = 0; s < stored.size(); ++s) {
    for (const StoryStateMember& m : stored[s].members) {
      member_of[m.id] = {static_cast<int64_t>(s), m.seen};
    }
  }
  StoryRun run;
  // Publication times as the state's clock counts them.
  std::vector<std::optional<int64_t>> published(n);
  for (DocOrdinal d = 0; d < n; ++d) {
    published[d] = corpus.meta[d].published;
    if (published[d] && *published[d] > latest_credible) published[d] = latest_credible;
    if (published[d] && *published[d] > state->now) state->now = *published[d];
  }
  run.is_new.assign(n, true);
  run.seen.assign(n, 0);
  std::vector<int64_t> old_story(n, kNone);
  for (DocOrdinal d = 0; d < n; ++d) {
    const bool capped = corpus.meta[d].published > published[d];  // Capped above.
    auto it = member_of.find(corpus.ids[d]);
    if (it != member_of.end() && it->second.first != kNone) {
      old_story[d] = it->second.first;
      run.seen[d] = it->second.second;
      run.is_new[d] = false;
      it->second.first = kNone;  // Taken.
      // A new version arrives now; a stored one was counted when it came.
      (changed.size() > d && changed[d] ? run.future_dated : run.future_dated_held) += capped;
    } else {
      run.seen[d] = published[d].value_or(state->now);
      run.future_dated += capped;
    }
  }
  // The stored story owning each cluster: the one with most members in it.
  std::vector<int64_t> owner(stories.size(), kNone);
  std::vector<bool> owns(stored.size(), false);
  std::vector<absl::flat_hash_map<int64_t, size_t>> spread(stored.size());  // owner -> count
  for (size_t c = 0; c < stories.size(); ++c) {
    absl::flat_hash_map<int64_t, size_t> counts;
    for (const RankedArticle& a : stories[c].articles) {
      if (old_story[a.ordinal] != kNone) ++counts[old_story[a.ordinal]];
    }
    owner[c] = Plurality(counts, stored);
    if (owner[c] != kNone) owns[owner[c]] = true;
  }
  // Only news (a document new to the state, or changed) brings stored
  // stories together. Without it, a clustering that differs only because the
  // window lost its archived documents (the idf moved) or because the state
  // is clustered again (a re-run) leaves every stored story as it was.
  for (size_t c = 0; c < stories.size(); ++c) {
    bool news = false;
    for (const RankedArticle& a : stories[c].articles) {
      const DocOrdinal d = a.ordinal;
      news = news || old_story[d] == kNone || (changed.size() > d && changed[d]);
    }
    if (!news) continue;
    for (const RankedArticle& a : stories[c].articles) {
      if (old_story[a.ordinal] != kNone) ++spread[old_story[a.ordinal]][owner[c]];
    }
  }
  // A stored story that owns no cluster merges into the owner holding most
  // of its articles in clusters with news; owners never merge, so there are
  // no chains.
  std::vector<int64_t> group(stored.size());
  for (size_t s = 0; s < stored.size(); ++s) {
    group[s] =
        owns[s] || spread[s].empty() ? static_cast<int64_t>(s) : Plurality(spread[s], stored);
  }
  // Each group keeps its oldest id.
  std::vector<int64_t> keeper(stored.size(), kNone);
  for (size_t s = 0; s < stored.size(); ++s) {
    int64_t& k = keeper[group[s]];
    if (k == kNone || OlderId(stored[s].story_id, stored[k].story_id)) k = static_cast<int64_t>(s);
  }
  // Members: stored articles stay with their (group's) story; new articles
  // go with their cluster's owner, or form the cluster's new story.
  std::vector<std::vector<DocOrdinal>> group_members(stored.size());
  std::vector<bool> gained(stored.size(), false);
  std::vector<int64_t> group_source(stored.size(), kNone);
  std::vector<size_t> group_source_overlap(stored.size(), 0);
  std::vector<std::vector<DocOrdinal>> new_story_members(stories.size());
  for (size_t c = 0; c < stories.size(); ++c) {
    absl::flat_hash_map<int64_t, size_t> per_group;
    for (const RankedArticle& a : stories[c].articles) {
      const DocOrdinal d = a.ordinal;
      if (old_story[d] != kNone) {
        const int64_t g = group[old_story[d]];
        group_members[g].push_back(d);
        ++per_group[g];
        if (changed.size() > d && changed[d]) gained[g] = true;
      } else if (owner[c] != kNone) {
        const int64_t g = group[owner[c]];
        group_members[g].push_back(d);
        gained[g] = true;
        ++per_group[g];
      } else {
        new_story_members[c].push_back(d);
      }
    }
    for (const auto& [g, count] : per_group) {
      if (count > group_source_overlap[g] ||
          (count == group_source_overlap[g] && static_cast<int64_t>(c) < group_source[g])) {
        group_source[g] = static_cast<int64_t>(c);
        group_source_overlap[g] = count;
      }
    }
  }
  const int64_t archive_before = SecondsBefore(state->now, retention_seconds);
  auto finish = [&](StoryIdentity& story) {
    std::sort(story.members.begin(), story.members.end());
    for (DocOrdinal d : story.members) story.last_active = std::max(story.last_active, run.seen[d]);
    story.archived = story.last_active < archive_before;
    std::vector<DocOrdinal> source;
    for (const RankedArticle& a : stories[story.source_story].articles) source.push_back(a.ordinal);
    std::sort(source.begin(), source.end());
    story.same_as_source = source == story.members;
  };
  std::vector<StoryIdentity> merged;
  for (size_t s = 0; s < stored.size(); ++s) {
    if (group[s] != static_cast<int64_t>(s)) continue;  // Not a group root.
    const std::string& keep_id = stored[keeper[s]].story_id;
    bool absorbed = false;
    for (size_t t = 0; t < stored.size(); ++t) {
      if (group[t] != static_cast<int64_t>(s) || static_cast<int64_t>(t) == keeper[s]) continue;
      StoryIdentity m;
      m.story_id = stored[t].story_id;
      m.status = StoryStatus::kMerged;
      m.merged_into = keep_id;
      merged.push_back(std::move(m));
      absorbed = true;
    }
    if (group_members[s].empty()) continue;  // Its documents are gone (cannot happen).
    StoryIdentity story;
    story.story_id = keep_id;
    story.status = gained[s] || absorbed ? StoryStatus::kUpdated : StoryStatus::kUnchanged;
    story.members = std::move(group_members[s]);
    story.source_story = static_cast<size_t>(group_source[s]);
    finish(story);
    run.stories.push_back(std::move(story));
  }
  for (size_t c = 0; c < stories.size(); ++c) {
    if (new_story_members[c].empty()) continue;
    StoryIdentity story;
    story.story_id = FormatStoryId(state->next_story++);
    story.status = StoryStatus::kNew;
    story.members = std::move(new_story_members[c]);
    story.source_story = c;
    finish(story);
    run.stories.push_back(std::move(story));
  }
  std::stable_sort(run.stories.begin(), run.stories.end(),
                   [](const StoryIdentity& a, const StoryIdentity& b) {
                     return a.members.front() < b.members.front();
                   });
  std::sort(merged.begin(), merged.end(), [](const StoryIdentity& a, const StoryIdentity& b) {
    return OlderId(a.story_id, b.story_id);
  });
  for (StoryIdentity& m : merged) run.stories.push_back(std::move(m));
  return run;
}

}  // namespace storysift
