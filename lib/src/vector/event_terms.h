// Event signals in a document's tokens, for TF-IDF weighting (#15): names
// from the original casing and words of table/layout lines.
#ifndef STORYSIFT_VECTOR_EVENT_TERMS_H_
#define STORYSIFT_VECTOR_EVENT_TERMS_H_

#include <cstddef>
#include <vector>

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

// Replaces *in_table with one flag per token of `text`: 1 for a word (not a
// number) on a layout line. A table line holds two or more numbers that are
// at least a third of its tokens ("Shr 1.18 dlrs vs 1.04 dlrs"). A short
// line (at most 7 tokens) with a number ("Pay April 15") is layout too when
// such lines make up at least half of the text's lines, as in results and
// dividend notices; in prose it is the end of a wrapped paragraph.
// Returns whether the text is such a templated one (layout lines are at
// least half of its lines, and two or more).
bool MarkTableWords(const NormalizedText& text, std::vector<char>* in_table);

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_EVENT_TERMS_H_
