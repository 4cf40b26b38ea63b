#include "rank/story_split.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "cluster/disjoint_sets.h"
#include "cluster/dot_table.h"
#include "cluster/story_internal.h"
#include "pipeline/parallel.h"
#include "storysift/normalize.h"
#include "vector/row_sum.h"
#include "xxhash.h"

namespace storysift::internal {
namespace {

// Longest identifier read between angle brackets or after an exchange.
constexpr size_t kMaxTickerBytes = 40;
constexpr uint32_t kNoGroup = UINT32_MAX;
// Letters of an exchange suffix: ".O" (Nasdaq), ".N", ".T", ".ST", ".TO".
constexpr size_t kMaxExchangeLetters = 2;
// A title word held by at most this share of the corpus names something
// (a company, a person, a place) rather than a kind of news ("net",
// "payout", "quarterly"): ticker groups whose titles share one are one
// event told with two companies' tickers (a bid, a merger). A corpus under
// 1,000 documents has no such word: its stories rejoin by cosine only.
constexpr double kRareTitleWordShare = 0.001;
constexpr size_t kMinWordBytes = 3;
// Words of a company's name that tell it from others: held by at most this
// share of the corpus ("olin", "rite", "aid", "foods"; not "corp", "inc",
// "industries", "energy": Reuters 4.4 % and 3.0 %).
constexpr double kNameWordShare = 0.02;
// A company's name is at most this many words before its ticker.
constexpr uint32_t kMaxNameWords = 5;
// Ticker groups whose centroids are at least this alike are one event told
// with two companies' tickers. Two companies' results wires, which share
// their template, mostly stay below it (Reuters earnings, with copies naming
// other tickers clustered alone: 0.5 kept 80 cross-company pairs of 456,
// 0.7 kept 50 of 426; docs/quality.md).
constexpr float kSameEventCosine = 0.7f;

// "(NYSE: ABC)" at `open`: the symbol, or empty.
std::string_view ExchangeSymbol(std::string_view title, size_t open) {
  size_t i = open + 1;
  while (i < title.size() && absl::ascii_isalpha(title[i])) ++i;
  if (i == open + 1 || i >= title.size() || title[i] != ':') return {};
  ++i;
  while (i < title.size() && title[i] == ' ') ++i;
  const size_t begin = i;
  while (i < title.size() && (absl::ascii_isalnum(title[i]) || title[i] == '.')) ++i;
  if (i == begin || i >= title.size() || title[i] != ')') return {};
  return title.substr(begin, i - begin);
}

// A character of a ticker or of a company name written <ACME & SONS INC.>.
bool IsNameChar(char c) {
  return absl::ascii_isalnum(c) || c == ' ' || c == '&' || c == '.' || c == '\'' || c == '-' ||
         c == '/';
}

// `s` without surrounding blanks, upper-cased.
std::string TrimmedUpper(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(s.front())) s.remove_prefix(1);
  while (!s.empty() && absl::ascii_isspace(s.back())) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = absl::ascii_toupper(c);
  return out;
}

// A ticker without the exchange a Reuters instrument code appends to it:
// <IRDV.O> (Nasdaq) and <IRDV> name one company, as do <ESB.ST> and <ESB>.
// Only a symbol (letters and digits) followed by one dot and one or two
// letters; a name such as <U.S. HOME CORP> is left alone.
std::string WithoutExchangeSuffix(std::string ticker) {
  const size_t dot = ticker.rfind('.');
  if (dot == std::string::npos || dot == 0 || ticker.size() - dot - 1 > kMaxExchangeLetters ||
      ticker.size() == dot + 1) {
    return ticker;
  }
  const auto alnum = [](char c) { return absl::ascii_isalnum(c); };
  if (!std::all_of(ticker.begin(), ticker.begin() + dot, alnum) ||
      !std::all_of(ticker.begin() + dot + 1, ticker.end(), absl::ascii_isalpha)) {
    return ticker;
  }
  ticker.resize(dot);
  return ticker;
}

// The sum of the rows of `members` (ordinals), ids ascending.
SparseVector SumRows(const std::vector<DocOrdinal>& members, const TfidfMatrix& matrix) {
  std::vector<SparseVectorView> rows;
  for (DocOrdinal d : members) rows.push_back(matrix.row(d));
  SparseVector sum;
  internal::SumRows(rows, &sum);
  return sum;
}

float Norm(const SparseVector& v) { return std::sqrt(Dot(v.view(), v.view())); }

}  // namespace

