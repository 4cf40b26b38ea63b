// PLACEHOLDER normalizer: ASCII lowercase, split on non-alphanumerics.
// To be replaced by the full HTML/boilerplate/Unicode normalizer.
#include "storysift/normalize.h"

#include <cctype>

#include "xxhash.h"

namespace storysift {

absl::StatusOr<Normalizer> Normalizer::Create(const NormalizeOptions& options) {
  return Normalizer(options);
}

bool Normalizer::IsStopWord(std::string_view) { return false; }

void Normalizer::Normalize(std::string_view raw, NormalizedText* out) const {
  out->Clear();
  out->clean.assign(raw);
  size_t i = 0;
  while (i < raw.size()) {
    while (i < raw.size() && !std::isalnum(static_cast<unsigned char>(raw[i]))) ++i;
    size_t start = i;
    while (i < raw.size() && std::isalnum(static_cast<unsigned char>(raw[i]))) ++i;
    if (i == start) break;
    Token t;
    t.begin = start;
    t.length = i - start;
    if (!out->folded.empty()) out->folded.push_back(' ');
    t.folded_begin = out->folded.size();
    for (size_t j = start; j < i; ++j)
      out->folded.push_back(std::tolower(static_cast<unsigned char>(raw[j])));
    t.folded_length = i - start;
    t.hash = XXH3_64bits_withSeed(out->folded.data() + t.folded_begin, t.folded_length,
                                  kTokenHashSeed);
    t.term = t.hash;
    out->tokens.push_back(t);
  }
}

}  // namespace storysift
