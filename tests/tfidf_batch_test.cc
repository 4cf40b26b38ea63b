// TfidfVectorizer::AddBatch (vocabulary interned by groups of term shards on
// several threads) gives the same matrix as adding documents one by one.
#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "storysift/normalize.h"
#include "storysift/tfidf.h"
#include "vector/term_table.h"

namespace storysift {
namespace {

struct Doc {
  NormalizedText body, title;
  TermCounts counts;
};

// Words of a small Zipf-ish vocabulary, in mixed case so display forms
// ("first surface form seen") are tested too.
std::vector<Doc> MakeDocs(int n) {
  static const Normalizer normalizer = *Normalizer::Create({});
  std::mt19937_64 rng(7);
  std::vector<Doc> docs(n);
  for (Doc& d : docs) {
    std::string body, title;
    for (int i = 0; i < 80; ++i) {
      const int w = static_cast<int>(rng() % 2000 * (rng() % 2000) / 2000);
      body += (rng() % 3 == 0 ? "Word" : "word") + std::to_string(w) + " ";
      if (i % 10 == 0) title += "w" + std::to_string(w) + " ";
    }
    normalizer.Normalize(body, &d.body);
    normalizer.Normalize(title, &d.title);
    TfidfVectorizer::CountTerms(TfidfOptions{}, d.body, &d.title, &d.counts);
  }
  return docs;
}

void ExpectSameMatrix(const TfidfMatrix& a, const TfidfMatrix& b) {
  ASSERT_EQ(a.num_rows(), b.num_rows());
  ASSERT_EQ(a.vocabulary().size(), b.vocabulary().size());
  for (uint32_t id = 0; id < a.vocabulary().size(); ++id) {
    EXPECT_EQ(a.vocabulary().term_hash(id), b.vocabulary().term_hash(id));
    EXPECT_EQ(a.vocabulary().display(id), b.vocabulary().display(id));
    EXPECT_EQ(a.vocabulary().label_display(id), b.vocabulary().label_display(id));
    EXPECT_EQ(a.corpus_df(id), b.corpus_df(id));
    if (id > 0) {
      EXPECT_LT(a.vocabulary().term_hash(id - 1), a.vocabulary().term_hash(id));
    }
  }
  for (size_t r = 0; r < a.num_rows(); ++r) {
    EXPECT_EQ(a.ordinal(r), b.ordinal(r));
    const SparseVectorView x = a.row(r), y = b.row(r);
    ASSERT_EQ(x.size(), y.size());
    for (size_t k = 0; k < x.size(); ++k) {
      EXPECT_EQ(x.ids[k], y.ids[k]);
      EXPECT_EQ(x.weights[k], y.weights[k]);
    }
  }
}

class TfidfBatchTest : public testing::TestWithParam<int> {};

// Param: max_terms_per_doc (0 = all; else Build() prunes rows on the threads
// and compacts them in order).
TEST_P(TfidfBatchTest, BatchesOnAnyThreadCountMatchOneByOne) {
  const std::vector<Doc> docs = MakeDocs(300);
  TfidfOptions options;
  options.max_terms_per_doc = GetParam();
  TfidfVectorizer one = *TfidfVectorizer::Create(options);
  for (size_t i = 0; i < docs.size(); ++i) {
    ASSERT_TRUE(one.Add(static_cast<DocOrdinal>(2 * i), docs[i].body, &docs[i].title).ok());
  }
  const TfidfMatrix expected = *one.Build();
  ASSERT_GT(expected.vocabulary().size(), 500u);
  // Threads set the groups of term shards interned together (1, 2, 8 and
  // 32 of 32, 16, 4 and 1 shards): each shard sees the same documents in
  // the same order whatever the grouping.
  for (int threads : {1, 2, 5, 32}) {
    for (size_t batch : {size_t{1}, size_t{64}, size_t{300}}) {
      TfidfVectorizer v = *TfidfVectorizer::Create(options);
      for (size_t start = 0; start < docs.size(); start += batch) {
        std::vector<TfidfVectorizer::CountedDoc> counted;
        for (size_t i = start; i < std::min(docs.size(), start + batch); ++i) {
          counted.push_back({static_cast<DocOrdinal>(2 * i), &docs[i].counts});
        }
        ASSERT_TRUE(v.AddBatch(counted, threads).ok());
      }
      ExpectSameMatrix(*v.Build(), expected);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(MaxTerms, TfidfBatchTest, testing::Values(0, 5));

TEST(TfidfBatchOrderTest, BatchWithDecreasingOrdinalAddsNothing) {
  const std::vector<Doc> docs = MakeDocs(2);
  TfidfVectorizer v = *TfidfVectorizer::Create({});
  std::vector<TfidfVectorizer::CountedDoc> counted = {
      {3, &docs[0].counts}, {3, &docs[1].counts}};
  EXPECT_EQ(v.AddBatch(counted, 2).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(v.Build()->num_rows(), 0u);
}

// Counts of the given terms (each used once, sorted), with empty forms.
TermCounts CountsOf(std::vector<uint64_t> terms) {
  std::sort(terms.begin(), terms.end());
  TermCounts counts;
  for (size_t k = 0; k < terms.size(); ++k) {
    counts.entries.push_back({terms[k], 1.0f, static_cast<uint32_t>(k)});
    counts.entry_form_index.push_back(static_cast<uint32_t>(k));
  }
  counts.form_begin.assign(terms.size(), 0);
  counts.form_end.assign(terms.size(), 0);
  return counts;
}

// Documents whose terms fill some of the vocabulary's term shards (the
// hash's top bits) and skip others: none, the first or last only, both,
// runs with gaps, every shard. Each row holds its document's terms, and
// each term's df counts the documents that use it, at any thread count.
TEST(TfidfBatchShardTest, RowsHoldEachDocumentsTermsWhicheverShardsTheyFill) {
  constexpr int kShardShift = 64 - internal::TermTable::kShardBits;
  constexpr uint64_t kLast = internal::TermTable::kShards - 1;
  const auto term = [](uint64_t shard, uint64_t low) { return shard << kShardShift | low; };
  std::vector<std::vector<uint64_t>> doc_terms = {
      {},
      {term(0, 1)},
      {term(kLast, 5)},
      {term(0, 1), term(kLast, 5)},
      {term(3, 7), term(3, 9), term(17, 2)},
      {term(3, 9), term(4, 1), term(kLast, 8)},
      {},
  };
  doc_terms.emplace_back();
  for (uint64_t s = 0; s <= kLast; ++s) doc_terms.back().push_back(term(s, 11 + s));
  std::vector<TermCounts> counts;
  for (const std::vector<uint64_t>& terms : doc_terms) counts.push_back(CountsOf(terms));
  std::map<uint64_t, uint32_t> df;
  for (const std::vector<uint64_t>& terms : doc_terms) {
    for (const uint64_t t : terms) ++df[t];
  }
  for (int threads : {1, 2, 3, 32}) {
    TfidfVectorizer v = *TfidfVectorizer::Create({});
    std::vector<TfidfVectorizer::CountedDoc> counted;
    for (size_t d = 0; d < counts.size(); ++d) {
      counted.push_back({static_cast<DocOrdinal>(d), &counts[d]});
    }
    ASSERT_TRUE(v.AddBatch(counted, threads).ok());
    const TfidfMatrix m = *v.Build();
    ASSERT_EQ(m.num_rows(), doc_terms.size());
    ASSERT_EQ(m.vocabulary().size(), df.size());
    for (uint32_t id = 0; id < m.vocabulary().size(); ++id) {
      EXPECT_EQ(m.corpus_df(id), df[m.vocabulary().term_hash(id)]) << id;
    }
    for (size_t r = 0; r < m.num_rows(); ++r) {
      std::vector<uint64_t> got;
      for (const uint32_t id : m.row(r).ids) got.push_back(m.vocabulary().term_hash(id));
      std::vector<uint64_t> want = doc_terms[r];
      std::sort(want.begin(), want.end());
      EXPECT_EQ(got, want) << "document " << r << ", threads " << threads;
    }
  }
}

TEST(TermTableTest, IdsAreDenseInFirstSightOrderAndDfCounts) {
  internal::TermShard shard;
  std::vector<uint64_t> terms;
  for (uint64_t t = 1; t <= 5000; ++t) terms.push_back(t * 0x9E3779B97F4A7C15ull | 1);
  for (size_t i = 0; i < terms.size(); ++i) {
    EXPECT_EQ(shard.Intern(terms[i], [&] { return std::to_string(i); }), i);
  }
  EXPECT_EQ(shard.Intern(terms[42], [] { return std::string("unused"); }), 42u);
  EXPECT_EQ(shard.size(), 5000u);
  EXPECT_EQ(shard.display(42), "42");
  const auto slots = shard.SortedSlots();
  ASSERT_EQ(slots.size(), 5000u);
  for (const auto& s : slots) EXPECT_EQ(s.df, s.term == terms[42] ? 2u : 1u);
  EXPECT_TRUE(std::is_sorted(slots.begin(), slots.end(),
                             [](const auto& a, const auto& b) { return a.term < b.term; }));
}

}  // namespace
}  // namespace storysift