Story MakeStory(std::vector<DocOrdinal> members, const std::vector<DocMeta>& meta,
                const TfidfMatrix& matrix, int label_terms) {
  Story s;
  s.members = std::move(members);
  for (DocOrdinal d : s.members) {
    if (const std::optional<int64_t>& p = meta[d].published; p.has_value()) {
      s.first_published = std::min(s.first_published.value_or(*p), *p);
      s.last_published = std::max(s.last_published.value_or(*p), *p);
    }
  }
  const SparseVector sum = SumRows(s.members, matrix);
  std::vector<std::pair<uint32_t, float>> terms;
  for (size_t k = 0; k < sum.ids.size(); ++k) terms.emplace_back(sum.ids[k], sum.weights[k]);
  s.label = LabelOf(std::move(terms), matrix.vocabulary(), label_terms);
  return s;
}

namespace {

// A distinctive title word: whether it is rare too, and whether it stands
// in the name a ticker labels.
struct TitleWord {
  uint32_t id;
  bool rare;
  bool names_company;
  uint32_t run;  // Its place among the title's words.
};

// The words of `title` held by at most `max_df` documents (runs of ASCII
// letters, folded to lower case as the tokenizer does), each marked rare
// when held by at most `rare_df`, and when it is one of the kMaxNameWords
// words right before a ticker: the company name the ticker labels ("RITE
// AID CORP <RAD>"; not "JAL" in "JAL PLANE CRASH THOUGHT DUE TO BOEING
// <BA.N> FAULT"). Words inside a ticker's brackets are skipped: they name
// the company the ticker already names, and a family of funds (<FRANKLIN
// GOLD FUND>, <FRANKLIN UTILITIES FUND>) shares them without being one event.
void DistinctiveTitleWords(std::string_view title, const TfidfMatrix& matrix, double max_df,
                           double rare_df, std::vector<TitleWord>* out) {
  std::string word;
  bool in_brackets = false;
  uint32_t runs = 0;        // Words seen outside brackets.
  uint32_t name_from = 0;   // The first word after the last ticker.
  const size_t first = out->size();
  for (size_t i = 0; i <= title.size(); ++i) {
    const char c = i < title.size() ? title[i] : ' ';
    if (absl::ascii_isalpha(c) && !in_brackets) {
      word.push_back(absl::ascii_tolower(c));
      continue;
    }
    if (!word.empty()) {
      const std::optional<uint32_t> id =
          word.size() < kMinWordBytes
              ? std::nullopt
              : matrix.vocabulary().Find(
                    XXH3_64bits_withSeed(word.data(), word.size(), kTokenHashSeed));
      if (id.has_value() && matrix.corpus_df(*id) <= max_df) {
        out->push_back({*id, matrix.corpus_df(*id) <= rare_df, false, runs});
      }
      ++runs;
      word.clear();
    }
    if (c == '<' && !in_brackets) {
      in_brackets = true;
      const uint32_t from = std::max(name_from, runs < kMaxNameWords ? 0 : runs - kMaxNameWords);
      for (size_t w = first; w < out->size(); ++w) {
        if ((*out)[w].run >= from) (*out)[w].names_company = true;
      }
    } else if (c == '>' && in_brackets) {
      in_brackets = false;
      name_from = runs;
    }
  }
}

// Each member's group: members sharing a ticker together (kNoGroup for a
// member naming none). Returns the number of groups.
uint32_t GroupByTicker(const Story& story, const std::vector<std::string>& titles,
                       std::vector<uint32_t>* group) {
  const uint32_t n = static_cast<uint32_t>(story.members.size());
  std::vector<uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  std::vector<bool> named(n, false);
  absl::flat_hash_map<std::string, uint32_t> first_with;
  for (uint32_t i = 0; i < n; ++i) {
    for (std::string& t : TitleTickers(titles[story.members[i]])) {
      named[i] = true;
      auto [it, inserted] = first_with.emplace(std::move(t), i);
      if (!inserted) parent[FindRoot(parent, i)] = FindRoot(parent, it->second);
    }
  }
  group->assign(n, kNoGroup);
  std::vector<uint32_t> number_of_root(n, kNoGroup);
  uint32_t groups = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (!named[i]) continue;
    uint32_t& number = number_of_root[FindRoot(parent, i)];
    if (number == kNoGroup) number = groups++;
    (*group)[i] = number;
  }
  return groups;
}

