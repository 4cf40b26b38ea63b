// The normalizer: sanitize UTF-8, strip markup, tokenize and fold in one
// pass over the cleaned text, then drop boilerplate lines.
#include "storysift/normalize.h"

#include <cstring>

#include "libstemmer.h"
#include "text/boilerplate.h"
#include "text/fold.h"
#include "text/html.h"
#include "text/stopwords.h"
#include "text/utf8.h"
#include "xxhash.h"

namespace storysift {
namespace {

using internal::CharClass;

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

// sb_stemmer keeps state between calls, so each thread gets its own.
struct StemmerHolder {
  sb_stemmer* stemmer = nullptr;
  ~StemmerHolder() {
    if (stemmer != nullptr) sb_stemmer_delete(stemmer);
  }
};

sb_stemmer* ThreadStemmer() {
  thread_local StemmerHolder holder;
  if (holder.stemmer == nullptr) {
    holder.stemmer = sb_stemmer_new("english", "UTF_8");
  }
  return holder.stemmer;
}

// Builds tokens and line statistics from `clean` in one pass.
class Tokenizer {
 public:
  Tokenizer(bool stem, NormalizedText* out,
            std::vector<internal::LineStats>* lines)
      : stem_(stem), out_(out), lines_(lines) {}

  void Run() {
    const std::string& clean = out_->clean;
    const auto* p = reinterpret_cast<const unsigned char*>(clean.data());
    const size_t n = clean.size();
    out_->folded.reserve(n);
    out_->tokens.reserve(n / 6);
    size_t i = 0;
    while (i < n) {
      const unsigned char c = p[i];
      if (c < 0x80) {
        const CharClass k = internal::kAsciiClass[c];
        if (k <= CharClass::kDigit) {
          if (!in_token_) StartToken(i, k);
          ++i;
          continue;
        }
        if (in_token_) EndToken(i);
        if (k == CharClass::kNewline) {
          EndLine(i + 1);
        } else if (k == CharClass::kSentenceEnd) {
          if (i + 1 >= n || internal::kAsciiClass[p[i + 1]] > CharClass::kDigit)
            line_.clause_punct = true;
        } else if (c == ',' || c == ';') {
          line_.clause_punct = true;
        }
        ++i;
        continue;
      }
      size_t len;
      const char32_t cp = internal::DecodeValidUtf8(p + i, &len);
      const CharClass k = internal::ClassifyCodePoint(cp);
      switch (k) {
        case CharClass::kUpper:
        case CharClass::kLower:
        case CharClass::kDigit:
          if (!in_token_) StartToken(i, k);
          ascii_ = false;
          break;
        case CharClass::kJoiner:  // Continues a token, never starts one.
          ascii_ = false;
          break;
        case CharClass::kIdeograph:
          if (in_token_) EndToken(i);
          StartToken(i, CharClass::kLower);
          ascii_ = false;
          EndToken(i + len);
          break;
        case CharClass::kSentenceEnd:
          line_.clause_punct = true;
          [[fallthrough]];
        default:
          if (in_token_) EndToken(i);
          break;
      }
      i += len;
    }
    if (in_token_) EndToken(n);
    if (line_.begin < n) EndLine(n);
  }

 private:
  void StartToken(size_t i, CharClass first) {
    in_token_ = true;
    ascii_ = true;
    begin_ = i;
    first_ = first;
  }

  void EndToken(size_t end) {
    in_token_ = false;
    std::string& folded = out_->folded;
    const size_t mark = folded.size();
    if (mark > 0) folded.push_back(' ');
    const size_t fbegin = folded.size();
    const char* src = out_->clean.data() + begin_;
    const size_t len = end - begin_;
    if (ascii_) {
      folded.resize(fbegin + len);
      char* dst = folded.data() + fbegin;
      for (size_t k = 0; k < len; ++k) {
        dst[k] = static_cast<char>(
            internal::kAsciiLower[static_cast<unsigned char>(src[k])]);
      }
    } else {
      internal::FoldNonAscii(std::string_view(src, len), &folded);
      if (folded.size() == fbegin) {  // Folded to nothing (lone marks).
        folded.resize(mark);
        return;
      }
    }
    Token t;
    t.begin = static_cast<uint32_t>(begin_);
    t.length = static_cast<uint32_t>(len);
    t.folded_begin = static_cast<uint32_t>(fbegin);
    t.folded_length = static_cast<uint32_t>(folded.size() - fbegin);
    const std::string_view word(folded.data() + fbegin, t.folded_length);
    t.hash = XXH3_64bits_withSeed(word.data(), word.size(), kTokenHashSeed);
    if (internal::IsEnglishStopWord(word, t.hash)) {
      t.term = 0;
    } else if (stem_ && first_ != CharClass::kDigit) {
      t.term = StemHash(word, t.hash);
    } else {
      t.term = t.hash;
    }
    if (len >= 2 || first_ == CharClass::kDigit) {
      const bool lower = first_ == CharClass::kLower;
      if (line_.words == 0) line_.first_lower = lower;
      line_.last_lower = lower;
      ++line_.words;
      if (first_ == CharClass::kUpper) ++line_.capitals;
    }
    out_->tokens.push_back(t);
  }

