// The tokenizer's scan (TokenizeImpl), shared by its builds: tokenizer.cc
// (portable, AVX2 + BMI2 and AVX-512 look-alike builds) and
// tokenize_terms_avx512.cc (the AVX-512 terms build). Internal to them.
#ifndef STORYSIFT_TEXT_TOKENIZE_IMPL_H_
#define STORYSIFT_TEXT_TOKENIZE_IMPL_H_

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "storysift/normalize.h"
#include "text/ascii_block.h"
#include "text/block_hash_avx512.h"
#include "text/boilerplate.h"
#include "text/fold.h"
#include "text/lookalike.h"
#include "text/stemmer.h"
#include "text/stopwords.h"
#include "text/token_hash.h"
#include "text/utf8.h"
#include "text/word_bytes.h"

namespace storysift::internal {

// Folded keeps at least (unread clean bytes) + kFoldedSlack - 1 free bytes
// past its cursor, so a 16-byte store of a word's bytes, made only while at
// least one clean byte is unread, always fits.
inline constexpr size_t kFoldedSlack = 16;
// The block scan reads 64 bytes, and a word's 16-byte copy may start at any
// of them: it runs only with this many clean bytes unread.
inline constexpr size_t kBlockReach = 64 + 16;

// Writes the Unicode fold of `token` (a token with non-ASCII bytes) to
// *folded at `at`, keeping `unread` + kFoldedSlack bytes free after it, and
// returns its length: 0 when nothing was foldable.
[[gnu::noinline]] size_t FoldNonAsciiToken(std::string_view token, size_t at, size_t unread,
                                           std::string* folded);

inline uint64_t Pair(uint32_t low, uint32_t high) { return uint64_t{low} | uint64_t{high} << 32; }

// Appends one LineStats from its fields packed in registers (see tokenizer.cc).
[[gnu::noinline]] void AppendLine(std::vector<LineStats>* lines, uint64_t range,
                                  uint64_t token_range, uint64_t counts, unsigned flags);

// The scan state is locals, not members of a tokenizer object: every byte
// stored through the folded cursor may alias such members, which kept them
// in memory and put a store-to-load round trip on each token.
//
// kLookalike (TokenHashKind::kLookalike, REQUIRES !kTerms): an ASCII word is
// hashed where it lies in LookalikeLowerText's copy, not copied to folded;
// folded is only scratch for the folds of non-ASCII tokens, and is left
// empty (every token's folded range too).
//
// kTerms with kAvx512 (the AVX-512 terms build): the words that close
// inside a block get both their folded hash and their look-alike hash
// (LookalikeTokenHash) from the lanes, and every token's look-alike hash is
// appended to out->lookalike_hashes, for the sketcher (no cache there).
template <bool kBlocks, bool kTerms, bool kLookalike, bool kAvx2 = false, bool kAvx512 = false>
[[gnu::always_inline]] inline void TokenizeImpl(bool stem, NormalizedText* out,
                                                std::vector<LineStats>* lines) {
  [[maybe_unused]] const StopWordTable& stop_words = StopWordTable::English();
  const auto* p = reinterpret_cast<const unsigned char*>(out->clean.data());
  const size_t n = out->clean.size();
  // Folded ASCII is never longer than the clean text it comes from, so the
  // hot path writes through a cursor without bounds checks; non-ASCII folds
  // (which can grow) re-establish the slack.
  out->folded.resize(kLookalike ? kFoldedSlack : n + kFoldedSlack);
  char* buf = out->folded.data();
  std::vector<Token>& tokens = out->tokens;
  tokens.reserve(n / 6);
  [[maybe_unused]] const char* mapped = nullptr;
  if constexpr (kLookalike) mapped = LookalikeLowerText(p, n);
  // The AVX-512 build's hashes of the words closing in the current block.
  // Word k's hash is block_hashes.hash[block_hashes.slot[k]].
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
  [[maybe_unused]] BlockHashes block_hashes;
  [[maybe_unused]] BlockHashes block_lookalikes;
#endif
  constexpr bool kTwoHashes = kTerms && kAvx512;
  [[maybe_unused]] std::vector<uint64_t>& lookalikes = out->lookalike_hashes;
  if constexpr (kTwoHashes) lookalikes.reserve(n / 6);

  size_t fw = 0;      // Bytes of folded written.
  size_t fbegin = 0;  // Folded start of the current token.
  size_t begin = 0;   // Clean start of the current token.
  bool in_token = false;
  bool ascii = true;
  CharClass first = CharClass::kLower;
  LineStats line;

  auto start_token = [&](size_t at, CharClass k) __attribute__((always_inline)) {
    in_token = true;
    ascii = true;
    begin = at;
    first = k;
    if (!kLookalike && fw > 0) buf[fw++] = ' ';
    fbegin = fw;
  };

  // The hot path of every token, kept free of branches on the word itself
  // (stop word or not, capitalized or not): those outcomes are close to
  // random in running text, and each mispredict cost more than the work.
  // `lane`: the token's index among the block's lane hashes (kTwoHashes),
  // or -1 where it has none. `at` (an ASCII word's token already made by
  // resize) and `lookalike_at`: where the token and its look-alike hash go;
  // null: appended.
  // `line_words`: false where the caller counts the word's line statistics
  // from the block's masks (add_line_words).
  auto end_token = [&](size_t end, int lane = -1, Token* at = nullptr,
                       uint64_t* lookalike_at = nullptr,
                       bool line_words = true) __attribute__((always_inline)) {
    in_token = false;
    if (!ascii) {
      const size_t len = FoldNonAsciiToken(
          std::string_view(out->clean.data() + begin, end - begin), fbegin,
          kLookalike ? 0 : n - end, &out->folded);  // kLookalike: no ASCII copy follows.
      buf = out->folded.data();
      if (len == 0) {  // Nothing foldable: the token and its space go.
        fw = fbegin > 0 ? fbegin - 1 : 0;
        return;
      }
      if constexpr (kLookalike) MapLookalikes(buf + fbegin, len);
      fw = fbegin + len;
    }
    const size_t len = end - begin;
    Token t;
    t.begin = static_cast<uint32_t>(begin);
    t.length = static_cast<uint32_t>(len);
    t.folded_begin = static_cast<uint32_t>(fbegin);
    t.folded_length = static_cast<uint32_t>(fw - fbegin);
    const std::string_view word = kLookalike && ascii
                                      ? std::string_view(mapped + begin, len)
                                      : std::string_view(buf + fbegin, t.folded_length);
    // kFoldedSlack follows the word (see PaddedTokenHash).
    [[maybe_unused]] uint64_t lookalike = 0;
    if (kTwoHashes && lane >= 0) {
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
      const size_t slot = block_hashes.slot[lane];
      t.hash = block_hashes.hash[slot];
      lookalike = block_lookalikes.hash[slot];
#endif
    } else {
      t.hash = PaddedTokenHash(word.data(), word.size());
      if constexpr (kTwoHashes) lookalike = LookalikeHashOfFolded(word.data(), word.size());
    }
    if constexpr (kTwoHashes) {
      if (lookalike_at != nullptr) {
        *lookalike_at = lookalike;
      } else {
        lookalikes.push_back(lookalike);
      }
    }
    if constexpr (kLookalike) {  // Folded was scratch for this token only.
      t.folded_begin = t.folded_length = 0;
      fw = fbegin;
    }
    if constexpr (kTerms) {
      // A lone letter or digit ("u" of "U.S.", "0" of "0.3") names nothing a
      // story is about, so it is no TF-IDF term; it stays a token for shingles.
      const bool term = (word.size() != 1) & !stop_words.Contains(t.hash);
      uint64_t term_hash = t.hash;
      if (stem && term && first != CharClass::kDigit) term_hash = StemHash(word, t.hash);
      t.term = term_hash & (uint64_t{0} - static_cast<uint64_t>(term));
    }
    if (line_words && (len >= 2 || first == CharClass::kDigit)) {
      const bool lower = first == CharClass::kLower;
      line.first_lower = line.words == 0 ? lower : line.first_lower;
      line.last_lower = lower;
      ++line.words;
      line.capitals += static_cast<uint32_t>(first == CharClass::kUpper);
    }
    if (at != nullptr) {
      *at = t;
    } else {
      tokens.push_back(t);
    }
  };

  // end_token's line statistics for the counted words (every word but a
  // one-letter one; a one-digit word counts) of a block, by bit masks: a
  // few operations a line instead of a dozen a token. `here`: their starts,
  // `lower` and `upper` the block's lowercase and capital bytes.
  [[maybe_unused]] auto add_line_words = [&](uint64_t here, uint64_t lower, uint64_t upper)
                                             __attribute__((always_inline)) {
    if (here == 0) return;
    if (line.words == 0) line.first_lower = (lower >> __builtin_ctzll(here)) & 1;
    line.last_lower = (lower >> (63 - __builtin_clzll(here))) & 1;
    line.words += CountBits(here);
    line.capitals += CountBits(here & upper);
  };

  // The line ends at `end` after `token_count` tokens.
  auto end_line_after = [&](size_t end, size_t token_count) __attribute__((always_inline)) {
    line.end = static_cast<uint32_t>(end);
    line.end_token = static_cast<uint32_t>(token_count);
    AppendLine(lines, Pair(line.begin, line.end), Pair(line.first_token, line.end_token),
               Pair(line.words, line.capitals),
               line.clause_punct | line.first_lower << 1 | line.last_lower << 2);
    line = LineStats();
    line.begin = static_cast<uint32_t>(end);
    line.first_token = static_cast<uint32_t>(token_count);
  };
  auto end_line = [&](size_t end) __attribute__((always_inline)) {
    end_line_after(end, tokens.size());
  };

  size_t i = 0;

  // One code point at i, or an ASCII word run.
  auto scan_one = [&]() __attribute__((always_inline)) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      const CharClass k = kAsciiClass[c];
      if (k <= CharClass::kDigit) {
        if (!in_token) start_token(i, k);
        const size_t run = CopyLowerWordRun<!kLookalike>(p + i, p + n, buf + fw);
        if constexpr (!kLookalike) fw += run;
        i += run;
        return;
      }
      if (in_token) end_token(i);
      if (k == CharClass::kNewline) {
        end_line(i + 1);
      } else if (k == CharClass::kSentenceEnd) {
        if (i + 1 >= n || !kAsciiWordByte[p[i + 1]]) line.clause_punct = true;
      } else if (c == ',' || c == ';') {
        line.clause_punct = true;
      }
      ++i;
      return;
    }
    size_t len;
    const char32_t cp = DecodeValidUtf8(p + i, &len);
    const CharClass k = ClassifyCodePoint(cp);
    switch (k) {
      case CharClass::kUpper:
      case CharClass::kLower:
      case CharClass::kDigit:
        if (!in_token) start_token(i, k);
        ascii = false;
        break;
      case CharClass::kJoiner:  // Continues a token, never starts one.
        ascii = false;
        break;
      case CharClass::kIdeograph:
        if (in_token) end_token(i);
        start_token(i, CharClass::kLower);
        ascii = false;
        end_token(i + len);
        break;
      case CharClass::kSentenceEnd:
        line.clause_punct = true;
        [[fallthrough]];
      default:
        if (in_token) end_token(i);
        break;
    }
    i += len;
  };