// Joins (union-find in *joined) ticker groups whose titles share a rare
// word: one event naming two companies, as a bid (ACME <ACM> BIDS FOR BETA;
// BETA <BTA> REJECTS ACME OFFER). Not when the word only names each group's
// own company and the names differ: two companies sharing a word of their
// names (RITE AID CORP <RAD>, SUPER RITE FOODS INC <SRFI>) are two events,
// while one name under two tickers (OLIN CORP <OLM>, OLIN <OLN>: a misspelt
// ticker) is one company.
void JoinByRareTitleWords(const Story& story, const std::vector<std::string>& titles,
                          const std::vector<uint32_t>& group, uint32_t groups,
                          const TfidfMatrix& matrix, std::vector<uint32_t>* joined) {
  // Rare word -> the groups holding it, each with whether it ever stood
  // outside the group's company name there.
  absl::flat_hash_map<uint32_t, std::vector<std::pair<uint32_t, bool>>> groups_with_word;
  // Per group, the distinctive words of each title's company name.
  std::vector<std::vector<std::vector<uint32_t>>> names(groups);
  std::vector<TitleWord> words;
  const double rows = static_cast<double>(matrix.num_rows());
  for (size_t i = 0; i < story.members.size(); ++i) {
    const uint32_t g = group[i];
    if (g == kNoGroup) continue;
    words.clear();
    DistinctiveTitleWords(titles[story.members[i]], matrix, kNameWordShare * rows,
                          kRareTitleWordShare * rows, &words);
    std::vector<uint32_t> name;
    for (const TitleWord& w : words) {
      if (w.names_company) name.push_back(w.id);
      if (!w.rare) continue;
      std::vector<std::pair<uint32_t, bool>>& holders = groups_with_word[w.id];
      auto it = std::find_if(holders.begin(), holders.end(),
                             [&](const auto& h) { return h.first == g; });
      if (it == holders.end()) {
        holders.emplace_back(g, !w.names_company);
      } else {
        it->second = it->second || !w.names_company;
      }
    }
    std::sort(name.begin(), name.end());
    name.erase(std::unique(name.begin(), name.end()), name.end());
    // A title naming its company only inside the brackets has no name here.
    if (!name.empty() && std::find(names[g].begin(), names[g].end(), name) == names[g].end()) {
      names[g].push_back(std::move(name));
    }
  }
  const auto same_name = [&](uint32_t a, uint32_t b) {
    for (const auto& name : names[a]) {
      if (std::find(names[b].begin(), names[b].end(), name) != names[b].end()) return true;
    }
    return false;
  };
  for (const auto& [word, holders] : groups_with_word) {
    for (size_t a = 0; a < holders.size(); ++a) {
      for (size_t b = a + 1; b < holders.size(); ++b) {
        const auto [ga, outside_a] = holders[a];
        const auto [gb, outside_b] = holders[b];
        if (outside_a || outside_b || same_name(ga, gb)) {
          (*joined)[FindRoot(*joined, gb)] = FindRoot(*joined, ga);
        }
      }
    }
  }
}

