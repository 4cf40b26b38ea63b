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

// What Token::hash is the hash of. kLookalike: each folded token with its
// OCR look-alike characters mapped (LookalikeTokenHash in shingle.h), the
// only token value look-alike word shingles read; only the hashes are made
// (NormalizedText::folded and every token's folded range are left empty),
// so a run that does nothing else with its tokens (dedup) neither copies
// the words nor folds each token again in the sketcher.
enum class TokenHashKind : uint8_t { kFolded, kLookalike };

struct Token {
  uint32_t begin = 0;   // Byte range of the token in NormalizedText::clean.
  uint32_t length = 0;
  uint32_t folded_begin = 0;  // Byte range of its folded form in ::folded (empty
                              // under TokenHashKind::kLookalike).
  uint32_t folded_length = 0;
  // XXH3_64bits_withSeed(folded form, kTokenHashSeed); of the look-alike
  // mapped folded form under TokenHashKind::kLookalike.
  uint64_t hash = 0;
  // Hash of the term used for TF-IDF: the stem of the folded form when
  // stemming is on, else equal to `hash`. 0 for a stop word or a one-byte word. Numbers are
  // terms (term == hash). 0 for every token when NormalizeOptions::terms is off.
  uint64_t term = 0;
};

struct NormalizedText {
  // The body after markup, entities and boilerplate are removed, as UTF-8.
  // Token offsets point here, so a match can be shown as the source passage.
  std::string clean;
  // Each token folded (NFKC + Unicode case folding, Latin/Greek/Cyrillic
  // accents U+0300-U+036F removed; punctuation, quotes, dashes and symbols
  // separate tokens), separated by single spaces: "russia s ambassador u s".
  // Tokens are runs of letters, digits and in-word marks; each Han or kana
  // character is a token of its own.
  // Empty under TokenHashKind::kLookalike.
  std::string folded;
  std::vector<Token> tokens;
  // LookalikeTokenHash of each token (parallel to tokens), where
  // NormalizeOptions::lookalike_hashes asked for them and the CPU has the
  // tokenizer that makes them (AVX-512); otherwise empty.
  std::vector<uint64_t> lookalike_hashes;
  TokenHashKind token_hash = TokenHashKind::kFolded;
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
    lookalike_hashes.clear();
    token_hash = TokenHashKind::kFolded;
    boilerplate_lines_dropped = 0;
    utf8_repaired = false;
  }
};

enum class MarkupMode { kAuto, kHtml, kPlain };

struct NormalizeOptions {
  MarkupMode markup = MarkupMode::kAuto;  // kAuto: HTML when tags are found.
  bool drop_boilerplate = true;
  bool stem = false;  // Snowball English stemming of TF-IDF terms.
  // Fill Token::term. A run that only sketches (dedup) turns it off: every
  // term is then 0, and the per-token stop-word lookup and stemming are skipped.
  bool terms = true;
  // kLookalike REQUIRES terms off (TF-IDF terms are folded-word hashes).
  TokenHashKind token_hash = TokenHashKind::kFolded;
  // With terms and kFolded: also make NormalizedText::lookalike_hashes where
  // that is cheap (AVX-512), for look-alike word shingles. Values unchanged.
  bool lookalike_hashes = false;
};

// Thread safety: Normalize() is const and safe to call concurrently.
class Normalizer {
 public:
  // InvalidArgument for an out-of-range markup mode; Internal if stemming is
  // requested and libstemmer has no English stemmer.
  static absl::StatusOr<Normalizer> Create(const NormalizeOptions& options);

  // Replaces *out with the normalization of `raw`, reusing its buffers.
  // Never fails: invalid UTF-8 is repaired with U+FFFD and flagged; NUL,
  // DEL and C0/C1 controls are dropped (\r, \v, \f become \n). Markup: in
  // kAuto, text with a known tag ("<p", "<img", "</div", "<!--") is HTML;
  // otherwise well-formed entities ("&amp;", "&#8217;") are still decoded,
  // as feeds often escape plain text. kPlain decodes nothing. Markdown link
  // targets are dropped in plain text. Boilerplate lines (see
  // lib/src/text/boilerplate.h for the rule) are removed from clean and the
  // tokens when options().drop_boilerplate. Inputs over 1 GiB are cut.
  void Normalize(std::string_view raw, NormalizedText* out) const;

  // True for a folded word in the shipped English stop-word list
  // (data/stopwords/english.txt, compiled in; "s" and "t" are stop words,
  // "u" is not). Thread-safe.
  static bool IsStopWord(std::string_view folded);

  // XXH3-64 of that stop-word list's text: files whose terms depend on the
  // list (IdfModel) record it, so a list changed in a later build is seen.
  static uint64_t StopWordListFingerprint();

  const NormalizeOptions& options() const { return options_; }

 private:
  explicit Normalizer(const NormalizeOptions& options) : options_(options) {}
  NormalizeOptions options_;
};

}  // namespace storysift

#endif  // STORYSIFT_NORMALIZE_H_
