// TfidfVectorizer::CountTerms against a straightforward count: one entry per
// distinct term, sorted by term hash, tf summed, first position kept, for
// documents of every size (its hash table's probe runs and wrap-around at
// the last slot depend on the size).
#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "storysift/normalize.h"
#include "storysift/tfidf.h"

namespace storysift {
namespace {

struct Expected {
  float tf = 0;
  uint32_t position = 0;
};

// Each name and table weight off, so every use counts 1 (title uses
// title_weight) and the reference needs no name rules.
TfidfOptions PlainOptions() {
  TfidfOptions options;
  options.name_weight = 1.0f;
  options.table_word_weight = 1.0f;
  return options;
}

// Words "zq" + the word number in letters (terms holding digits may be
// dropped, and "zq" keeps them clear of stop words).
std::string RandomText(std::mt19937_64& rng, int words, int vocabulary) {
  std::string text;
  for (int i = 0; i < words; ++i) {
    text += "zq";
    for (uint64_t w = rng() % vocabulary; w > 0; w /= 26) text += static_cast<char>('a' + w % 26);
    text += ' ';
  }
  return text;
}

void ExpectCountsMatch(const NormalizedText& body, const NormalizedText& title,
                       const TfidfOptions& options) {
  std::map<uint64_t, Expected> want;
  auto use = [&](uint64_t term, float tf, uint32_t position) {
    if (term == 0) return;
    auto [it, inserted] = want.try_emplace(term, Expected{0, position});
    it->second.tf += tf;
  };
  for (size_t i = 0; i < title.tokens.size(); ++i) {
    use(title.tokens[i].term, options.title_weight, static_cast<uint32_t>(i));
  }
  for (size_t i = 0; i < body.tokens.size(); ++i) {
    use(body.tokens[i].term, 1.0f, static_cast<uint32_t>(title.tokens.size() + i));
  }
  TermCounts got;
  TfidfVectorizer::CountTerms(options, body, &title, &got);
  ASSERT_EQ(got.entries.size(), want.size());
  size_t k = 0;
  for (const auto& [term, e] : want) {  // std::map: ascending term.
    EXPECT_EQ(got.entries[k].term, term) << k;
    EXPECT_EQ(got.entries[k].tf, e.tf) << k;
    EXPECT_EQ(got.entries[k].position, e.position) << k;
    const uint32_t p = e.position;
    EXPECT_EQ(got.entry_form(k), p < title.tokens.size()
                                     ? title.folded_token(p)
                                     : body.folded_token(p - title.tokens.size()))
        << k;
    ++k;
  }
}

// Whether CountTerms' table (as many slots as uses, a power of two >= 16,
// doubled while it would be over half full of distinct terms; home slot =
// the term's top bits, linear probing, terms entered in first-use order) has
// a probe run that wraps past its last slot: the case its sorted gather
// treats apart.
bool TableWraps(const NormalizedText& body, const NormalizedText& title) {
  std::vector<uint64_t> distinct;  // In first-use order.
  for (const NormalizedText* text : {&title, &body}) {
    for (const Token& t : text->tokens) {
      if (t.term != 0 && std::find(distinct.begin(), distinct.end(), t.term) == distinct.end()) {
        distinct.push_back(t.term);
      }
    }
  }
  const size_t uses = body.tokens.size() + title.tokens.size();
  int bits = 4;
  while ((size_t{1} << bits) < uses) ++bits;
  while (2 * distinct.size() > (size_t{1} << bits)) ++bits;
  std::vector<uint64_t> slots(size_t{1} << bits, 0);
  bool wraps = false;
  for (const uint64_t term : distinct) {
    size_t i = term >> (64 - bits);
    for (; slots[i] != 0; i = (i + 1) & (slots.size() - 1)) wraps |= i == slots.size() - 1;
    slots[i] = term;
  }
  return wraps;
}

TEST(TfidfCountTermsTest, MatchesAPlainCountAtEverySize) {
  const Normalizer normalizer = *Normalizer::Create({});
  const TfidfOptions options = PlainOptions();
  std::mt19937_64 rng(19);
  NormalizedText body, title;
  int wrapped = 0;
  for (int words = 0; words < 3000; words += 1 + words / 8) {
    // Vocabularies from nearly all-distinct words (several draws: the table
    // is fullest then) to heavy repetition.
    for (int vocabulary : {8 * words + 1, 8 * words + 1, 8 * words + 1, 8 * words + 1,
                           8 * words + 1, words / 4 + 1, 7}) {
      normalizer.Normalize(RandomText(rng, words, vocabulary), &body);
      normalizer.Normalize(RandomText(rng, words % 12, vocabulary), &title);
      ExpectCountsMatch(body, title, options);
      for (const Token& t : body.tokens) ASSERT_NE(t.term, 0u);  // Every word counts.
      wrapped += TableWraps(body, title);
    }
  }
  EXPECT_GT(wrapped, 0);  // The wrap-around case was met.
}

TEST(TfidfCountTermsTest, DropsTermsWhoseWeightIsZero) {
  const Normalizer normalizer = *Normalizer::Create({});
  TfidfOptions options = PlainOptions();
  options.title_weight = 0.0f;  // Title-only terms weigh nothing and go.
  NormalizedText body, title;
  normalizer.Normalize("alpha beta gamma", &body);
  normalizer.Normalize("delta alpha", &title);
  TermCounts got;
  TfidfVectorizer::CountTerms(options, body, &title, &got);
  ASSERT_EQ(got.entries.size(), 3u);
  for (const TermCounts::Entry& e : got.entries) EXPECT_EQ(e.tf, 1.0f);
  EXPECT_LT(got.entries[0].term, got.entries[1].term);
  EXPECT_LT(got.entries[1].term, got.entries[2].term);
}

// The counts carry the forms the vocabulary keeps, so they stand without
// the texts: each entry's folded first use, each name as first written as one.
TEST(TfidfCountTermsTest, CarriesEachTermsDisplayAndEachNamesWrittenForm) {
  const Normalizer normalizer = *Normalizer::Create({});
  NormalizedText body, title;
  normalizer.Normalize("Talks in GENÈVE ended.", &title);
  normalizer.Normalize(
      "The delegates met in Genève on Monday, and the talks with Gazprom went on. "
      "Later the delegates left Genève; Gazprom said little.",
      &body);
  TermCounts got;
  TfidfVectorizer::CountTerms(TfidfOptions{}, body, &title, &got);
  ASSERT_EQ(got.form_end.size(), got.entries.size() + got.names.size());
  ASSERT_EQ(got.form_begin.size(), got.form_end.size());
  std::map<uint64_t, std::string> display;
  for (size_t k = 0; k < got.entries.size(); ++k) {
    display[got.entries[k].term] = std::string(got.entry_form(k));
  }
  std::map<std::string, std::string> name_of_display;
  for (size_t k = 0; k < got.names.size(); ++k) {
    name_of_display[display.at(got.names[k].term)] = std::string(got.name_form(k));
  }
  EXPECT_EQ(name_of_display.at("gazprom"), "Gazprom");
  EXPECT_EQ(name_of_display.at("geneve"), "GENÈVE");  // The title's use comes first.
  EXPECT_EQ(name_of_display.count("talks"), 0u);
  size_t displays = 0;
  for (const auto& [term, form] : display) displays += form == "talks" || form == "delegates";
  EXPECT_EQ(displays, 2u);
}

}  // namespace
}  // namespace storysift