  static uint64_t StemHash(std::string_view word, uint64_t hash) {
    sb_stemmer* stemmer = ThreadStemmer();
    if (stemmer == nullptr) return hash;
    const sb_symbol* stem = sb_stemmer_stem(
        stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
        static_cast<int>(word.size()));
    if (stem == nullptr) return hash;  // Out of memory: fall back.
    const size_t stem_len = static_cast<size_t>(sb_stemmer_length(stemmer));
    if (stem_len == word.size() &&
        std::memcmp(stem, word.data(), stem_len) == 0) {
      return hash;
    }
    return XXH3_64bits_withSeed(stem, stem_len, kTokenHashSeed);
  }

  void EndLine(size_t end) {
    line_.end = static_cast<uint32_t>(end);
    line_.end_token = static_cast<uint32_t>(out_->tokens.size());
    lines_->push_back(line_);
    line_ = internal::LineStats();
    line_.begin = static_cast<uint32_t>(end);
    line_.first_token = static_cast<uint32_t>(out_->tokens.size());
  }

  const bool stem_;
  NormalizedText* const out_;
  std::vector<internal::LineStats>* const lines_;
  internal::LineStats line_;
  bool in_token_ = false;
  bool ascii_ = true;
  size_t begin_ = 0;
  CharClass first_ = CharClass::kLower;
};

// Removes dropped lines from clean, folded and tokens, in place.
void RemoveLines(const std::vector<internal::LineStats>& lines,
                 NormalizedText* out) {
  char* clean = out->clean.data();
  char* folded = out->folded.data();
  size_t clean_w = 0, folded_w = 0, token_w = 0;
  for (const internal::LineStats& line : lines) {
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
      out->tokens[token_w++] = token;
    }
  }
  out->clean.resize(clean_w);
  out->folded.resize(folded_w);
  out->tokens.resize(token_w);
}

}  // namespace

absl::StatusOr<Normalizer> Normalizer::Create(const NormalizeOptions& options) {
  if (options.markup != MarkupMode::kAuto &&
      options.markup != MarkupMode::kHtml &&
      options.markup != MarkupMode::kPlain) {
    return absl::InvalidArgumentError("NormalizeOptions.markup is not a MarkupMode");
  }
  if (options.stem && ThreadStemmer() == nullptr) {
    return absl::InternalError(
        "libstemmer has no \"english\" stemmer for UTF_8");
  }
  return Normalizer(options);
}

bool Normalizer::IsStopWord(std::string_view folded) {
  return internal::IsEnglishStopWord(
      folded, XXH3_64bits_withSeed(folded.data(), folded.size(), kTokenHashSeed));
}

void Normalizer::Normalize(std::string_view raw, NormalizedText* out) const {
  out->Clear();
  if (raw.size() > kMaxInputBytes) raw = raw.substr(0, kMaxInputBytes);
  Scratch& scratch = ThreadScratch();
  scratch.links.clear();
  scratch.lines.clear();

  internal::MarkupScan scan;
  bool lines_may_wrap = true;
  if (options_.markup != MarkupMode::kPlain) scan = internal::ScanMarkup(raw);
  if (options_.markup == MarkupMode::kHtml || scan.is_html) {
    out->utf8_repaired = internal::SanitizeUtf8(raw, &scratch.text);
    lines_may_wrap = !scan.has_block_tags;
    internal::StripHtml(scratch.text, /*source_newlines_break=*/!scan.has_block_tags,
                        &out->clean, &scratch.links);
  } else {
    out->utf8_repaired = internal::SanitizeUtf8(raw, &out->clean);
    // Escaped text ("AT&amp;T") is common in feeds; a bare "&" never matches
    // an entity, so decoding in kAuto only touches real references.
    const bool entities = options_.markup == MarkupMode::kAuto &&
                          out->clean.find('&') != std::string::npos;
    if (entities || out->clean.find("](") != std::string::npos) {
      internal::CleanPlainText(out->clean, entities, &scratch.text);
      out->clean.swap(scratch.text);
    }
  }

  Tokenizer(options_.stem, out, &scratch.lines).Run();
  if (options_.drop_boilerplate) {
    out->boilerplate_lines_dropped =
        internal::MarkBoilerplate(scratch.links, lines_may_wrap, &scratch.lines);
    if (out->boilerplate_lines_dropped > 0) RemoveLines(scratch.lines, out);
  }
}

}  // namespace storysift
