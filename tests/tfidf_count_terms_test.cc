// TfidfVectorizer::CountTerms against a straightforward count: one entry per
// distinct term, sorted by term hash, tf summed, first position kept, for
// documents of every size (its hash table's probe runs, and those that run
// past the last home slot, depend on the size).
#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/normalize.h"
#include "storysift/tfidf.h"
#include "vector/term_counter.h"

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

// Whether CountTerms' table (twice as many home slots as uses, at least 16;
// home slot = term * homes / 2^64, linear probing that never wraps: spare
// slots after the homes; terms entered in first-use order) has a probe run
// that goes past its last home slot: the case its spare slots take.
bool RunPassesLastHome(const NormalizedText& body, const NormalizedText& title) {
  std::vector<uint64_t> distinct;  // In first-use order.
  size_t uses = 0;
  for (const NormalizedText* text : {&title, &body}) {
    for (const Token& t : text->tokens) {
      if (t.term == 0) continue;
      ++uses;
      if (std::find(distinct.begin(), distinct.end(), t.term) == distinct.end()) {
        distinct.push_back(t.term);
      }
    }
  }
  const size_t homes = std::max<size_t>(16, 2 * uses);
  std::vector<uint64_t> slots(homes + uses + 1, 0);
  bool passes = false;
  for (const uint64_t term : distinct) {
    size_t i = static_cast<size_t>((static_cast<unsigned __int128>(term) * homes) >> 64);
    while (slots[i] != 0) ++i;
    passes |= i >= homes;
    slots[i] = term;
  }
  return passes;
}

TEST(TfidfCountTermsTest, MatchesAPlainCountAtEverySize) {
  const Normalizer normalizer = *Normalizer::Create({});
  const TfidfOptions options = PlainOptions();
  std::mt19937_64 rng(19);
  NormalizedText body, title;
  int passed_last_home = 0;
  for (int words = 0; words < 3000; words += 1 + words / 8) {
    // Vocabularies from nearly all-distinct words (several draws: the table
    // is fullest then) to heavy repetition.
    for (int vocabulary : {8 * words + 1, 8 * words + 1, 8 * words + 1, 8 * words + 1,
                           8 * words + 1, words / 4 + 1, 7}) {
      normalizer.Normalize(RandomText(rng, words, vocabulary), &body);
      normalizer.Normalize(RandomText(rng, words % 12, vocabulary), &title);
      ExpectCountsMatch(body, title, options);
      for (const Token& t : body.tokens) ASSERT_NE(t.term, 0u);  // Every word counts.
      passed_last_home += RunPassesLastHome(body, title);
    }
  }
  EXPECT_GT(passed_last_home, 0);  // A run into the spare slots was met.
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

// Names come in the entries' first-use order, each with its first use as a
// name: "acme" is used (as a plain word) before "Zenith", but named after it.
TEST(TfidfCountTermsTest, ListsNamesInFirstUseOrderAtTheirFirstNameUse) {
  const Normalizer normalizer = *Normalizer::Create({});
  NormalizedText body;
  normalizer.Normalize("the report from acme came in. Later Zenith and Acme agreed, Acme said.",
                       &body);
  TermCounts got;
  TfidfVectorizer::CountTerms(TfidfOptions{}, body, nullptr, &got);
  ASSERT_EQ(got.names.size(), 2u);
  const auto position_of = [&](std::string_view word) {
    for (size_t i = 0; i < body.tokens.size(); ++i) {
      if (body.clean_token(i) == word) return static_cast<uint32_t>(i);
    }
    return UINT32_MAX;
  };
  EXPECT_EQ(got.names[0].position, position_of("Acme"));  // Its first use as a name.
  EXPECT_EQ(got.names[1].position, position_of("Zenith"));
  EXPECT_EQ(got.names[0].term, body.tokens[position_of("acme")].term);
  EXPECT_EQ(got.name_form(0), "Acme");
  EXPECT_EQ(got.name_form(1), "Zenith");
}

// The counter's slot listing, eight slots a step (AVX2, where the CPU has it)
// and one at a time, against a plain filter: every count around the step
// (the tail after the last full step), empty, sparse, half and full tables.
TEST(TfidfCountTermsTest, ListsTakenSlotsInOrderInBothForms) {
  std::mt19937_64 rng(19);
  for (const int percent_taken : {0, 10, 37, 50, 100}) {
    for (size_t count : {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 727, 1001}) {
      std::vector<uint32_t> slots(count);
      for (uint32_t& s : slots) {
        s = static_cast<int>(rng() % 100) < percent_taken ? 1 + rng() % 5000 : 0;
      }
      std::vector<uint32_t> want;
      for (const uint32_t s : slots) {
        if (s != 0) want.push_back(s);
      }
      for (const bool avx2 : {true, false}) {
        std::vector<uint32_t> taken(count + internal::kListTakenSpare, 7);
        const size_t n = internal::ListTakenSlots(slots.data(), count, taken.data(), avx2);
        taken.resize(n);
        EXPECT_EQ(taken, want) << percent_taken << "% of " << count << ", avx2 " << avx2;
      }
    }
  }
}

}  // namespace
}  // namespace storysift
