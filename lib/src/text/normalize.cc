// The normalizer: sanitize UTF-8, strip markup, tokenize and fold
// (text/tokenizer.h), then drop boilerplate lines.
#include "storysift/normalize.h"

#include <cstring>

#include "text/boilerplate.h"
#include "text/html.h"
#include "text/plain_text.h"
#include "text/stopwords.h"
#include "text/token_hash.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace storysift {
namespace {

// Token offsets are uint32_t; sanitizing can triple the size (one invalid
// byte becomes a 3-byte U+FFFD), so longer inputs are truncated.
constexpr size_t kMaxInputBytes = size_t{1} << 30;

// Per-thread buffers, so that Normalize() allocates nothing once warm.
struct Scratch {
  std::string text;
  std::vector<internal::ByteSpan> links;
  std::vector<internal::LineStats> lines;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Removes dropped lines from clean, folded and tokens, in place.
void RemoveLines(const std::vector<internal::LineStats>& lines,
                 NormalizedText* out) {
  char* clean = out->clean.data();
  char* folded = out->folded.data();
  size_t first = 0;
  while (first < lines.size() && !lines[first].drop) ++first;
  if (first == lines.size()) return;
  // Everything before the first dropped line stays where it is.
  size_t clean_w = lines[first].begin;
  size_t token_w = lines[first].first_token;
  size_t folded_w = 0;
  uint64_t* lookalike = out->lookalike_hashes.data();
  const bool has_lookalike = !out->lookalike_hashes.empty();
  if (token_w > 0) {
    const Token& last = out->tokens[token_w - 1];
    folded_w = last.folded_begin + last.folded_length;
  }
  for (size_t l = first; l < lines.size(); ++l) {
    const internal::LineStats& line = lines[l];
    if (line.drop) continue;
    const size_t shift = line.begin - clean_w;
    std::memmove(clean + clean_w, clean + line.begin, line.end - line.begin);
    clean_w += line.end - line.begin;
    for (uint32_t t = line.first_token; t < line.end_token; ++t) {
      Token token = out->tokens[t];
      token.begin -= static_cast<uint32_t>(shift);
      if (folded_w > 0) folded[folded_w++] = ' ';
      std::memmove(folded + folded_w, folded + token.folded_begin,
                   token.folded_length);
      token.folded_begin = static_cast<uint32_t>(folded_w);
      folded_w += token.folded_length;
      if (has_lookalike) lookalike[token_w] = lookalike[t];
      out->tokens[token_w++] = token;
    }
  }
  out->clean.resize(clean_w);
  out->folded.resize(folded_w);
  out->tokens.resize(token_w);
  if (has_lookalike) out->lookalike_hashes.resize(token_w);
}

}  // namespace

absl::StatusOr<Normalizer> Normalizer::Create(const NormalizeOptions& options) {
  if (options.markup != MarkupMode::kAuto &&
      options.markup != MarkupMode::kHtml &&
      options.markup != MarkupMode::kPlain) {
    return absl::InvalidArgumentError("NormalizeOptions.markup is not a MarkupMode");
  }
  if (options.token_hash != TokenHashKind::kFolded &&
      options.token_hash != TokenHashKind::kLookalike) {
    return absl::InvalidArgumentError("NormalizeOptions.token_hash is not a TokenHashKind");
  }
  if (options.token_hash == TokenHashKind::kLookalike && options.terms) {
    return absl::InvalidArgumentError(
        "NormalizeOptions: look-alike token hashes need terms off (TF-IDF terms are "
        "folded-word hashes)");
  }
  if (options.stem && !internal::StemmerAvailable()) {
    return absl::InternalError(
        "libstemmer has no \"english\" stemmer for UTF_8");
  }
  return Normalizer(options);
}

bool Normalizer::IsStopWord(std::string_view folded) {
  return internal::StopWordTable::English().Contains(
      internal::TokenHash(folded.data(), folded.size()));
}

uint64_t Normalizer::StopWordListFingerprint() {
  static const uint64_t fingerprint = XXH3_64bits(
      internal::kEnglishStopWordsText, std::strlen(internal::kEnglishStopWordsText));
  return fingerprint;
}

void Normalizer::Normalize(std::string_view raw, NormalizedText* out) const {
  out->Clear();
  if (raw.size() > kMaxInputBytes) raw = raw.substr(0, kMaxInputBytes);
  Scratch& scratch = ThreadScratch();
  scratch.links.clear();
  scratch.lines.clear();

  // One pass says which of the passes below the text needs. Sanitizing
  // neither makes nor drops a '<', '&' or ']' (only controls and invalid
  // bytes change), so what the raw text holds the sanitized text holds.
  const internal::TextSurvey survey = internal::SurveyText(raw);
  internal::MarkupScan scan;
  bool lines_may_wrap = true;
  if (options_.markup != MarkupMode::kPlain && survey.has_lt) {
    scan = internal::ScanMarkup(raw);
  }
  if (options_.markup == MarkupMode::kHtml || scan.is_html) {
    out->utf8_repaired = internal::SanitizeUtf8(raw, &scratch.text);
    lines_may_wrap = !scan.has_block_tags;
    internal::StripHtml(scratch.text, /*source_newlines_break=*/!scan.has_block_tags,
                        &out->clean, &scratch.links);
  } else {
    if (survey.plain) {
      out->clean.assign(raw);  // What SanitizeUtf8 would copy.
      out->utf8_repaired = false;
    } else {
      out->utf8_repaired = internal::SanitizeUtf8(raw, &out->clean);
    }
    // Escaped text ("AT&amp;T") is common in feeds; a bare "&" never matches
    // an entity, so decoding in kAuto only touches real references.
    const bool entities = options_.markup == MarkupMode::kAuto && survey.has_amp;
    if (entities ||
        (survey.has_bracket && out->clean.find("](") != std::string::npos)) {
      internal::CleanPlainText(out->clean, entities, &scratch.text);
      out->clean.swap(scratch.text);
    }
  }

  const internal::TermMode terms = !options_.terms ? internal::TermMode::kNone
                                   : options_.stem ? internal::TermMode::kStemmed
                                                   : internal::TermMode::kFolded;
  out->token_hash = options_.token_hash;
  internal::Tokenize(terms, out, &scratch.lines,
                     options_.lookalike_hashes && options_.token_hash == TokenHashKind::kFolded);
  if (options_.drop_boilerplate) {
    out->boilerplate_lines_dropped =
        internal::MarkBoilerplate(out->clean, scratch.links, lines_may_wrap, &scratch.lines);
    if (out->boilerplate_lines_dropped > 0) RemoveLines(scratch.lines, out);
  }
}

}  // namespace storysift
