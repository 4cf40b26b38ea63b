// Snowball English stems of term tokens, through a per-thread cache.
#ifndef STORYSIFT_TEXT_STEMMER_H_
#define STORYSIFT_TEXT_STEMMER_H_

#include <cstdint>
#include <string_view>

namespace storysift::internal {

// The token hash of `word`'s stem (`hash`, the word's own token hash, when
// the stem is the word). Cached per thread by `hash`: news vocabulary is
// Zipfian, so most words were stemmed recently. REQUIRES StemmerAvailable().
uint64_t StemHash(std::string_view word, uint64_t hash);

// False if libstemmer has no English stemmer for UTF-8.
bool StemmerAvailable();

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_STEMMER_H_
