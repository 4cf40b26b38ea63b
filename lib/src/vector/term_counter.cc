#include "vector/term_counter.h"

#include <algorithm>

namespace storysift::internal {

namespace {
constexpr int kMinBits = 4;
}  // namespace

void TermCounter::Reset(size_t uses) {
  terms_.clear();
  name_position_.clear();
  int bits = kMinBits;
  // As many slots as uses: no growth unless over half the uses are distinct.
  while ((size_t{1} << bits) < uses) ++bits;
  Resize(bits);
}

void TermCounter::Resize(int bits) {
  bits_ = bits;
  mask_ = (size_t{1} << bits) - 1;
  slots_.assign(mask_ + 1, 0);
  for (size_t e = 0; e < terms_.size(); ++e) {
    size_t i = Home(terms_[e].term);
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = static_cast<uint32_t>(e + 1);
  }
}

// An entry sits at or shortly after its home slot, so slot order is term
// order but for short probe runs and the run, if any, that wrapped past the
// last slot (its wrapped entries are moved to the end); an insertion sort
// then finishes in about one pass. The occupied slots are listed first
// without a branch: at this load, whether a slot is taken is a coin toss.
void TermCounter::Gather(std::vector<Entry>* out) {
  const size_t capacity = slots_.size();
  taken_.resize(capacity);
  size_t n = 0;
  for (size_t i = 0; i < capacity; ++i) {
    taken_[n] = slots_[i];
    n += slots_[i] != 0;
  }
  // Slots [0, first_empty) are all taken, so they are taken_[0, first_empty).
  const size_t first_empty = std::find(slots_.begin(), slots_.end(), 0u) - slots_.begin();
  out->clear();
  const auto take = [&](size_t k) {
    const Entry& e = terms_[taken_[k] - 1];
    if (e.tf > 0.0f) out->push_back(e);
  };
  const auto wrapped = [&](size_t k) { return Home(terms_[taken_[k] - 1].term) > k; };
  for (size_t k = 0; k < first_empty; ++k) {
    if (!wrapped(k)) take(k);
  }
  for (size_t k = first_empty; k < n; ++k) take(k);
  for (size_t k = 0; k < first_empty; ++k) {
    if (wrapped(k)) take(k);
  }
  std::vector<Entry>& v = *out;
  for (size_t i = 1; i < v.size(); ++i) {
    const Entry e = v[i];
    size_t j = i;
    for (; j > 0 && v[j - 1].term > e.term; --j) v[j] = v[j - 1];
    v[j] = e;
  }
}

void TermCounter::GatherNames(std::vector<NameUse>* out) const {
  out->clear();
  for (size_t e = 0; e < terms_.size(); ++e) {
    if (name_position_[e] != kNoName && terms_[e].tf > 0.0f) {
      out->push_back({terms_[e].term, name_position_[e]});
    }
  }
}

}  // namespace storysift::internal
