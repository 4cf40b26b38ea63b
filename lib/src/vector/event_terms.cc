#include "vector/event_terms.h"

#include <cstddef>
#include <string_view>

namespace storysift::internal {
namespace {

bool IsAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiAlnum(char c) { return IsAsciiUpper(c) || IsAsciiLower(c) || (c >= '0' && c <= '9'); }

bool IsTableLine(const LayoutLine& l) {
  return l.numbers >= 2 && l.numbers * 3 >= l.end - l.begin;
}

bool IsShortLine(const LayoutLine& l) { return l.numbers >= 1 && l.end - l.begin <= 7; }

}  // namespace

bool IsNumberToken(const NormalizedText& text, const Token& t) {
  if (t.length == 0) return false;
  const char c = text.clean[t.begin];
  return c >= '0' && c <= '9';
}

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
  // The common case first: one space after a word ("the Fed said").
  if (t.begin >= 2 && clean[t.begin - 1] == ' ' && IsAsciiAlnum(clean[t.begin - 2])) return true;
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

bool IsTemplatedText(absl::Span<const LayoutLine> lines) {
  size_t layout = 0;
  for (const LayoutLine& l : lines) layout += IsTableLine(l) || IsShortLine(l);
  return layout >= 2 && layout * 2 >= lines.size();
}

bool IsLayoutLine(const LayoutLine& line, bool templated_text) {
  return IsTableLine(line) || (templated_text && IsShortLine(line));
}

}  // namespace storysift::internal
