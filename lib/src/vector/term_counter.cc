#include "vector/term_counter.h"

#include <algorithm>
#include <array>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define STORYSIFT_TERM_COUNTER_AVX2 1
#endif

#include "text/cpu_features.h"

namespace storysift::internal {

namespace {
constexpr size_t kMinHomes = 16;

// Slots read per step by the AVX2 listing.
constexpr size_t kListLanes = 8;
static_assert(kListLanes <= kListTakenSpare);

// Appends the nonzero slots of slots[from, count), in order, to the `n`
// already in `taken` and returns the new count. Without a branch: at
// Count's load, whether a slot is taken is a coin toss.
size_t ListTakenScalar(const uint32_t* slots, size_t from, size_t count, uint32_t* taken,
                       size_t n) {
  for (size_t i = from; i < count; ++i) {
    taken[n] = slots[i];
    n += slots[i] != 0;
  }
  return n;
}

#ifdef STORYSIFT_TERM_COUNTER_AVX2
// For each 8-bit mask of taken lanes, the lanes' indices packed to the front
// (a byte each): what _mm256_permutevar8x32_epi32 needs to left-pack them.
constexpr std::array<uint64_t, 256> kLeftPack = [] {
  std::array<uint64_t, 256> table{};
  for (unsigned mask = 0; mask < 256; ++mask) {
    uint64_t packed = 0;
    int out = 0;
    for (unsigned lane = 0; lane < kListLanes; ++lane) {
      if (mask & (1u << lane)) packed |= uint64_t{lane} << (8 * out++);
    }
    table[mask] = packed;
  }
  return table;
}();

// ListTakenScalar eight slots a step (about 13 instructions for 8 slots
// instead of 7 a slot); a step stores all its lanes into the spare room.
[[gnu::target("avx2,popcnt")]] size_t ListTakenAvx2(const uint32_t* slots, size_t count,
                                                     uint32_t* taken) {
  size_t n = 0, i = 0;
  const __m256i zero = _mm256_setzero_si256();
  for (; i + kListLanes <= count; i += kListLanes) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(slots + i));
    const auto empty = static_cast<unsigned>(
        _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(v, zero))));
    const unsigned full = ~empty & 0xFFu;
    const __m256i order = _mm256_cvtepu8_epi32(
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&kLeftPack[full])));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(taken + n),
                        _mm256_permutevar8x32_epi32(v, order));
    n += static_cast<size_t>(__builtin_popcount(full));
  }
  return ListTakenScalar(slots, i, count, taken, n);
}
#endif

}  // namespace

size_t ListTakenSlots(const uint32_t* slots, size_t count, uint32_t* taken, bool allow_avx2) {
#ifdef STORYSIFT_TERM_COUNTER_AVX2
  if (allow_avx2 && CpuHasAvx2()) return ListTakenAvx2(slots, count, taken);
#endif
  return ListTakenScalar(slots, 0, count, taken, 0);
}

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
// slot order is term order but for short probe runs. The occupied slots are
// listed first (ListTakenSlots). Each listed entry is then put in place by
// insertion as it is copied, which in slot order is mostly at the end (c3k:
// four entries in five; the rest move one place or two): a copy pass, then
// an insertion sort over the copies, read and wrote every entry twice. Entries with tf 0 (all
// their uses weighed 0) are left out; that branch is about never taken.
void TermCounter::Gather(std::vector<Entry>* out, std::vector<uint32_t>* ranks) {
  taken_.resize(used_end_ + kListTakenSpare);
  const size_t n = ListTakenSlots(slots_.data(), used_end_, taken_.data());
  const uint32_t* const taken = taken_.data();
  out->resize(size_);
  ranks->resize(size_);
  Entry* const v = out->data();
  uint32_t* const r = ranks->data();
  const Entry* const terms = terms_.data();
  size_t kept = 0;
  // The largest term kept so far: an entry above it (four in five) goes at
  // the end without the insertion loop's setup (a term 0, never counted,
  // would take the loop and still land in order).
  uint64_t last = 0;
  for (size_t k = 0; k < n; ++k) {
    const uint32_t e = taken[k];
    const Entry entry = terms[e];
    if (!(entry.tf > 0.0f)) continue;
    size_t j = kept;
    if (entry.term > last) {
      last = entry.term;
    } else {
      for (; j > 0 && v[j - 1].term > entry.term; --j) {
        v[j] = v[j - 1];
        r[j] = r[j - 1];
      }
    }
    v[j] = entry;
    r[j] = e - 1;
    ++kept;
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
