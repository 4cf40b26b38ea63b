#include "vector/term_counter.h"

#include <algorithm>

namespace storysift::internal {

namespace {
constexpr size_t kMinHomes = 16;
}  // namespace

uint32_t TermCounter::Find(uint64_t term) {
  size_t i = Home(term);
  terms_[0].term = term;  // The sentinel: a term not counted finds entry 0.
  while (terms_[slots_[i]].term != term) ++i;
  return slots_[i];
}

void TermCounter::Count(absl::Span<const Use> uses, absl::Span<const NameUse> name_uses) {
  // One past the last use: each use writes the next entry before it counts.
  if (terms_.size() < uses.size() + 2) {
    terms_.resize(uses.size() + 2);
    name_position_.resize(uses.size() + 2);
    named_.resize(uses.size() + 2);
  }
  // Twice as many home slots as uses: probe runs stay short (each further
  // probe is a branch that may mispredict); with as many slots as uses, the
  // counting took 15 % longer on news text. Runs never wrap: a run that
  // starts at the last home slot holds at most every use, so the slots
  // after the homes take it, and slot order stays term order but for the
  // runs. Only the slots up to the last one the previous document wrote are
  // cleared (the rest are 0), and Gather scans the same span of this one's:
  // a power-of-two table, scanned and cleared whole, was ~1.5x larger.
  std::fill_n(slots_.begin(), used_end_, 0u);
  const size_t homes = std::max(kMinHomes, 2 * uses.size());
  if (slots_.size() < homes + uses.size() + 1) slots_.resize(homes + uses.size() + 1);
  homes_ = homes;
  // The loop's state in locals: stores through the arrays could otherwise
  // alias the members, which were reloaded at every use.
  Entry* const terms = terms_.data();
  uint32_t* const slots = slots_.data();
  uint32_t size = 0;
  for (const Use& u : uses) {
    size_t i = HomeOf(u.term, homes);
    uint32_t s = slots[i];
    // The sentinel takes the term, so one compare stops the probe at the
    // term's slot or an empty one.
    terms[0].term = u.term;
    while (terms[s].term != u.term) s = slots[++i];
    const uint32_t next = size + 1;
    terms[next] = {u.term, 0.0f, u.position};
    // A mask, not a select: the compiler made `s == 0 ? next : s` a branch.
    const uint32_t is_new = s == 0;
    const uint32_t e = s | (next & (0u - is_new));
    slots[i] = e;
    size += is_new;
    terms[e].tf += u.tf;
  }
  size_ = size;
  // The runs that passed the last home fill the spare slots from the first
  // one on, without a gap (each entry sits at the first free slot after its
  // home), so the written slots end at the first free spare one.
  size_t end = homes;
  while (slots[end] != 0) ++end;
  used_end_ = end;
  std::fill_n(name_position_.begin() + 1, size, kNoName);
  named_count_ = 0;
  for (const NameUse& u : name_uses) {
    const uint32_t e = Find(u.term);
    if (e == 0 || name_position_[e] != kNoName) continue;
    name_position_[e] = u.position;
    named_[named_count_++] = e;
  }
}

// An entry sits at or shortly after its home slot and runs never wrap, so
// slot order is term order but for short probe runs; an insertion sort then
// finishes in about one pass. The occupied slots are listed first without a
// branch: at this load, whether a slot is taken is a coin toss. Every listed
// entry is then written at the output's end, which advances only for a kept
// one (tf > 0): push_back's capacity check and stored end pointer were most
// of this pass's samples.
void TermCounter::Gather(std::vector<Entry>* out, std::vector<uint32_t>* ranks) {
  taken_.resize(used_end_);
  const uint32_t* const slots = slots_.data();
  uint32_t* const taken = taken_.data();
  size_t n = 0;
  for (size_t i = 0; i < used_end_; ++i) {
    taken[n] = slots[i];
    n += slots[i] != 0;
  }
  // One element to spare: the write past the last kept entry.
  out->resize(size_ + 1);
  ranks->resize(size_ + 1);
  Entry* const v = out->data();
  uint32_t* const r = ranks->data();
  const Entry* const terms = terms_.data();
  size_t kept = 0;
  for (size_t k = 0; k < n; ++k) {
    const uint32_t e = taken[k];
    v[kept] = terms[e];
    r[kept] = e - 1;
    kept += terms[e].tf > 0.0f;
  }
  for (size_t i = 1; i < kept; ++i) {
    const Entry e = v[i];
    const uint32_t rank = r[i];
    size_t j = i;
    for (; j > 0 && v[j - 1].term > e.term; --j) {
      v[j] = v[j - 1];
      r[j] = r[j - 1];
    }
    v[j] = e;
    r[j] = rank;
  }
  out->resize(kept);
  ranks->resize(kept);
}

// Only the entries Count() listed as named (about one in ten) are read:
// writing every entry, to keep those with a name use, cost 5 k instructions
// a document. The list is in first-name-use order; an insertion sort puts it
// in first-use (entry) order, which it mostly is already.
void TermCounter::GatherNames(std::vector<TermCounts::NameUse>* out) {
  uint32_t* const named = named_.data();
  const uint32_t count = named_count_;
  for (uint32_t i = 1; i < count; ++i) {
    const uint32_t e = named[i];
    uint32_t j = i;
    for (; j > 0 && named[j - 1] > e; --j) named[j] = named[j - 1];
    named[j] = e;
  }
  out->resize(count + 1);  // One to spare: the write past the last kept name.
  TermCounts::NameUse* const names = out->data();
  size_t n = 0;
  for (uint32_t k = 0; k < count; ++k) {
    const uint32_t e = named[k];
    names[n] = {terms_[e].term, name_position_[e]};
    n += terms_[e].tf > 0.0f;
  }
  out->resize(n);
}

}  // namespace storysift::internal
