// The embeddable story stage: feed articles one at a time and get, for each,
// the story it belongs to (a stable id such as "s0007", whether the story is
// new, the similarity to the story's centroid and the story's label), with a
// state that can be saved to disk and loaded to carry on. The story-side
// twin of Deduplicator.
//
// Semantics: first-story detection by centroid assignment, as StoryTracker
// (Petrovic, Osborne and Lavrenko 2010; the two share the centroid and
// candidate code): a document joins the held story whose centroid has the
// highest cosine times TimeDecay (story_clusterer.h) if that is >=
// options.story.threshold, else starts a new story. Candidates are the
// stories sharing one of the document's top_terms heaviest terms. Ties go to
// the older story. Documents are normalized by the same Normalizer and their
// terms counted by TfidfVectorizer::CountTerms, as in the batch path.
//
// Term weights: tf as TfidfVectorizer (sublinear, title_weight), idf =
// ln((1 + N) / (1 + df)) + 1 from
//  * an IdfModel, when given (`storysift idf` builds one from a reference
//    corpus): the weights are then those of batch clustering with that
//    model, and vectors do not drift over time. Recommended.
//  * otherwise, running document frequencies: N and df over every document
//    added so far, counting the document being judged. Weakness: the first
//    documents of a stream see a tiny corpus, so their idf barely
//    separates topical words from common ones (on ECB+ the pairwise F1 is
//    0.820 against 0.833 with a model of the same corpus, more stories get
//    merged early; tests/story_assigner_test.cc), and a member's vector
//    keeps the weights of the moment it arrived. Counts are
//    never decremented (Remove and eviction do not undo "seen").
//
// Storage: the vocabulary (term hash -> id, display string, running df)
// grows with the distinct terms seen; every held document keeps its id,
// publication time and its TF-IDF vector (so Remove can take it out of the
// centroid: centroids are rebuilt from their members in arrival order, which
// gives exactly the floats incremental assignment gave).
//
// Retention: with retention_seconds > 0, each Add of a dated document first
// evicts the stories whose newest member counts from more than
// retention_seconds before the clock, with their documents. A document that
// itself counts from before that cutoff is judged against the stories left
// (the verdict names the one it matches, if any) but not kept, as the
// Deduplicator does (StoryVerdict::stored is false): it joins no story,
// starts none and counts in no document frequency, where it used to join or
// start one and be evicted by the next Add. The clock is the
// newest credible publication time added, by the rule of `cluster --state`
// and Deduplicator (a date more than a day past the caller's clock, or one
// alone a month, or the retention if longer, past every other held date, is
// a typo: such a document is kept, joins or starts a story as its own date
// says, but counts as seen at the clock, StoryVerdict::future_dated, and
// evicts nothing; when other documents of its time arrive, it counts at its
// own date). A member counts from its publication time otherwise, a story
// from its newest member. Stories without a dated member are never evicted
// by time. The clock drives the retention only: the time decay compares the
// document's own date with the story's newest member's.
// Unlike StoryTracker, a story is not closed at the decay horizon: a dated
// document cannot join it then anyway (the decay takes the similarity under
// the threshold), but an undated one can.
//
// Thread safety: Query(), Size(), NumStories(), MemoryUsage(), Contains()
// and Save() may run concurrently from any number of threads, together with
// one writer calling Add(), Remove() or EvictOlderThan() (a
// std::shared_mutex; normalization and term counting run before the lock).
#ifndef STORYSIFT_STORY_ASSIGNER_H_
#define STORYSIFT_STORY_ASSIGNER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storysift/document.h"
#include "storysift/idf_model.h"
#include "storysift/normalize.h"
#include "storysift/story_clusterer.h"
#include "storysift/tfidf.h"

namespace storysift {

namespace internal {
struct StoryAssignerState;
struct CountedDocument;
}  // namespace internal

struct StoryAssignerOptions {
  NormalizeOptions normalize;
  TfidfOptions tfidf;
  // threshold, window_seconds, label_terms and candidates.top_terms are
  // used; linkage and the other candidate options are ignored.
  StoryOptions story;
  // > 0: automatic eviction on Add (see above). 0: keep everything. At most
  // kMaxRetentionSeconds (storysift/date.h, 400 years).
  int64_t retention_seconds = 0;
  // The caller's clock, UTC seconds (0: the system's): a publication time
  // more than a day after it never moves the retention clock. A run option:
  // not saved; Load takes `expected`'s, as for retention_seconds.
  int64_t clock_seconds = 0;
};

struct StoryVerdict {
  // "s0001", ... in creation order; never reused. "" for a document not
  // stored that matches no held story.
  std::string story_id;
  bool is_new_story = true;   // The document starts this story (never when not stored).
  double similarity = 0;      // Decayed cosine to the centroid matched; 0 if none.
  // The story's label after the document joins (as it stands, for a
  // document not stored): its centroid's label_terms heaviest terms, ties
  // by term hash.
  std::vector<std::string> label;
  // False when the document was judged but not kept: it was published
  // before the retention window (it would have been evicted at once; see
  // Retention). It joins no story and starts none. Query gives it too.
  bool stored = true;
  // Add only (Query leaves the defaults):
  // Its publication time is past the latest credible date (see Retention):
  // it did not move the clock and counts as seen at the clock.
  bool future_dated = false;
  // Documents this Add evicted first (retention), with their stories.
  size_t evicted = 0;
};

class StoryAssigner {
 public:
  // InvalidArgument for bad normalize, tfidf or story options, a retention
  // outside 0..kMaxRetentionSeconds, or an `idf` whose terms were made with other normalize
  // options (IdfModel::CheckTermOptions). `idf`, when given, is copied (see
  // "Term weights" above).
  static absl::StatusOr<std::unique_ptr<StoryAssigner>> Create(
      const StoryAssignerOptions& options, const IdfModel* idf = nullptr);

