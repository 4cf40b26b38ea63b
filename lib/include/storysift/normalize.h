// Text normalization: turns a raw article body (plain text, HTML or Markdown,
// clean or scraped) into the cleaned text a reader would see plus folded word
// tokens that every later stage (shingles, SimHash, TF-IDF) shares.
#ifndef STORYSIFT_NORMALIZE_H_
#define STORYSIFT_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace storysift {

// Seed of XXH3 for token hashes. Part of every persisted format: changing it
// changes all signatures.
inline constexpr uint64_t kTokenHashSeed = 0x5354525953494654ull;  // "STRYSIFT"

struct Token {
  uint32_t begin = 0;   // Byte range of the token in NormalizedText::clean.
  uint32_t length = 0;
  uint32_t folded_begin = 0;  // Byte range of its folded form in ::folded.
  uint32_t folded_length = 0;
  uint64_t hash = 0;  // XXH3_64bits_withSeed(folded form, kTokenHashSeed).
  // Hash of the term used for TF-IDF: the stem of the folded form when
  // stemming is on, else equal to `hash`. 0 for a stop word.
  uint64_t term = 0;
};

struct NormalizedText {
  // The body after markup, entities and boilerplate are removed, as UTF-8.
  // Token offsets point here, so a match can be shown as the source passage.
  std::string clean;
  // Each token folded (NFKC case fold, quotes/dashes/punctuation removed),
  // separated by single spaces: "russia s ambassador u s".
  std::string folded;
  std::vector<Token> tokens;
  int boilerplate_lines_dropped = 0;
  bool utf8_repaired = false;  // Invalid bytes were replaced by U+FFFD.

  std::string_view folded_token(size_t i) const {
    return std::string_view(folded).substr(tokens[i].folded_begin,
                                           tokens[i].folded_length);
  }
  std::string_view clean_token(size_t i) const {
    return std::string_view(clean).substr(tokens[i].begin, tokens[i].length);
  }
  void Clear() {
    clean.clear();
    folded.clear();
    tokens.clear();
    boilerplate_lines_dropped = 0;
    utf8_repaired = false;
  }
};

enum class MarkupMode { kAuto, kHtml, kPlain };

struct NormalizeOptions {
  MarkupMode markup = MarkupMode::kAuto;  // kAuto: HTML when tags are found.
  bool drop_boilerplate = true;
  bool stem = false;  // Snowball English stemming of TF-IDF terms.
};

// Thread safety: Normalize() is const and safe to call concurrently.
class Normalizer {
 public:
  static absl::StatusOr<Normalizer> Create(const NormalizeOptions& options);

  // Replaces *out with the normalization of `raw`. Never fails: invalid UTF-8
  // is repaired with U+FFFD and flagged.
  void Normalize(std::string_view raw, NormalizedText* out) const;

  // True for a folded word in the shipped English stop-word list.
  static bool IsStopWord(std::string_view folded);

  const NormalizeOptions& options() const { return options_; }

 private:
  explicit Normalizer(const NormalizeOptions& options) : options_(options) {}
  NormalizeOptions options_;
};

}  // namespace storysift

#endif  // STORYSIFT_NORMALIZE_H_
