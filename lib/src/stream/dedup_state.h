// The mutable state behind a Deduplicator (private to lib/src/stream).
#ifndef STORYSIFT_STREAM_DEDUP_STATE_H_
#define STORYSIFT_STREAM_DEDUP_STATE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "storysift/candidate_index.h"
#include "storysift/deduplicator.h"
#include "storysift/verifier.h"

namespace storysift {

// Debian's Abseil has its own string_view; map lookups need that one.
inline absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

// Documents live in slots (the candidate index's ordinals); freed slots are
// reused. Arrival numbers (`seq`), not slots, order documents: they break
// similarity ties (earlier wins, as batch breaks them by ordinal) and fix the
// order in the file, so a saved and reloaded index behaves like the original
// whatever its slot layout.
struct Deduplicator::State {
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  static constexpr uint64_t kFreeSeq = ~uint64_t{0};

  State(Verifier v, std::unique_ptr<CandidateIndex> representatives)
      : verifier(std::move(v)), index(std::move(representatives)) {}

  mutable std::shared_mutex mu;
  const Verifier verifier;                // Thresholds, bands, encoding.
  std::unique_ptr<CandidateIndex> index;  // Representatives only (short keys).

  int num_perm() const { return verifier.num_perm(); }  // 0 for SimHash.
  int verify_bits() const { return verifier.verify_bits(); }
  size_t row_bytes() const { return verifier.row_bytes(); }
  size_t num_bands() const { return static_cast<size_t>(verifier.bands().num_bands); }

  // By slot.
  std::vector<std::string> ids;
  std::vector<uint64_t> seq;  // kFreeSeq: free slot.
  std::vector<std::optional<int64_t>> published;
  // The time the retention counts a dated document at: its publication time,
  // or the clock when it arrived if that date was past the latest credible
  // one (until the clock reaches it).
  std::vector<int64_t> seen;
  std::vector<uint64_t> content_hash;  // DocumentSketch::content_hash (0: unknown).
  std::vector<uint32_t> rep;        // Itself for representatives.
  std::vector<double> similarity;   // To rep (copies).
  std::vector<uint32_t> next_copy;  // Copies of a rep, linked.
  // MinHash: no full signatures. Verification reads b-bit rows (Li and
  // König 2010); band keys (32-bit, from the full signature at Add time)
  // let Remove and eviction take a representative out of the LSH index.
  std::vector<uint8_t> verify;      // slot * row_bytes().
  std::vector<uint32_t> band_keys;  // slot * num_bands().
  std::vector<uint32_t> set_size;   // Shingle-set sizes (0: unknown).
  std::vector<uint64_t> simhash;
  std::vector<uint32_t> free_slots;

  absl::flat_hash_map<std::string, uint32_t> slot_of;  // Never iterated.
  std::set<std::pair<int64_t, uint32_t>> dated_reps;   // (seen, slot).
  // Dated representatives counted at the clock (seen < published), by
  // (published, slot): each counts at its own date once the clock gets there.
  std::set<std::pair<int64_t, uint32_t>> future_reps;
  // Publication times of the stored documents, copies included: what the
  // clock's credibility rule (state/retention_clock.h) reads.
  absl::btree_multiset<int64_t> dates;
  uint64_t next_seq = 0;
  // The retention clock: the latest credible publication time added.
  std::optional<int64_t> newest;
  size_t num_docs = 0;
  size_t num_reps = 0;

  size_t num_slots() const { return seq.size(); }
  bool live(uint32_t s) const { return seq[s] != kFreeSeq; }
  SketchView view(uint32_t s) const;
  // The stored form of a sketch (b-bit row and band keys, or the SimHash)
  // and a view of it that also holds the full signature, for queries.
  struct Encoded {
    std::vector<uint8_t> row;
    std::vector<uint32_t> keys;
    SketchView view;
    uint32_t set_size = 0;
  };
  void Encode(const DocumentSketch& sketch, Encoded* out) const;
  // What Store records of a document besides its sketch.
  struct Record {
    std::string_view id;
    std::optional<int64_t> published;
    int64_t seen = 0;  // *published, or the clock it counts at; 0 if undated.
    uint64_t seq = 0;
    uint32_t set_size = 0;
    uint64_t content_hash = 0;
  };
  // Claims a slot and stores the document in it (not indexed, no links;
  // its date joins `dates`): `sketch` needs verify and band_keys (MinHash)
  // or simhash.
  uint32_t Store(const Record& record, const SketchView& sketch);
  // Links copy `s` to representative `r`.
  void LinkCopy(uint32_t s, uint32_t r, double similarity);
  // Indexes representative `s`. Fails only on an internal inconsistency.
  absl::Status IndexRep(uint32_t s);
  // Removes `s` and, for a representative, its copies; returns the count.
  size_t RemoveSlot(uint32_t s);
  // Moves the clock for a document published at `date` (retention_clock.h's
  // rule over the stored dates and this one) and returns the time the
  // document counts from: `date`, or the clock when *future_dated (its date
  // is past the latest credible one).
  int64_t ClockIn(int64_t date, int64_t retention_seconds, int64_t now, bool* future_dated);
  // Moves the clock to `clock` if later, and counts the representatives it
  // reaches among future_reps at their own dates.
  void AdvanceClock(int64_t clock);
  // Evicts the groups whose representative counts before `cutoff`; returns
  // the number of documents removed.
  size_t EvictBefore(int64_t cutoff);
  // The verdict for `sketch` against the representatives; *rep_slot is the
  // representative's slot, or kNone when new.
  absl::StatusOr<DedupVerdict> Judge(const Encoded& sketch, uint32_t* rep_slot) const;
  // Live slots in arrival order.
  std::vector<uint32_t> SlotsBySeq() const;

 private:
  void FreeSlot(uint32_t s);
};

}  // namespace storysift

#endif  // STORYSIFT_STREAM_DEDUP_STATE_H_
