#include "text/stopwords.h"

#include <array>
#include <cassert>

#include "storysift/normalize.h"
#include "xxhash.h"

namespace storysift::internal {
namespace {

// Open addressing with linear probing over the token hash: a lookup is one
// or two cache lines, no string hashing.
constexpr size_t kSlots = 1024;  // Power of two, > 4x the list size.

struct StopWordTable {
  std::array<uint64_t, kSlots> hashes{};
  std::array<std::string_view, kSlots> words{};
  size_t max_length = 0;

  StopWordTable() {
    std::string_view text(kEnglishStopWordsText);
    while (!text.empty()) {
      size_t eol = text.find('\n');
      if (eol == std::string_view::npos) eol = text.size();
      std::string_view line = text.substr(0, eol);
      text.remove_prefix(eol == text.size() ? eol : eol + 1);
      if (const size_t hash_mark = line.find('#');
          hash_mark != std::string_view::npos) {
        line = line.substr(0, hash_mark);
      }
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r' ||
                               line.back() == '\t')) {
        line.remove_suffix(1);
      }
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
        line.remove_prefix(1);
      }
      if (!line.empty()) Insert(line);
    }
  }

  void Insert(std::string_view word) {
    const uint64_t h = XXH3_64bits_withSeed(word.data(), word.size(),
                                            kTokenHashSeed);
    for (size_t slot = h & (kSlots - 1);; slot = (slot + 1) & (kSlots - 1)) {
      if (words[slot].empty()) {
        hashes[slot] = h;
        words[slot] = word;
        if (word.size() > max_length) max_length = word.size();
        return;
      }
      if (words[slot] == word) return;
    }
  }

  bool Contains(std::string_view word, uint64_t h) const {
    if (word.size() > max_length || word.empty()) return false;
    for (size_t slot = h & (kSlots - 1);; slot = (slot + 1) & (kSlots - 1)) {
      if (words[slot].empty()) return false;
      if (hashes[slot] == h && words[slot] == word) return true;
    }
  }
};

const StopWordTable& Table() {
  static const StopWordTable* const table = new StopWordTable();
  return *table;
}

}  // namespace

bool IsEnglishStopWord(std::string_view folded, uint64_t hash) {
  assert(hash == XXH3_64bits_withSeed(folded.data(), folded.size(),
                                      kTokenHashSeed));
  return Table().Contains(folded, hash);
}

}  // namespace storysift::internal