// Splits one story into *out (itself when it does not split).
void SplitStory(Story story, const std::vector<std::string>& titles,
                const std::vector<DocMeta>& meta, const TfidfMatrix& matrix, int label_terms,
                std::vector<Story>* out) {
  std::vector<uint32_t> group;
  const uint32_t groups = GroupByTicker(story, titles, &group);
  if (groups < 2) {
    out->push_back(std::move(story));
    return;
  }
  std::vector<std::vector<DocOrdinal>> members(groups);
  for (size_t i = 0; i < story.members.size(); ++i) {
    if (group[i] != kNoGroup) members[group[i]].push_back(story.members[i]);
  }
  std::vector<SparseVector> centroid(groups);
  std::vector<float> norm(groups);
  for (uint32_t g = 0; g < groups; ++g) {
    centroid[g] = SumRows(members[g], matrix);
    norm[g] = Norm(centroid[g]);
  }
  // Ticker groups alike as wholes, or whose titles share a rare word, are
  // one event naming two companies.
  std::vector<uint32_t> joined(groups);
  std::iota(joined.begin(), joined.end(), 0u);
  JoinByRareTitleWords(story, titles, group, groups, matrix, &joined);
  // Dots through the thread's DotTable, Dot() bit for bit (dot_table.h):
  // centroid a loaded once, each later one streamed through it.
  DotTable& table = ThreadDotTable(matrix.vocabulary().size());
  for (uint32_t a = 0; a < groups; ++a) {
    if (a + 1 < groups) table.Load(centroid[a].view());
    for (uint32_t b = a + 1; b < groups; ++b) {
      const float cosine = table.Dot(centroid[b].view()) / (norm[a] * norm[b]);
      if (cosine >= kSameEventCosine) joined[FindRoot(joined, b)] = FindRoot(joined, a);
    }
  }
  std::vector<std::vector<DocOrdinal>> parts(groups);
  for (uint32_t g = 0; g < groups; ++g) {
    std::vector<DocOrdinal>& part = parts[FindRoot(joined, g)];
    part.insert(part.end(), members[g].begin(), members[g].end());
  }
  // Members naming no ticker join the most similar part (ties: the first).
  std::vector<SparseVector> part_sum(groups);
  std::vector<float> part_norm(groups, 0);
  for (uint32_t g = 0; g < groups; ++g) {
    if (parts[g].empty()) continue;
    part_sum[g] = SumRows(parts[g], matrix);
    part_norm[g] = Norm(part_sum[g]);
  }
  // The members without a ticker: each one's cosine with every part, part
  // by part (a part's sum loaded once, the members' rows streamed through
  // it), then each joins its most alike part.
  std::vector<size_t> unnamed;
  for (size_t i = 0; i < story.members.size(); ++i) {
    if (group[i] == kNoGroup) unnamed.push_back(i);
  }
  std::vector<float> cosines(unnamed.size() * groups, 0.0f);  // [member][part].
  for (uint32_t g = 0; g < groups; ++g) {
    if (parts[g].empty() || !(part_norm[g] > 0) || unnamed.empty()) continue;
    table.Load(part_sum[g].view());
    for (size_t u = 0; u < unnamed.size(); ++u) {
      cosines[u * groups + g] =
          table.Dot(matrix.row(story.members[unnamed[u]])) / part_norm[g];
    }
  }
  for (size_t u = 0; u < unnamed.size(); ++u) {
    const size_t i = unnamed[u];
    uint32_t best = kNoGroup;
    float best_cosine = -1;
    for (uint32_t g = 0; g < groups; ++g) {
      if (parts[g].empty()) continue;
      const float cosine = cosines[u * groups + g];
      if (cosine > best_cosine) {
        best = g;
        best_cosine = cosine;
      }
    }
    parts[best].push_back(story.members[i]);
  }
  size_t nonempty = 0;
  for (const auto& part : parts) nonempty += !part.empty();
  if (nonempty < 2) {
    out->push_back(std::move(story));
    return;
  }
  for (std::vector<DocOrdinal>& part : parts) {
    if (part.empty()) continue;
    std::sort(part.begin(), part.end());
    out->push_back(MakeStory(std::move(part), meta, matrix, label_terms));
  }
}

}  // namespace