#if defined(__SSE2__)
  // The ASCII bytes [i, i + limit) of block b: tokens come from bit masks
  // (a start is a word byte after a non-word byte, an end the reverse), so
  // separators cost no loop step of their own. A word reaching `limit`
  // stays open for the next scan.
  auto scan_ascii = [&](const AsciiBlock& b, size_t limit) __attribute__((always_inline)) {
    const BlockEdges edges = EdgesOf(b, limit, in_token);
    const uint64_t inside = edges.inside;
    uint64_t starts = edges.starts;
    uint64_t ends = edges.ends;
    uint64_t clause = ClauseMask(b, limit, kAsciiWordByte[p[i + limit]]);
    uint64_t newlines = b.newline & inside;
    [[maybe_unused]] int closed = 0;  // Words started and ended here: the lanes' order.
    // kTwoHashes: the closed words' tokens and look-alike hashes made in
    // place (one resize a block, local cursors): push_back stored and
    // reloaded each vector's end on every token.
    [[maybe_unused]] const uint64_t closed_starts =
        kTwoHashes ? ClosedWordsOf(edges, limit, in_token).starts : 0;
    [[maybe_unused]] const size_t closed_words = CountBits(closed_starts);
    // Their line statistics by masks, as scan_ascii_hashes counts them.
    [[maybe_unused]] uint64_t counted = closed_starts & ((edges.word >> 1) | b.digit);
    [[maybe_unused]] const uint64_t lower = edges.word & ~b.upper & ~b.digit;
    if (in_token) {  // The open word runs on to its first end, or past limit.
      const size_t e = ends != 0 ? static_cast<size_t>(__builtin_ctzll(ends)) : limit;
      if (!kLookalike && e > 0) CopyLowerWord(p + i, e, buf + fw);
      if constexpr (!kLookalike) fw += e;
      if (ends != 0) {
        end_token(i + e);
        ends &= ends - 1;
      }
    }
    [[maybe_unused]] const size_t first_closed = tokens.size();
    [[maybe_unused]] Token* closed_token = nullptr;
    [[maybe_unused]] uint64_t* closed_lookalike = nullptr;
    if constexpr (kTwoHashes) {
      tokens.resize(first_closed + closed_words);
      lookalikes.resize(first_closed + closed_words);
      closed_token = tokens.data() + first_closed;
      closed_lookalike = lookalikes.data() + first_closed;
    }
    for (;;) {
      // Lines split the block: the tokens and punctuation before the next
      // newline belong to the current line.
      const uint64_t before = newlines != 0 ? (newlines & -newlines) - 1 : inside;
      uint64_t here = starts & before;
      starts &= ~before;
      while (here != 0) {
        const size_t s = static_cast<size_t>(__builtin_ctzll(here));
        here &= here - 1;
        start_token(i + s, kAsciiClass[p[i + s]]);
        const size_t e = ends != 0 ? static_cast<size_t>(__builtin_ctzll(ends)) : limit;
        if constexpr (!kLookalike) {
          CopyLowerWord(p + i + s, e - s, buf + fw);
          fw += e - s;
        }
        if (ends == 0) break;  // Open past limit: the last start.
        if constexpr (kTwoHashes) {
          end_token(i + e, e - s <= kMaxLaneWordBytes ? closed : -1, closed_token + closed,
                    closed_lookalike + closed, false);
          ++closed;
        } else {
          end_token(i + e);
        }
        ends &= ends - 1;
      }
      if constexpr (kTwoHashes) {
        add_line_words(counted & before, lower, b.upper);
        counted &= ~before;
      }
      if ((clause & before) != 0) line.clause_punct = true;
      clause &= ~before;
      if (newlines == 0) break;
      end_line_after(i + static_cast<size_t>(__builtin_ctzll(newlines)) + 1,
                     kTwoHashes ? first_closed + static_cast<size_t>(closed) : tokens.size());
      newlines &= newlines - 1;
    }
    i += limit;
  };

  // scan_ascii for kLookalike, where a token is only its range and hash:
  // the words that start and end in the block become tokens in one tight
  // loop, and their line statistics come from bit masks, a few operations
  // a line instead of a dozen a token. Only a word open at either edge of
  // the block goes through start_token / end_token.
  [[maybe_unused]] auto scan_ascii_hashes = [&](const AsciiBlock& b, size_t limit)
                                                __attribute__((always_inline)) {
    const BlockEdges edges = EdgesOf(b, limit, in_token);
    const uint64_t inside = edges.inside;
    const uint64_t word = edges.word;
    const ClosedWords words = ClosedWordsOf(edges, limit, in_token);
    if (in_token) {  // The open word runs on to its first end, or past limit.
      if (edges.ends == 0) {  // No end, so no separator: nothing else in the block.
        i += limit;
        return;
      }
      end_token(i + static_cast<size_t>(__builtin_ctzll(edges.ends)));
    }
    const uint64_t closed = words.starts;
    const uint64_t ends = words.ends;
    const uint64_t open_start = words.open_start;
    const size_t first_index = tokens.size();
    // The block's tokens made in place, through a local cursor: push_back
    // stored and reloaded the vector's end on every token (the Token stores
    // may alias it), a store-to-load chain through the whole loop.
    tokens.resize(first_index + CountBits(closed));
    Token* token = tokens.data() + first_index;
    size_t k = 0;  // The AVX-512 build's k-th lane word, but for long words.
    for (uint64_t s = closed, e = ends; s != 0; s &= s - 1, e &= e - 1, ++k, ++token) {
      const size_t from = i + static_cast<size_t>(__builtin_ctzll(s));
      const size_t len = i + static_cast<size_t>(__builtin_ctzll(e)) - from;
      Token& t = *token;  // Value-initialized by resize.
      t.begin = static_cast<uint32_t>(from);
      t.length = static_cast<uint32_t>(len);
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
      t.hash = kAvx512 && len <= kMaxLaneWordBytes ? block_hashes.hash[block_hashes.slot[k]]
                                                   : PaddedTokenHash(mapped + from, len);
#else
      t.hash = PaddedTokenHash(mapped + from, len);
#endif
    }
    // end_token's line statistics: every word counts but a one-letter one (a
    // one-digit word does), by the class of its first byte.
    uint64_t counted = closed & ((word >> 1) | b.digit);
    const uint64_t lower = word & ~b.upper & ~b.digit;
    uint64_t clause = ClauseMask(b, limit, kAsciiWordByte[p[i + limit]]);
    uint64_t newlines = b.newline & inside;
    for (;;) {
      const uint64_t before = newlines != 0 ? (newlines & -newlines) - 1 : inside;
      add_line_words(counted & before, lower, b.upper);
      counted &= ~before;
      if ((clause & before) != 0) line.clause_punct = true;
      clause &= ~before;
      if (newlines == 0) break;
      end_line_after(i + static_cast<size_t>(__builtin_ctzll(newlines)) + 1,
                     first_index + CountBits(closed & before));
      newlines &= newlines - 1;
    }
    if (open_start != 0) {
      const size_t s = static_cast<size_t>(__builtin_ctzll(open_start));
      start_token(i + s, kAsciiClass[p[i + s]]);
    }
    i += limit;
  };
