// Event signals in a document's tokens, for TF-IDF weighting (#15): names
// from the original casing and words of table/layout lines.
#ifndef STORYSIFT_VECTOR_EVENT_TERMS_H_
#define STORYSIFT_VECTOR_EVENT_TERMS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/types/span.h"

#include "storysift/normalize.h"

namespace storysift::internal {

// True when the text's words are not all in one case: at most 60 % of its
// words start with a capital (all-caps titles and lowercased tweets carry no
// name signal in their casing).
bool IsMixedCase(const NormalizedText& text);
// The same from the counts of its words (tokens of length > 0) that start
// with an ASCII capital (`upper`) and with a lowercase letter (`lower`).
bool IsMixedCaseCounts(size_t upper, size_t lower);

// A token written <ABC> (the Reuters ticker convention).
bool IsTicker(const NormalizedText& text, const Token& t);

// A capitalised word that does not open a sentence: looking back past
// spaces, quotes and brackets, the text goes on (not its start, not a
// sentence end, not a line break after a sentence end or a blank line).
bool IsCapitalisedInSentence(const NormalizedText& text, const Token& t);

// A word of two to six capital letters and nothing else ("USDA", "NBC",
// "NASDAQ"): in mixed-case text an acronym, a name wherever it stands.
bool IsAcronym(const NormalizedText& text, const Token& t);

// A token that starts with an ASCII digit.
bool IsNumberToken(const NormalizedText& text, const Token& t);

// A line of a body for the layout rule: its tokens [begin, end) (a line ends
// where a '\n' lies between two tokens), how many of them are numbers, and
// the term uses its tokens made, [first_use, end_use) of the caller's list.
// CountTerms splits the lines while it weighs the tokens (a pass of its own
// over the tokens cost more than the rest of the rule).
struct LayoutLine {
  uint32_t begin = 0, end = 0;
  uint32_t numbers = 0;
  uint32_t first_use = 0, end_use = 0;
};

// Layout lines: their words (not numbers) recur in every document of the
// kind and say nothing about which company or match it is. A table line
// holds two or more numbers that are at least a third of its tokens ("Shr
// 1.18 dlrs vs 1.04 dlrs"). A short line (at most 7 tokens) with a number
// ("Pay April 15") is layout too in a templated text, where such lines are
// at least half of the text's lines, and two or more, as in results and
// dividend notices; in prose it is the end of a wrapped paragraph.
bool IsTemplatedText(absl::Span<const LayoutLine> lines);
bool IsLayoutLine(const LayoutLine& line, bool templated_text);

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_EVENT_TERMS_H_
