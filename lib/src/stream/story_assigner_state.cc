// The streaming story assigner's state (story_assigner_state.h): its
// vocabulary, stories and members, and its retention clock.
#include "stream/story_assigner_state.h"

#include <algorithm>
#include <cassert>

#include "state/retention_clock.h"
#include "stream/dedup_state.h"

namespace storysift {

uint32_t internal::StoryAssignerState::Intern(uint64_t hash, std::string_view surface) {
  const uint32_t id = static_cast<uint32_t>(term_hash.size());
  term_id.emplace(hash, id);
  term_hash.push_back(hash);
  display.emplace_back(surface);
  df.push_back(0);
  name_df.push_back(0);
  templated_df.push_back(0);
  name_form.emplace_back();
  return id;
}

void internal::StoryAssignerState::CountDocument(const CountedDocument& doc) {
  const bool templated = doc.counts.templated;
  for (size_t e = 0; e < doc.counts.entries.size(); ++e) {
    const uint64_t term = doc.counts.entries[e].term;
    const auto it = term_id.find(term);
    const uint32_t id = it != term_id.end() ? it->second : Intern(term, doc.counts.entry_form(e));
    ++df[id];
    templated_df[id] += templated;
  }
  for (size_t k = 0; k < doc.counts.names.size(); ++k) {
    const auto it = term_id.find(doc.counts.names[k].term);
    if (it == term_id.end()) continue;  // Only terms with tf > 0 are named.
    if (name_df[it->second]++ == 0) name_form[it->second] = doc.counts.name_form(k);
  }
  ++docs_seen;
  templated_docs += templated;
}

void internal::StoryAssignerState::HoldDate(const Member& m, uint32_t number) {
  if (!m.published.has_value()) return;
  dates.insert(*m.published);
  if (m.ahead()) ahead.emplace(*m.published, number);
}

void internal::StoryAssignerState::ReleaseDate(const Member& m, uint32_t number) {
  if (!m.published.has_value()) return;
  dates.erase(dates.find(*m.published));
  if (m.ahead()) {
    const auto entry = ahead.find({*m.published, number});
    assert(entry != ahead.end());
    ahead.erase(entry);
  }
}

void internal::StoryAssignerState::Refile(uint32_t number) {
  StoryRec& s = stories.at(number);
  if (s.last_seen.has_value()) dated.erase({*s.last_seen, number});
  s.last_published.reset();
  s.last_seen.reset();
  for (const Member& m : s.members) {
    if (!m.published.has_value()) continue;
    s.last_published = std::max(s.last_published.value_or(*m.published), *m.published);
    s.last_seen = std::max(s.last_seen.value_or(m.seen), m.seen);
  }
  if (s.last_seen.has_value()) dated.emplace(*s.last_seen, number);
}

void internal::StoryAssignerState::Append(uint32_t number, Member member, double dot,
                                          const std::vector<uint32_t>& top) {
  StoryRec& s = stories[number];
  if (member.published.has_value()) {
    if (s.last_seen.has_value()) dated.erase({*s.last_seen, number});
    s.last_published = std::max(s.last_published.value_or(*member.published), *member.published);
    s.last_seen = std::max(s.last_seen.value_or(member.seen), member.seen);
    dated.emplace(*s.last_seen, number);
  }
  HoldDate(member, number);
  s.centroid.Add(member.vector.view(), dot);
  index.Post(number, top, &s.centroid);
  story_of.emplace(member.id, number);
  s.members.push_back(std::move(member));
}

void internal::StoryAssignerState::Rebuild(uint32_t number, int top_terms) {
  StoryRec& s = stories[number];
  index.Unpost(number, &s.centroid);
  s.centroid = {};
  std::vector<uint32_t> top;
  for (const Member& m : s.members) {
    internal::TopTerms(m.vector.view(), top_terms, &top);
    s.centroid.Add(m.vector.view(), s.centroid.Dot(m.vector.view()));
    index.Post(number, top, &s.centroid);
  }
  Refile(number);
}

void internal::StoryAssignerState::RemoveMember(uint32_t number, std::string_view id,
                                                int top_terms) {
  std::vector<Member>& members = stories.at(number).members;
  const auto it =
      std::find_if(members.begin(), members.end(), [&](const Member& m) { return m.id == id; });
  assert(it != members.end());
  ReleaseDate(*it, number);
  story_of.erase(AbslView(id));
  members.erase(it);
  Rebuild(number, top_terms);
}

size_t internal::StoryAssignerState::FreeStory(uint32_t number) {
  auto it = stories.find(number);
  assert(it != stories.end());
  StoryRec& s = it->second;
  index.Unpost(number, &s.centroid);
  if (s.last_seen.has_value()) dated.erase({*s.last_seen, number});
  for (const Member& m : s.members) {
    ReleaseDate(m, number);
    story_of.erase(m.id);
  }
  const size_t count = s.members.size();
  stories.erase(it);
  return count;
}

namespace {

// The held dates (newest first) with one more merged in: what
// LatestCredibleDate reads for a document about to be added, without
// adding it (Query holds only a shared lock). The extra date is a plain
// int64 with a flag, not a std::optional: GCC 12 took the optional's value,
// read only when engaged, as maybe uninitialized (-Wmaybe-uninitialized).
class NewestFirstWith {
 public:
  using Held = absl::btree_multiset<int64_t>::const_reverse_iterator;
  // The held dates [it, end) and `extra`.
  NewestFirstWith(Held it, Held end, int64_t extra)
      : it_(it), end_(end), extra_(extra), extra_pending_(true) {}
  // The end of a merge: nothing held left, the extra date taken.
  explicit NewestFirstWith(Held end) : it_(end), end_(end), extra_(0), extra_pending_(false) {}

