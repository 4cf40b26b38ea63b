// Sums one document's term uses into its TermCounts (the per-document half
// of TF-IDF, on the loading threads).
#ifndef STORYSIFT_VECTOR_TERM_COUNTER_H_
#define STORYSIFT_VECTOR_TERM_COUNTER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "storysift/tfidf.h"

namespace storysift::internal {

// Uses are met in position order and summed into their term's entry through
// an open-addressing table on the term hash's top bits, so each entry keeps
// its first position and sums tf in position order. The table holds entry
// indices and stays at most half full (it doubles when it would not), so
// probe runs are short and its slot order is term order but for them.
class TermCounter {
 public:
  using Entry = TermCounts::Entry;
  using NameUse = TermCounts::NameUse;

  // Empties the counter for a document of about `uses` term uses.
  void Reset(size_t uses);

  // `name`: this use is written as a name (labels show names first).
  void Use(uint64_t term, float tf, uint32_t position, bool name) {
    for (size_t i = Home(term);; i = (i + 1) & mask_) {
      const uint32_t s = slots_[i];
      if (s == 0) {
        terms_.push_back({term, tf, position});
        name_position_.push_back(name ? position : kNoName);
        slots_[i] = static_cast<uint32_t>(terms_.size());
        if (2 * terms_.size() > slots_.size()) Grow();
        return;
      }
      if (terms_[s - 1].term == term) {
        terms_[s - 1].tf += tf;
        if (name && name_position_[s - 1] == kNoName) name_position_[s - 1] = position;
        return;
      }
    }
  }

  // Writes the entries with tf > 0 to *out, sorted by term.
  void Gather(std::vector<Entry>* out);

  // Writes the first name use of each entry with tf > 0 that had one to
  // *out, in first-use order.
  void GatherNames(std::vector<NameUse>* out) const;

 private:
  size_t Home(uint64_t term) const { return static_cast<size_t>(term >> (64 - bits_)); }
  void Resize(int bits);  // Empties the table and re-enters terms_ at 2^bits slots.
  void Grow() { Resize(bits_ + 1); }

  static constexpr uint32_t kNoName = UINT32_MAX;

  std::vector<Entry> terms_;     // In first-use order.
  // Per entry, the position of its first use as a name (kNoName: none).
  std::vector<uint32_t> name_position_;
  std::vector<uint32_t> slots_;  // Entry index + 1; 0 is empty.
  std::vector<uint32_t> taken_;  // Gather's occupied slots, in slot order.
  int bits_ = 4;
  size_t mask_ = 15;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_TERM_COUNTER_H_
