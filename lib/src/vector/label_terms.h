// Which terms may name a story in its label (#15): names first, never a
// bare number, a wire abbreviation ("shr", "cts", "mln") or a word of the
// fixed layout that many short templated documents share ("qtly", "div").
// Judged once per term from corpus-wide evidence gathered while the TF-IDF
// vocabulary is built, so labelling a story stays a sort of its terms.
#ifndef STORYSIFT_VECTOR_LABEL_TERMS_H_
#define STORYSIFT_VECTOR_LABEL_TERMS_H_

#include <cstdint>
#include <string_view>

#include "storysift/tfidf.h"

namespace storysift::internal {

struct LabelTermEvidence {
  std::string_view folded;     // The vocabulary's display form.
  std::string_view name_form;  // As first written as a name; empty if never.
  uint32_t df = 0;             // Documents using the term.
  uint32_t name_df = 0;        // ... as a name.
  uint32_t templated_df = 0;   // ... that are templated (mostly layout lines).
};

struct LabelCorpus {
  uint32_t docs = 0;            // Documents in the corpus.
  uint32_t templated_docs = 0;  // ... whose bodies are mostly layout lines.
};

// A word of the layout that many templated documents share ("net", "shr",
// "qtly", "div", "Note:"): held by many of them, and mostly by them
// (thresholds and measurements in label_terms.cc).
bool IsTemplateWord(const LabelTermEvidence& term, const LabelCorpus& corpus);

// The term's label kind:
// - kExcluded: a number (opens with a digit: "1987", "15.4", "3rd",
//   "20bn"); a template word (IsTemplateWord); an abbreviation (at most 4
//   ASCII letters and no vowel: "shr", "mln", "cts", "vs", "Mr"; unless
//   written as an all-capitals name: "NBC").
// - kName: used as a name in at least half the documents that hold it.
// - kLate: holds a digit ("g7"); kWord otherwise.
LabelTermKind ClassifyLabelTerm(const LabelTermEvidence& term, const LabelCorpus& corpus);

// The same from the term's folded form alone (numbers and abbreviations):
// the rule ClassifyLabelTerm refines with the corpus evidence.
LabelTermKind LabelTermKindOfShape(std::string_view folded);

}  // namespace storysift::internal

#endif  // STORYSIFT_VECTOR_LABEL_TERMS_H_
