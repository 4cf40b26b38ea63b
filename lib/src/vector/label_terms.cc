#include "vector/label_terms.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"

namespace storysift::internal {
namespace {

// Wire abbreviations are short consonant runs: "vs", "shr", "mln", "dlrs",
// "cts", "pct", "bpd", "stg". Longer vowel-less words are tickers or names.
constexpr size_t kMaxAbbreviationLetters = 4;
// A template word is one that many templated documents (bodies mostly
// layout lines: results tables, dividend notices) share, and that lives
// mostly in them: held by at least kMinTemplatedDf of them and by
// kMinTemplatedShare of all of them, and its documents templated at least
// kMinTemplatedLift times as often as the corpus's. Reuters (2,863 of
// 19,043 templated): "net", "shr", "qtly", "div", "loss", "nine", "Note:"
// are; "corp", "inc" (every company's name, lift 0.9-1.3), "quarterly"
// (4.7 % of them) and any one company's ticker (a few) are not.
constexpr uint32_t kMinTemplatedDf = 10;
constexpr double kMinTemplatedShare = 0.05;
constexpr double kMinTemplatedLift = 2.0;

bool IsVowel(char c) {
  switch (absl::ascii_tolower(c)) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
      return true;
    default:
      return false;
  }
}

bool IsAbbreviation(std::string_view folded) {
  return !folded.empty() && folded.size() <= kMaxAbbreviationLetters &&
         std::all_of(folded.begin(), folded.end(),
                     [](char c) { return absl::ascii_isalpha(c) && !IsVowel(c); });
}

bool IsAllCapitals(std::string_view form) {
  return !form.empty() &&
         std::all_of(form.begin(), form.end(), [](char c) { return absl::ascii_isupper(c); });
}

bool HoldsDigit(std::string_view folded) {
  return std::any_of(folded.begin(), folded.end(), absl::ascii_isdigit);
}

}  // namespace

bool IsTemplateWord(const LabelTermEvidence& term, const LabelCorpus& corpus) {
  const double templated = term.templated_df;
  if (templated < kMinTemplatedDf || templated < kMinTemplatedShare * corpus.templated_docs) {
    return false;
  }
  // templated / df >= lift * templated_docs / docs, without dividing.
  return templated * corpus.docs >= kMinTemplatedLift * term.df * corpus.templated_docs;
}

LabelTermKind LabelTermKindOfShape(std::string_view folded) {
  if (folded.empty() || absl::ascii_isdigit(folded.front()) || IsAbbreviation(folded)) {
    return LabelTermKind::kExcluded;
  }
  return HoldsDigit(folded) ? LabelTermKind::kLate : LabelTermKind::kWord;
}

// The shape rule, refined by what the corpus says of the term.
LabelTermKind ClassifyLabelTerm(const LabelTermEvidence& term, const LabelCorpus& corpus) {
  if (IsTemplateWord(term, corpus)) return LabelTermKind::kExcluded;
  const bool name = term.name_df > 0 && 2 * uint64_t{term.name_df} >= term.df;
  // An acronym written as a name ("NBC") is shown, though its letters read
  // as a wire abbreviation.
  if (name && IsAbbreviation(term.folded) && IsAllCapitals(term.name_form)) {
    return LabelTermKind::kName;
  }
  const LabelTermKind shape = LabelTermKindOfShape(term.folded);
  if (shape == LabelTermKind::kExcluded) return shape;
  return name ? LabelTermKind::kName : shape;
}

}  // namespace storysift::internal
