#include "text/stopwords.h"

#include <cstdlib>
#include <utility>

#include "storysift/normalize.h"
#include "text/token_hash.h"

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
    if (!line.empty()) {
      Insert(TokenHash(line.data(), line.size()));
    }
  }
}

void StopWordTable::Insert(uint64_t hash) {
  if (hash == 0 || Contains(hash)) return;
  // Cuckoo insertion: evict the occupant to its other slot until a free one
  // turns up. The list is fixed and tiny, so this always ends quickly; the
  // bound only guards against a pathological list.
  uint64_t h = hash;
  size_t slot = First(h);
  for (int kicks = 0; kicks < 1000; ++kicks) {
    std::swap(h, slots_[slot]);
    if (h == 0) return;
    slot = slot == First(h) ? Second(h) : First(h);
  }
  std::abort();  // Unreachable for a list this size (6x empty slots).
}

const StopWordTable& StopWordTable::English() {
  static const StopWordTable* const table =
      new StopWordTable(kEnglishStopWordsText);
  return *table;
}

}  // namespace storysift::internal