#endif

  while (i < n) {
#if defined(__SSE2__)
    if constexpr (kBlocks) {
      if (n - i >= kBlockReach) {
        AsciiBlock b;
#if defined(STORYSIFT_CLASSIFY_AVX512)
        if constexpr (kAvx512) {
          b = ClassifyBlockAvx512(p + i);
        } else if constexpr (kAvx2) {
          b = ClassifyBlockAvx2(p + i);
        } else {
          b = ClassifyBlock(p + i);
        }
#else
        b = ClassifyBlock(p + i);
#endif
        const size_t limit =
            b.high == 0 ? 64 : static_cast<size_t>(__builtin_ctzll(b.high));
        if (limit > 0) {
          if constexpr (kLookalike) {
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
            if constexpr (kAvx512) {  // Here, not in the lambda: it has no AVX-512 target.
              const ClosedWords words = ClosedWordsOf(EdgesOf(b, limit, in_token), limit, in_token);
              HashBlockWordsAvx512(mapped + i, words.starts, words.ends,
                                   static_cast<size_t>(__builtin_popcountll(words.starts)),
                                   &block_hashes);
            }
#endif
            scan_ascii_hashes(b, limit);
          } else {
#if defined(STORYSIFT_HAVE_AVX512_KERNELS)
            if constexpr (kTwoHashes) {  // As above: here, not in the lambda.
              const ClosedWords words = ClosedWordsOf(EdgesOf(b, limit, in_token), limit, in_token);
              HashBlockWordsTwiceAvx512(p + i, words.starts, words.ends,
                                        static_cast<size_t>(__builtin_popcountll(words.starts)),
                                        &block_hashes, &block_lookalikes);
            }
#endif
            scan_ascii(b, limit);
          }
          continue;
        }
      }
    }
#endif
    scan_one();
  }
  if (in_token) end_token(n);
  if (line.begin < n) end_line(n);
  out->folded.resize(fw);
  if constexpr (kLookalike) TrimLookalikeLowerText();
}

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_TOKENIZE_IMPL_H_
