// The English stop-word list, compiled into the library from
// data/stopwords/english.txt.
#ifndef STORYSIFT_TEXT_STOPWORDS_H_
#define STORYSIFT_TEXT_STOPWORDS_H_

#include <cstdint>
#include <string_view>

namespace storysift::internal {

// The text of data/stopwords/english.txt (generated at build time).
extern const char kEnglishStopWordsText[];

// True if `folded` is an English stop word. `hash` must be
// XXH3_64bits_withSeed(folded, kTokenHashSeed): the token hash the
// normalizer has already computed, reused as the table hash. Thread-safe.
bool IsEnglishStopWord(std::string_view folded, uint64_t hash);

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_STOPWORDS_H_
