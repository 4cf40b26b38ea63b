#include "vector/event_terms.h"

#include <cstddef>
#include <string_view>

namespace storysift::internal {
namespace {

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }

bool IsNumberToken(const NormalizedText& text, const Token& t) {
  if (t.length == 0) return false;
  const char c = text.clean[t.begin];
  return c >= '0' && c <= '9';
}

}  // namespace

// True when the text's words are not all in one case: at most 60 % of its
// words start with a capital (all-caps titles and lowercased tweets carry no
// name signal in their casing).
bool IsMixedCase(const NormalizedText& text) {
  size_t upper = 0, lower = 0;
  for (const Token& t : text.tokens) {
    if (t.length == 0) continue;
    const char c = text.clean[t.begin];
    upper += IsAsciiUpper(c);
    lower += IsAsciiLower(c);
  }
  return IsMixedCaseCounts(upper, lower);
}

bool IsMixedCaseCounts(size_t upper, size_t lower) {
  return lower > 0 && upper * 10 <= (upper + lower) * 6;
}

// A token written <ABC> (the Reuters ticker convention).
bool IsTicker(const NormalizedText& text, const Token& t) {
  const size_t end = size_t{t.begin} + t.length;
  return t.begin > 0 && end < text.clean.size() && text.clean[t.begin - 1] == '<' &&
         text.clean[end] == '>';
}

// A capitalised word that does not open a sentence: looking back past
// spaces, quotes and brackets, the text goes on (not its start, not a
// sentence end, not a line break after a sentence end or a blank line).
bool IsCapitalisedInSentence(const NormalizedText& text, const Token& t) {
  if (t.length < 2 || !IsAsciiUpper(text.clean[t.begin])) return false;
  const std::string_view clean = text.clean;
  size_t i = t.begin;
  bool newline = false;
  while (i > 0) {
    const char c = clean[i - 1];
    if (c == '\n') {
      if (newline) return false;  // A blank line: a new paragraph.
      newline = true;
    } else if (c != ' ' && c != '\t' && c != '"' && c != '\'' && c != '(' && c != '[' &&
               c != '`' && c != '-') {
      return !(c == '.' || c == '!' || c == '?' || c == ':' || c == '>');
    }
    --i;
  }
  return false;  // The text's first word.
}

bool IsAcronym(const NormalizedText& text, const Token& t) {
  // Longer capitalised words are a heading's or a shouted line's ("BREAKING").
  constexpr uint32_t kMaxAcronymLetters = 6;
  if (t.length < 2 || t.length > kMaxAcronymLetters) return false;
  for (size_t k = t.begin; k < size_t{t.begin} + t.length; ++k) {
    if (!IsAsciiUpper(text.clean[k])) return false;
  }
  return true;
}

// Marks (*in_table)[i] for each word (not number) token on a layout line.
// A table line holds two or more numbers that are at least a third of its
// tokens ("Shr 1.18 dlrs vs 1.04 dlrs", "Net 15.4 mln vs 13.2 mln"). A short
// line (at most 7 tokens) with a number ("Pay April 15", "Record March 31")
// is layout too when such lines make up at least half of the text's lines,
// as in results and dividend notices; in prose it is the end of a wrapped
// paragraph. Layout words recur in every document of the kind and say
// nothing about which company or match it is, unlike their numbers.
bool MarkTableWords(const NormalizedText& text, std::vector<char>* in_table) {
  const size_t n = text.tokens.size();
  in_table->assign(n, 0);
  struct Line {
    size_t begin, end, numbers;
  };
  thread_local std::vector<Line> lines;
  lines.clear();
  // Line breaks are found by one memchr per line, ahead of the tokens (a
  // memchr per gap between tokens, mostly one space, cost more than the rest).
  const std::string_view clean = text.clean;
  const auto newline_from = [&](size_t from) {
    const size_t at = clean.find('\n', from);
    return at == std::string_view::npos ? clean.size() : at;
  };
  // The current line in a local: kept in lines.back(), it was reloaded
  // through the thread-local vector at every token.
  size_t next_newline = newline_from(0);
  Line line{0, 0, 0};
  size_t gap_begin = 0;  // End of the previous token.
  for (size_t i = 0; i < n; ++i) {
    const Token& t = text.tokens[i];
    if (i > 0) {
      if (next_newline < gap_begin) next_newline = newline_from(gap_begin);
      if (next_newline < t.begin) {
        line.end = i;
        lines.push_back(line);
        line = {i, i, 0};
      }
    }
    gap_begin = size_t{t.begin} + t.length;
    line.numbers += IsNumberToken(text, t);
  }
  if (n > 0) {
    line.end = n;
    lines.push_back(line);
  }
  const auto is_table = [](const Line& l) {
    return l.numbers >= 2 && l.numbers * 3 >= l.end - l.begin;
  };
  const auto is_short = [](const Line& l) { return l.numbers >= 1 && l.end - l.begin <= 7; };
  size_t layout = 0;
  for (const Line& l : lines) layout += is_table(l) || is_short(l);
  const bool layout_text = layout >= 2 && layout * 2 >= lines.size();
  for (const Line& l : lines) {
    if (!is_table(l) && !(layout_text && is_short(l))) continue;
    for (size_t k = l.begin; k < l.end; ++k) {
      (*in_table)[k] = !IsNumberToken(text, text.tokens[k]);
    }
  }
  return layout_text;
}

}  // namespace storysift::internal
