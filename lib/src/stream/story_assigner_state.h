// The mutable state behind a StoryAssigner (private to lib/src/stream).
#ifndef STORYSIFT_STREAM_STORY_ASSIGNER_STATE_H_
#define STORYSIFT_STREAM_STORY_ASSIGNER_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "cluster/story_internal.h"
#include "storysift/story_assigner.h"
#include "storysift/tfidf.h"

namespace storysift {

// A document's term counts (with each term's surface form and each name's
// written form: TermCounts::entry_form, name_form), computed before the lock
// is taken.
namespace internal {

struct CountedDocument {
  TermCounts counts;  // Sorted by term hash.
};

struct StoryAssignerState {
  struct Member {
    std::string id;
    std::optional<int64_t> published;
    // The time the retention counts a dated member from: its publication
    // time, or the clock when it arrived if that date was past the latest
    // credible one (until the clock reaches it). 0 if undated.
    int64_t seen = 0;
    SparseVector vector;  // As weighted on arrival.
    // Counted at the clock, not at its own (later) date.
    bool ahead() const { return published.has_value() && seen < *published; }
  };
  struct StoryRec {
    std::vector<Member> members;  // Arrival order.
    // The newest member's publication time: what the time decay reads.
    std::optional<int64_t> last_published;
    // The newest member's `seen`: what the retention reads.
    std::optional<int64_t> last_seen;
    internal::Centroid centroid;  // Replay of the members' vectors in order.
  };

  // What a judgement found, for Add to apply.
  struct Judgement {
    StoryVerdict verdict;
    uint32_t story = 0;  // Joined story; 0 for a new one.
    double dot = 0;
    SparseVector vector;
    std::vector<uint32_t> top;
    size_t known_terms = 0;  // Vocabulary size the ids were given against.
  };

  mutable std::shared_mutex mu;

  // Vocabulary: ids in first-seen order (within a document, term hash order).
  absl::flat_hash_map<uint64_t, uint32_t> term_id;
  std::vector<uint64_t> term_hash;
  std::vector<std::string> display;
  std::vector<uint32_t> df;  // Documents added that held the term.
  uint64_t docs_seen = 0;    // Documents added (N of the running idf).
  // The corpus evidence labels judge terms by (vector/label_terms.h), kept
  // as the batch vocabulary gathers it: by term id, the documents using it
  // as a name and the templated documents holding it, and its form when
  // first written as a name ("" if never).
  std::vector<uint32_t> name_df;
  std::vector<uint32_t> templated_df;
  std::vector<std::string> name_form;
  uint64_t templated_docs = 0;  // Documents added whose bodies are mostly layout.

  std::map<uint32_t, StoryRec> stories;  // By story number (1, 2, ...).
  uint32_t next_story = 1;
  absl::flat_hash_map<std::string, uint32_t> story_of;  // Document id -> story.
  std::set<std::pair<int64_t, uint32_t>> dated;         // (last_seen, story).
  // Members counted at the clock (Member::ahead), by (published, story):
  // each counts at its own date once the clock gets there.
  std::multiset<std::pair<int64_t, uint32_t>> ahead;
  // Publication times of the held members: what the clock's credibility
  // rule (state/retention_clock.h) reads.
  absl::btree_multiset<int64_t> dates;
  // The retention clock: the latest credible publication time added.
  std::optional<int64_t> newest;
  internal::StoryTermIndex index;

  // Rebuilds a story's centroid and postings from its members (in order)
  // and its times.
  void Rebuild(uint32_t number, int top_terms);
  // Frees a story and forgets its documents. Returns the documents freed.
  size_t FreeStory(uint32_t number);
  // Removes one member (not the story's last) and rebuilds the story.
  void RemoveMember(uint32_t number, std::string_view id, int top_terms);
  // Appends a member (its vector already weighted, `seen` set) and updates
  // the story.
  void Append(uint32_t number, Member member, double dot, const std::vector<uint32_t>& top);

  // The time a document published at `date` counts from: `date`, or, when
  // `date` is past the latest credible date of the held dates and it
  // (retention_clock.h's rule, never before the clock), that date, with
  // *ahead set. Changes nothing.
  int64_t CountedTime(int64_t date, int64_t retention_seconds, int64_t now, bool* ahead) const;
  // Moves the clock to `clock` if later; members it reaches among `ahead`
  // count at their own dates from then on.
  void AdvanceClock(int64_t clock);
  // Sets the clock and counts every dated member from its date, or from
  // `clock` when its date is past it (a state saved before members
  // recorded the time they count from).
  void RecountFromClock(int64_t clock);
  // Frees the stories whose newest member counts before `cutoff`; returns
  // the documents freed.
  size_t EvictBefore(int64_t cutoff);
  // When a story's newest member would count once the clock is at `clock`
  // (members it reaches count at their own dates); nullopt if undated.
  std::optional<int64_t> LastSeenAt(const StoryRec& s, int64_t clock) const;
  // Interns a term met for the first time; returns its id.
  uint32_t Intern(uint64_t hash, std::string_view surface);
  // Counts an added document (its terms interned) in df and label evidence.
  void CountDocument(const CountedDocument& doc);

 private:
  // A member's date in `dates` (and `ahead`), taken in or out.
  void HoldDate(const Member& m, uint32_t number);
  void ReleaseDate(const Member& m, uint32_t number);
  // Recomputes a story's last_published and last_seen from its members and
  // files it in `dated` again.
  void Refile(uint32_t number);
};

}  // namespace internal
}  // namespace storysift

#endif  // STORYSIFT_STREAM_STORY_ASSIGNER_STATE_H_
