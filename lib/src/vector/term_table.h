// The TF-IDF vocabulary while documents are still being added, split into
// shards by the top bits of the term hash so that a batch of documents can be
// interned on several threads at once (one task per group of shards, no
// locks), with ids that do not depend on the thread count: each shard sees
// the batch's terms in document order whichever thread and group runs it.
//
// Each shard is an open-addressing table of (term, local id, df) in 16-byte
// slots: one cache line per lookup, and the caller can prefetch the next
// terms' slots, which is where a large vocabulary's time went (a
// flat_hash_map lookup misses twice: control bytes, then slot).
#ifndef STORYSIFT_VECTOR_TERM_TABLE_H_
#define STORYSIFT_VECTOR_TERM_TABLE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storysift::internal {

class TermShard {
 public:
  struct Slot {
    uint64_t term = 0;  // 0 = empty (stop words, term 0, are never interned).
    uint32_t id = 0;    // Local id: order of first sight in this shard.
    uint32_t df = 0;    // Documents that used the term.
  };

  // Counts one more document using `term` (REQUIRES: term != 0) and returns
  // its local id; a new term gets the next id and keeps display(), a
  // callable returning its std::string_view (called only for new terms).
  template <typename DisplayFn>
  uint32_t Intern(uint64_t term, DisplayFn display) {
    if (2 * (size_ + 1) > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(term);; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.term == term) {
        ++s.df;
        return s.id;
      }
      if (s.term == 0) {
        s = {term, size_, 1};
        AddDisplay(display());
        return size_++;
      }
    }
  }
  // A term's evidence for its label kind (LabelTermKind), by local id.
  struct LabelEvidence {
    uint32_t name_df = 0;       // Documents using it as a name.
    uint32_t templated_df = 0;  // Templated documents using it.
    uint32_t name_begin = 0;    // Its first name use's written form in
    uint32_t name_length = 0;   // names_pool_ (length 0: none).
  };
  // Counts one more document using `term` as a name; the first one keeps
  // form(), a callable returning its written std::string_view. A term not
  // interned yet (its tf was 0) is not counted.
  template <typename FormFn>
  void CountName(uint64_t term, FormFn form) {
    const uint32_t local = FindLocal(term);
    if (local == kNotFound) return;
    LabelEvidence& e = evidence_[local];
    if (e.name_df++ == 0) {
      const std::string_view f = form();
      e.name_begin = static_cast<uint32_t>(names_pool_.size());
      e.name_length = static_cast<uint32_t>(f.size());
      names_pool_.append(f);
    }
  }
  void CountTemplated(uint32_t local) { ++evidence_[local].templated_df; }
  const LabelEvidence& evidence(uint32_t local) const { return evidence_[local]; }
  std::string_view name_form(uint32_t local) const {
    const LabelEvidence& e = evidence_[local];
    return std::string_view(names_pool_).substr(e.name_begin, e.name_length);
  }

  void Prefetch(uint64_t term) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(term)]);
  }
  uint32_t size() const { return size_; }
  std::string_view display(uint32_t id) const;
  // The occupied slots in ascending term order.
  std::vector<Slot> SortedSlots() const;
  // Frees everything; size() is 0 afterwards.
  void Clear();

 private:
  static constexpr uint32_t kNotFound = UINT32_MAX;
  size_t Home(uint64_t term) const { return term & (slots_.size() - 1); }
  uint32_t FindLocal(uint64_t term) const;
  void Grow();
  void AddDisplay(std::string_view display);

  std::vector<Slot> slots_;  // Power-of-two size, at most half full.
  uint32_t size_ = 0;
  std::vector<uint32_t> display_end_;  // By local id, into display_pool_.
  std::string display_pool_;
  std::vector<LabelEvidence> evidence_;  // By local id.
  std::string names_pool_;
};

struct TermTable {
  static constexpr int kShardBits = 5;
  static constexpr int kShards = 1 << kShardBits;
  // Largest local id a shard may hand out so that MakeId fits 32 bits.
  static constexpr uint32_t kMaxLocalIds = uint32_t{1} << (32 - kShardBits);

  static int ShardOf(uint64_t term) { return static_cast<int>(term >> (64 - kShardBits)); }
  // The smallest term of `shard` (REQUIRES: 0 <= shard < kShards).
  static uint64_t FirstTermOf(int shard) {
    return static_cast<uint64_t>(shard) << (64 - kShardBits);
  }
  // A provisional id unique over all shards (renumbered at Build()).
  static uint32_t MakeId(int shard, uint32_t local) {
    return (local << kShardBits) | static_cast<uint32_t>(shard);
  }
  static int ShardOfId(uint32_t id) { return static_cast<int>(id & (kShards - 1)); }
  static uint32_t LocalOfId(uint32_t id) { return id >> kShardBits; }

  std::array<TermShard, kShards> shards;
  // Threads of the last AddBatch(); Build() uses as many.
  int threads = 1;

  // Documents whose body is mostly layout lines (TermCounts::templated).
  uint32_t templated_docs = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_TERM_TABLE_H_
