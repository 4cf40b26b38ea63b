#include "text/stopwords.h"

#include "storysift/normalize.h"
#include "xxhash.h"

namespace storysift::internal {

StopWordTable::StopWordTable(std::string_view text) {
  while (!text.empty()) {
    size_t eol = text.find('\n');
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == text.size() ? eol : eol + 1);
    if (const size_t mark = line.find('#'); mark != std::string_view::npos) {
      line = line.substr(0, mark);
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

void StopWordTable::Insert(std::string_view word) {
  const uint64_t h =
      XXH3_64bits_withSeed(word.data(), word.size(), kTokenHashSeed);
  if (Contains(word, h)) return;
  for (size_t slot = h & (kSlots - 1);; slot = (slot + 1) & (kSlots - 1)) {
    if (entries_[slot].length == 0) {
      entries_[slot] = {h, word.data(), word.size()};
      if (word.size() > max_length_) max_length_ = word.size();
      return;
    }
  }
}

const StopWordTable& StopWordTable::English() {
  static const StopWordTable* const table =
      new StopWordTable(kEnglishStopWordsText);
  return *table;
}

}  // namespace storysift::internal
