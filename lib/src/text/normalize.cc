// The normalizer: sanitize UTF-8, strip markup, tokenize and fold in one
// pass over the cleaned text, then drop boilerplate lines.
#include "storysift/normalize.h"

#include <cassert>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "libstemmer.h"
#include "text/boilerplate.h"
#include "text/fold.h"
#include "text/html.h"
#include "text/stopwords.h"
#include "text/utf8.h"
#define XXH_INLINE_ALL  // Token hashes are short: inline XXH3 (same values).
#include "xxhash.h"

namespace storysift {
namespace {

using internal::CharClass;

// Token offsets are uint32_t; sanitizing can triple the size (one invalid
// byte becomes a 3-byte U+FFFD), so longer inputs are truncated.
constexpr size_t kMaxInputBytes = size_t{1} << 30;

// Folded keeps at least (unread clean bytes) + kFoldedSlack - 1 free bytes
// past its cursor, so CopyLowerWordRun's 16-byte store (made only with 16
// clean bytes unread) always fits.
constexpr size_t kFoldedSlack = 8;
// Power of two. 32k entries (512 KB a thread) hold a day's news vocabulary:
// `--stem` normalizing went 65 -> 104 MB/s from 4k entries (micro-bench).
constexpr size_t kStemCache = 32768;

struct StemCacheEntry {
  uint64_t hash = 0;
  uint64_t term = 0;
};

#if defined(__SSE2__)
// Bytes of v in [lo, hi] as 0xFF: shifted so the range starts at -128, then
// one signed compare.
inline __m128i InRange(__m128i v, char lo, char hi) {
  const __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(128 - lo)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + (hi - lo + 1))));
}
#endif

// Copies the run of ASCII letters and digits at p (up to `end`) to `out`,
// lowercased, and returns its length. Most tokens are shorter than 16 bytes,
// so one vector step finds the whole word: the byte loop mispredicted its exit
// on every token. May write up to 16 bytes past the run when p + 16 <= end;
// the caller keeps that much slack.
inline size_t CopyLowerWordRun(const unsigned char* p, const unsigned char* end, char* out) {
  size_t run = 0;
#if defined(__SSE2__)
  while (end - (p + run) >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + run));
    const __m128i upper = InRange(v, 'A', 'Z');
    const __m128i word =
        _mm_or_si128(_mm_or_si128(upper, InRange(v, 'a', 'z')), InRange(v, '0', '9'));
    const __m128i lowered = _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + run), lowered);
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(word));
    if (mask != 0xFFFF) return run + static_cast<size_t>(__builtin_ctz(~mask));
    run += 16;
  }
#endif
  while (p + run < end && internal::kAsciiWordByte[p[run]]) {
    out[run] = static_cast<char>(internal::kAsciiLower[p[run]]);
    ++run;
  }
  return run;
}

// Per-thread buffers, so that Normalize() allocates nothing once warm.
struct Scratch {
  std::string text;
  std::string fold;
  // Sized on first use: only --stem needs it (512 KB a thread).
  std::vector<StemCacheEntry> stem_cache;
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
      : stem_(stem),
        stop_words_(internal::StopWordTable::English()),
        out_(out),
        lines_(lines) {}

