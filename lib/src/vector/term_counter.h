// Sums one document's term uses into its TermCounts (the per-document half
// of TF-IDF, on the loading threads).
#ifndef STORYSIFT_VECTOR_TERM_COUNTER_H_
#define STORYSIFT_VECTOR_TERM_COUNTER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "storysift/tfidf.h"

namespace storysift::internal {

// Uses are met in position order and summed into their term's entry through
// an open-addressing table whose home slot grows with the term hash, so each
// entry keeps its first position and sums tf in position order. The table
// holds entry indices and has twice as many home slots as uses, so probe
// runs are short (and never wrap) and its slot order is term order but for
// them.
//
// Whether a use is its term's first is a coin toss, so Count() decides it
// without a branch: an empty slot holds 0, entry 0 is a sentinel that takes
// each use's term before the probe, and every use writes the next entry,
// which counts only when the probe ended at an empty slot.
// Room `taken` needs past `count` elements for ListTakenSlots.
inline constexpr size_t kListTakenSpare = 8;

// Writes the nonzero slots of slots[0, count), in order, to `taken` (room
// for count + kListTakenSpare elements) and returns how many. Eight slots a
// step with AVX2 where the CPU has it and `allow_avx2` (the same result;
// false for tests of the plain form), else one at a time.
size_t ListTakenSlots(const uint32_t* slots, size_t count, uint32_t* taken,
                      bool allow_avx2 = true);

class TermCounter {
 public:
  using Entry = TermCounts::Entry;

  // One use of a term (never 0) at a token position, with its weight.
  struct Use {
    uint64_t term;
    float tf;
    uint32_t position;
  };
  // A use written as a name (labels show names first): one of the uses.
  struct NameUse {
    uint64_t term;
    uint32_t position;
  };

  // Replaces the counts with those of `uses`, in position order, and the
  // names with `name_uses` (a few of the uses, in position order). Names
  // are found after the counting: a name branch or mask on every use cost
  // the counting loop a quarter of its instructions, for one use in ten.
  void Count(absl::Span<const Use> uses, absl::Span<const NameUse> name_uses);

  // Writes the entries with tf > 0 to *out, sorted by term, and each one's
  // first-use rank (0: the term used first) to *ranks.
  void Gather(std::vector<Entry>* out, std::vector<uint32_t>* ranks);

  // The distinct terms counted (tf 0 too), and the position of the first
  // use of the term of first-use rank `rank` (increasing with the rank).
  uint32_t size() const { return size_; }
  uint32_t first_position(uint32_t rank) const { return terms_[rank + 1].position; }

  // Writes the first name use of each entry with tf > 0 that had one to
  // *out, in first-use order.
  void GatherNames(std::vector<TermCounts::NameUse>* out);

 private:
  // The home slot of `term` among `homes`: increases with the term.
  static size_t HomeOf(uint64_t term, size_t homes) {
    return static_cast<size_t>((static_cast<unsigned __int128>(term) * homes) >> 64);
  }
  size_t Home(uint64_t term) const { return HomeOf(term, homes_); }
  // The entry of a counted term.
  uint32_t Find(uint64_t term);

  static constexpr uint32_t kNoName = UINT32_MAX;

  // Entries by index, 1 to size_ in first-use order; 0 is the sentinel.
  // Sized for every use up front (only grown), as Count() writes one ahead.
  std::vector<Entry> terms_;
  // Per entry 1 to size_, the position of its first use as a name
  // (kNoName: none).
  std::vector<uint32_t> name_position_;
  uint32_t size_ = 0;
  // The entries with a name use, in the order of their first one.
  std::vector<uint32_t> named_;
  uint32_t named_count_ = 0;
  std::vector<uint32_t> slots_;  // Entry index; 0 is empty.
  size_t homes_ = 0;             // Slots [0, homes_) are homes, the rest take runs.
  size_t used_end_ = 0;          // Slots from here on are all 0.
  std::vector<uint32_t> taken_;  // Gather's occupied slots, in slot order.
};

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_TERM_COUNTER_H_
