#include "vector/term_table.h"

#include <algorithm>

#include "pipeline/huge_pages.h"

namespace storysift::internal {

void TermShard::AddDisplay(std::string_view display) {
  display_pool_.append(display);
  display_end_.push_back(static_cast<uint32_t>(display_pool_.size()));
  evidence_.emplace_back();
}

uint32_t TermShard::FindLocal(uint64_t term) const {
  if (slots_.empty()) return kNotFound;
  const size_t mask = slots_.size() - 1;
  for (size_t i = Home(term);; i = (i + 1) & mask) {
    if (slots_[i].term == term) return slots_[i].id;
    if (slots_[i].term == 0) return kNotFound;
  }
}

void TermShard::Grow() {
  std::vector<Slot> old = std::move(slots_);
  const size_t size = std::max<size_t>(1024, 2 * old.size());
  slots_ = {};
  ReserveHugePages(&slots_, size);  // Lookups are random: most missed the TLB.
  slots_.assign(size, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.term == 0) continue;
    size_t i = Home(s.term);
    while (slots_[i].term != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::string_view TermShard::display(uint32_t id) const {
  const uint32_t begin = id == 0 ? 0 : display_end_[id - 1];
  return std::string_view(display_pool_).substr(begin, display_end_[id] - begin);
}

std::vector<TermShard::Slot> TermShard::SortedSlots() const {
  std::vector<Slot> out;
  out.reserve(size_);
  for (const Slot& s : slots_) {
    if (s.term != 0) out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [](const Slot& a, const Slot& b) { return a.term < b.term; });
  return out;
}

void TermShard::Clear() {
  std::vector<Slot>().swap(slots_);
  std::vector<uint32_t>().swap(display_end_);
  std::string().swap(display_pool_);
  std::vector<LabelEvidence>().swap(evidence_);
  std::string().swap(names_pool_);
  size_ = 0;
}

}  // namespace storysift::internal
