// The English stop-word list, compiled into the library from
// data/stopwords/english.txt.
#ifndef STORYSIFT_TEXT_STOPWORDS_H_
#define STORYSIFT_TEXT_STOPWORDS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace storysift::internal {

// The text of data/stopwords/english.txt (generated at build time).
extern const char kEnglishStopWordsText[];

// Open addressing with linear probing keyed by the token hash the normalizer
// has already computed: a lookup is one cache line and no string hashing.
// Immutable after construction, so lookups are thread-safe.
class StopWordTable {
 public:
  // The table of kEnglishStopWordsText, built on first use.
  static const StopWordTable& English();

  // `hash` must be XXH3_64bits_withSeed(word, kTokenHashSeed).
  bool Contains(std::string_view word, uint64_t hash) const {
    if (word.size() > max_length_ || word.empty()) return false;
    for (size_t slot = hash & (kSlots - 1);; slot = (slot + 1) & (kSlots - 1)) {
      const Entry& e = entries_[slot];
      if (e.length == 0) return false;
      if (e.hash == hash && e.length == word.size() &&
          std::memcmp(e.data, word.data(), word.size()) == 0) {
        return true;
      }
    }
  }

 private:
  static constexpr size_t kSlots = 1024;  // Power of two, > 4x the list.
  struct Entry {
    uint64_t hash = 0;
    const char* data = nullptr;
    size_t length = 0;
  };
  explicit StopWordTable(std::string_view text);
  void Insert(std::string_view word);

  Entry entries_[kSlots];
  size_t max_length_ = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_STOPWORDS_H_