std::vector<std::string> TitleTickers(std::string_view title) {
  // What stands between angle brackets, upper-cased: tickers, and in a
  // title that kept its markup, HTML tags ("<b>bold</b>").
  std::vector<std::string> bracketed;
  for (size_t open = title.find('<'); open != std::string_view::npos;
       open = title.find('<', open + 1)) {
    const size_t close = title.find_first_of("<>", open + 1);
    if (close == std::string_view::npos || title[close] != '>') continue;
    bracketed.push_back(TrimmedUpper(title.substr(open + 1, close - open - 1)));
  }
  // A closing tag "</B>" and the name it closes are markup, not tickers.
  std::vector<std::string_view> closed;
  for (const std::string& inside : bracketed) {
    if (!inside.empty() && inside.front() == '/') {
      closed.push_back(std::string_view(inside).substr(1));
    }
  }
  std::vector<std::string> out;
  for (std::string& inside : bracketed) {
    if (!inside.empty() && inside.front() != '/' && inside.size() <= kMaxTickerBytes &&
        std::all_of(inside.begin(), inside.end(), IsNameChar) &&
        std::find(closed.begin(), closed.end(), inside) == closed.end()) {
      out.push_back(WithoutExchangeSuffix(std::move(inside)));
    }
  }
  for (size_t open = title.find('('); open != std::string_view::npos;
       open = title.find('(', open + 1)) {
    const std::string_view symbol = ExchangeSymbol(title, open);
    if (!symbol.empty() && symbol.size() <= kMaxTickerBytes) {
      out.push_back(TrimmedUpper(symbol));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool TitlesNameOtherCompanies(std::string_view a, std::string_view b) {
  const std::vector<std::string> ta = TitleTickers(a);
  if (ta.empty()) return false;
  const std::vector<std::string> tb = TitleTickers(b);
  if (tb.empty()) return false;
  std::vector<std::string> common;
  std::set_intersection(ta.begin(), ta.end(), tb.begin(), tb.end(), std::back_inserter(common));
  return common.empty();
}

std::vector<Story> SplitByTitleTickers(std::vector<Story> stories,
                                       const std::vector<std::string>& titles,
                                       const std::vector<DocMeta>& meta, const TfidfMatrix& matrix,
                                       int label_terms, int threads) {
  if (titles.empty()) return stories;
  // Stories split independently, each into its own slot; a singleton stays
  // where it is.
  std::vector<std::vector<Story>> parts(stories.size());
  ParallelFor(stories.size(), threads, [&](size_t s) {
    if (stories[s].members.size() >= 2) {
      SplitStory(std::move(stories[s]), titles, meta, matrix, label_terms, &parts[s]);
    }
  });
  std::vector<Story> out;
  out.reserve(stories.size());
  for (size_t s = 0; s < stories.size(); ++s) {
    if (parts[s].empty()) {  // A singleton, never split.
      out.push_back(std::move(stories[s]));
    } else {
      for (Story& part : parts[s]) out.push_back(std::move(part));
    }
  }
  // Members are disjoint, so first members are distinct: the order is total.
  std::sort(out.begin(), out.end(),
            [](const Story& a, const Story& b) { return a.members[0] < b.members[0]; });
  return out;
}

}  // namespace storysift::internal