  int64_t operator*() const { return ExtraNext() ? extra_ : *it_; }
  NewestFirstWith& operator++() {
    if (ExtraNext()) {
      extra_pending_ = false;
    } else {
      ++it_;
    }
    return *this;
  }
  bool operator==(const NewestFirstWith& o) const {
    return it_ == o.it_ && extra_pending_ == o.extra_pending_;
  }
  bool operator!=(const NewestFirstWith& o) const { return !(*this == o); }

 private:
  bool ExtraNext() const { return extra_pending_ && (it_ == end_ || extra_ >= *it_); }
  Held it_, end_;
  int64_t extra_;
  bool extra_pending_;  // The extra date is still to come.
};

}  // namespace

int64_t internal::StoryAssignerState::CountedTime(int64_t date, int64_t retention_seconds,
                                                  int64_t now, bool* is_ahead) const {
  // The clock goes as far as the credible dates of the held members and
  // this one allow, never back: a lone typo moves nothing.
  int64_t limit = internal::LatestCredibleDate(NewestFirstWith(dates.rbegin(), dates.rend(), date),
                                               NewestFirstWith(dates.rend()), retention_seconds,
                                               now);
  if (newest.has_value()) limit = std::max(limit, *newest);
  *is_ahead = date > limit;
  return std::min(date, limit);
}

void internal::StoryAssignerState::AdvanceClock(int64_t clock) {
  if (newest.has_value() && *newest >= clock) return;
  newest = clock;
  std::vector<uint32_t> reached;
  while (!ahead.empty() && ahead.begin()->first <= clock) {
    reached.push_back(ahead.begin()->second);
    ahead.erase(ahead.begin());
  }
  std::sort(reached.begin(), reached.end());
  reached.erase(std::unique(reached.begin(), reached.end()), reached.end());
  for (const uint32_t number : reached) {
    for (Member& m : stories.at(number).members) {
      if (m.ahead() && *m.published <= clock) m.seen = *m.published;
    }
    Refile(number);
  }
}

void internal::StoryAssignerState::RecountFromClock(int64_t clock) {
  newest = clock;
  ahead.clear();
  for (auto& [number, s] : stories) {
    for (Member& m : s.members) {
      if (!m.published.has_value()) continue;
      m.seen = std::min(*m.published, clock);
      if (m.ahead()) ahead.emplace(*m.published, number);
    }
    Refile(number);
  }
}

size_t internal::StoryAssignerState::EvictBefore(int64_t cutoff) {
  size_t count = 0;
  while (!dated.empty() && dated.begin()->first < cutoff) {
    count += FreeStory(dated.begin()->second);
  }
  return count;
}

std::optional<int64_t> internal::StoryAssignerState::LastSeenAt(const StoryRec& s,
                                                                int64_t clock) const {
  if (!s.last_seen.has_value() || *s.last_published <= clock) return s.last_published;
  int64_t last = *s.last_seen;
  for (const Member& m : s.members) {
    if (m.ahead() && *m.published <= clock) last = std::max(last, *m.published);
  }
  return last;
}

// ---- Weighting and judgement ----

}  // namespace storysift