  // Reads a state written by Save(), compressed or not. NotFound /
  // PermissionDenied when the file cannot be read, DataLoss for damaged
  // compressed data; see LoadFromString for the rest.
  static absl::StatusOr<std::unique_ptr<StoryAssigner>> Load(
      std::string_view path, const StoryAssignerOptions* expected = nullptr);

  // Parses state bytes. The IdfModel travels inside the file. Unimplemented
  // for a newer format version; DataLoss for a bad magic, a checksum
  // mismatch, a truncated or inconsistent file; FailedPrecondition when
  // `expected` is given and the file was written with other normalize,
  // tfidf or story options (the message names the field), or when the
  // file's IdfModel does not fit its own normalize options (a state saved
  // before models recorded them). With `expected`,
  // its retention_seconds replaces the file's (kKeepSavedRetention, storysift/date.h,
  // keeps the file's) and its clock_seconds is used.
  static absl::StatusOr<std::unique_ptr<StoryAssigner>> LoadFromString(
      std::string_view bytes, const StoryAssignerOptions* expected = nullptr);

  StoryAssigner(const StoryAssigner&) = delete;
  StoryAssigner& operator=(const StoryAssigner&) = delete;
  ~StoryAssigner();

  // Assigns `doc` (title and text) to a story and keeps it, unless it is
  // older than the retention window (StoryVerdict::stored). May first evict
  // (retention). InvalidArgument for an empty id; AlreadyExists if a
  // document with this id is held; ResourceExhausted past 2^32 - 2 stories
  // or terms.
  absl::StatusOr<StoryVerdict> Add(const Document& doc);

  // The verdict Add would give (stories Add would evict first are skipped),
  // without changing anything. The id is not read: a document without one
  // may be queried (Python's query(text)).
  absl::StatusOr<StoryVerdict> Query(const Document& doc) const;

  // Removes the document from its story (the centroid is rebuilt from the
  // remaining members; an emptied story is freed). NotFound for an unknown
  // id.
  absl::Status Remove(std::string_view id);

  // Frees every story whose newest dated member counts from (see
  // Retention: its publication time, or the clock for a future-dated one)
  // before `utc_seconds`, with its documents. Returns the number of
  // documents removed.
  size_t EvictOlderThan(int64_t utc_seconds);

  bool Contains(std::string_view id) const;
  // What the retention counts from: the latest credible publication time
  // added (see Retention); nullopt before any dated document.
  std::optional<int64_t> RetentionClock() const;
  // The story id of a held document, or nullopt.
  std::optional<std::string> StoryOf(std::string_view id) const;
  size_t Size() const;        // Held documents.
  size_t NumStories() const;  // Held stories.
  // Heap bytes: documents and their vectors, centroids, term index and
  // vocabulary (an estimate: hash-map slots and allocator overhead are
  // approximated).
  size_t MemoryUsage() const;

  // Writes the state atomically (temporary file, fsync, rename).
  absl::Status Save(std::string_view path) const;
  // The bytes Save writes.
  std::string SaveToString() const;

  const StoryAssignerOptions& options() const { return options_; }
  bool has_idf_model() const { return idf_.has_value(); }
  // The model it weighs with (given to Create, or saved in the state);
  // null without one.
  const IdfModel* idf_model() const { return idf_.has_value() ? &*idf_ : nullptr; }

 private:
  using State = internal::StoryAssignerState;
  using Vectorized = internal::CountedDocument;
  StoryAssigner(const StoryAssignerOptions& options, Normalizer normalizer,
                std::optional<IdfModel> idf);
  Vectorized Count(const Document& doc) const;
  int64_t Now() const;  // options_.clock_seconds, or the system's clock.

  const StoryAssignerOptions options_;
  const Normalizer normalizer_;
  const std::optional<IdfModel> idf_;
  std::unique_ptr<State> state_;  // Guarded by its mutex.
};

// Format version written by StoryAssigner::Save(); newer files are refused.
// Version 3 records the name weight, table word weight and idf power
// (before, a state saved with other values came back with the defaults); a
// version-2 state loads with those of `expected`, or the defaults.
// Version 4 records the time each member counts from (see Retention); an
// older state's clock is taken again by the credible-date rule over its
// members' dates (a lone typo had moved it), and its members count from
// their dates, or the clock for those past it.
inline constexpr uint32_t kStoryAssignerFormatVersion = 4;

}  // namespace storysift

#endif  // STORYSIFT_STORY_ASSIGNER_H_