  void Run() {
    const std::string& clean = out_->clean;
    const auto* p = reinterpret_cast<const unsigned char*>(clean.data());
    const size_t n = clean.size();
    // Folded ASCII is never longer than the clean text it comes from, so the
    // hot path writes through a cursor without bounds checks; non-ASCII
    // folds (which can grow) re-establish the slack in EndToken.
    out_->folded.resize(n + kFoldedSlack);
    buf_ = out_->folded.data();
    n_ = n;
    out_->tokens.reserve(n / 6);
    size_t i = 0;
    while (i < n) {
      const unsigned char c = p[i];
      if (c < 0x80) {
        const CharClass k = internal::kAsciiClass[c];
        if (k <= CharClass::kDigit) {
          if (!in_token_) StartToken(i, k);
          const size_t run = CopyLowerWordRun(p + i, p + n, buf_ + fw_);
          fw_ += run;
          i += run;
          continue;
        }
        if (in_token_) EndToken(i);
        if (k == CharClass::kNewline) {
          EndLine(i + 1);
        } else if (k == CharClass::kSentenceEnd) {
          if (i + 1 >= n || !internal::kAsciiWordByte[p[i + 1]])
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
    out_->folded.resize(fw_);
  }

 private:
  void StartToken(size_t i, CharClass first) {
    in_token_ = true;
    ascii_ = true;
    begin_ = i;
    first_ = first;
    if (fw_ > 0) buf_[fw_++] = ' ';
    fbegin_ = fw_;
  }

  // The hot path of every token, kept free of branches on the word itself
  // (stop word or not, capitalized or not): those outcomes are close to
  // random in running text, and each mispredict cost more than the work.
  void EndToken(size_t end) {
    in_token_ = false;
    if (!ascii_ && !FoldNonAsciiToken(end)) return;
    assert(fw_ <= out_->folded.size());
    const size_t len = end - begin_;
    Token t;
    t.begin = static_cast<uint32_t>(begin_);
    t.length = static_cast<uint32_t>(len);
    t.folded_begin = static_cast<uint32_t>(fbegin_);
    t.folded_length = static_cast<uint32_t>(fw_ - fbegin_);
    const std::string_view word(buf_ + fbegin_, t.folded_length);
    t.hash = XXH3_64bits_withSeed(word.data(), word.size(), kTokenHashSeed);
    // A lone letter or digit ("u" of "U.S.", "0" of "0.3") names nothing a
    // story is about, so it is no TF-IDF term; it stays a token for shingles.
    const bool term = (word.size() != 1) & !stop_words_.Contains(t.hash);
    uint64_t term_hash = t.hash;
    if (stem_ && term && first_ != CharClass::kDigit) term_hash = StemHash(word, t.hash);
    t.term = term_hash & (uint64_t{0} - static_cast<uint64_t>(term));
    if (len >= 2 || first_ == CharClass::kDigit) {
      const bool lower = first_ == CharClass::kLower;
      line_.first_lower = line_.words == 0 ? lower : line_.first_lower;
      line_.last_lower = lower;
      ++line_.words;
      line_.capitals += static_cast<uint32_t>(first_ == CharClass::kUpper);
    }
    out_->tokens.push_back(t);
  }

  // Replaces the token's byte copy in folded by its Unicode fold. False if
  // nothing was foldable: the token and its space are dropped.
  [[gnu::noinline]] bool FoldNonAsciiToken(size_t end) {
    std::string& tmp = ThreadScratch().fold;
    tmp.clear();
    internal::FoldNonAscii(std::string_view(out_->clean.data() + begin_, end - begin_), &tmp);
    fw_ = fbegin_;
    if (tmp.empty()) {
      if (fw_ > 0) --fw_;
      return false;
    }
    std::string& folded = out_->folded;
    const size_t need = fw_ + tmp.size() + (n_ - end) + kFoldedSlack;
    if (folded.size() < need) {
      folded.resize(need);
      buf_ = folded.data();
    }
    std::memcpy(buf_ + fw_, tmp.data(), tmp.size());
    fw_ += tmp.size();
    return true;
  }

  // Stems through a per-thread direct-mapped cache keyed by the token hash:
  // news vocabulary is Zipfian, so most words were stemmed recently.
  static uint64_t StemHash(std::string_view word, uint64_t hash) {
    std::vector<StemCacheEntry>& cache = ThreadScratch().stem_cache;
    if (cache.empty()) cache.resize(kStemCache);
    StemCacheEntry& cached = cache[hash & (kStemCache - 1)];
    if (cached.hash == hash && cached.term != 0) return cached.term;
    const uint64_t term = Stem(word, hash);
    cached = {hash, term};
    return term;
  }

  static uint64_t Stem(std::string_view word, uint64_t hash) {
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
  const internal::StopWordTable& stop_words_;
  NormalizedText* const out_;
  std::vector<internal::LineStats>* const lines_;
  internal::LineStats line_;
  char* buf_ = nullptr;  // out_->folded.data()
  size_t n_ = 0;         // out_->clean.size()
  size_t fw_ = 0;        // Bytes of folded written.
  size_t fbegin_ = 0;    // Folded start of the current token.
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
  size_t first = 0;
  while (first < lines.size() && !lines[first].drop) ++first;
  if (first == lines.size()) return;
  // Everything before the first dropped line stays where it is.
  size_t clean_w = lines[first].begin;
  size_t token_w = lines[first].first_token;
  size_t folded_w = 0;
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
  return internal::StopWordTable::English().Contains(
      XXH3_64bits_withSeed(folded.data(), folded.size(), kTokenHashSeed));
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
