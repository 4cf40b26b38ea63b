// The entity-disagreement pass after clustering (#15): a story whose
// members' titles name different companies by their ticker, and whose
// ticker groups are not alike as wholes, is two or more events of one kind
// (two companies' quarterly results) that share a template, and splits.
#ifndef STORYSIFT_RANK_STORY_SPLIT_H_
#define STORYSIFT_RANK_STORY_SPLIT_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/corpus.h"
#include "storysift/story_clusterer.h"
#include "storysift/tfidf.h"

namespace storysift::internal {

// The tickers a title names, upper-cased, sorted and unique: "<ABC>" (the
// Reuters convention) and "(NYSE: ABC)" (an exchange, a colon, a symbol; as
// press releases and AP write them). Markup a title kept is skipped: a
// closing tag ("</b>") and any name it closes.
std::vector<std::string> TitleTickers(std::string_view title);

// True when both titles name tickers and none in common: two companies'
// notices, which share a template ("Qtly div 18 cts vs 18 cts prior") but
// are not reprints of each other, so a copy with such a title stands alone
// in story clustering.
bool TitlesNameOtherCompanies(std::string_view a, std::string_view b);

// Splits each story whose members' titles name two or more tickers that no
// title names together: members naming a common ticker stay together;
// ticker groups whose titles share a rare word (a name: a bid for one
// company by another) or whose centroids are alike (story_split.cc) are
// one event told with two companies' tickers and join again; members
// naming none join the most similar group. Split stories get their label,
// dates and order recomputed; others are returned as they were. `titles` by
// ordinal (empty: nothing splits); `matrix` rows by ordinal. Stories split
// on `threads` threads; the result does not depend on it.
// A story of `members` (ordinals, ascending): its dates from `meta` and its
// label from the sum of its rows.
Story MakeStory(std::vector<DocOrdinal> members, const std::vector<DocMeta>& meta,
                const TfidfMatrix& matrix, int label_terms);

std::vector<Story> SplitByTitleTickers(std::vector<Story> stories,
                                       const std::vector<std::string>& titles,
                                       const std::vector<DocMeta>& meta, const TfidfMatrix& matrix,
                                       int label_terms, int threads = 1);

}  // namespace storysift::internal

#endif  // STORYSIFT_RANK_STORY_SPLIT_H_
