// The English stop-word list, compiled into the library from
// data/stopwords/english.txt.
#ifndef STORYSIFT_TEXT_STOPWORDS_H_
#define STORYSIFT_TEXT_STOPWORDS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace storysift::internal {

// The text of data/stopwords/english.txt (generated at build time).
extern const char kEnglishStopWordsText[];

// Keyed by the 64-bit token hash the normalizer has already computed, and
// by nothing else: as everywhere in storysift (TF-IDF terms, shingles), a
// token is its hash. Two-choice (cuckoo) placement: every word sits in one
// of two slots picked by its hash, so a lookup reads both slots and
// compares, with no branch on the answer (stop words are ~40% of news
// tokens, so a branch on it mispredicted on most of them). 8 KB, in L1.
// Immutable after construction, so lookups are thread-safe.
class StopWordTable {
 public:
  // The table of kEnglishStopWordsText, built on first use.
  static const StopWordTable& English();

  // `hash` must be TokenHash(word) (text/token_hash.h).
  bool Contains(uint64_t hash) const {
    return (slots_[First(hash)] == hash) | (slots_[Second(hash)] == hash);
  }

 private:
  static constexpr size_t kSlots = 1024;  // Power of two, > 6x the list.
  static size_t First(uint64_t h) { return h & (kSlots - 1); }
  static size_t Second(uint64_t h) { return (h >> 32) & (kSlots - 1); }

  explicit StopWordTable(std::string_view text);
  void Insert(uint64_t hash);

  // 0 marks an empty slot (no word hashes to 0: checked on insert).
  uint64_t slots_[kSlots] = {};
};

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_STOPWORDS_H_
