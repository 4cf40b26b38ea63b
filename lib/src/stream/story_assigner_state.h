// The mutable state behind a StoryAssigner (private to lib/src/stream).
#ifndef STORYSIFT_STREAM_STORY_ASSIGNER_STATE_H_
#define STORYSIFT_STREAM_STORY_ASSIGNER_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

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
    SparseVector vector;  // As weighted on arrival.
  };
  struct StoryRec {
    std::vector<Member> members;  // Arrival order.
    std::optional<int64_t> last_published;
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
  std::set<std::pair<int64_t, uint32_t>> dated;         // (last_published, story).
  std::optional<int64_t> newest;
  internal::StoryTermIndex index;

  // Rebuilds a story's centroid and postings from its members (in order)
  // and its last publication time.
  void Rebuild(uint32_t number, int top_terms);
  // Frees a story and forgets its documents. Returns the documents freed.
  size_t FreeStory(uint32_t number);
  // Appends a member (its vector already weighted) and updates the story.
  void Append(uint32_t number, Member member, double dot, const std::vector<uint32_t>& top);
  // Interns a term met for the first time; returns its id.
  uint32_t Intern(uint64_t hash, std::string_view surface);
  // Counts an added document (its terms interned) in df and label evidence.
  void CountDocument(const CountedDocument& doc);
};

}  // namespace internal
}  // namespace storysift

#endif  // STORYSIFT_STREAM_STORY_ASSIGNER_STATE_H_
