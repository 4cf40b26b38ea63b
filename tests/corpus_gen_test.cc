#include "corpus_gen.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "storysift/eval.h"
#include "temp_dir.h"

namespace storysift::corpusgen {
namespace {

// Base articles of random pseudo-words (fixed seed): unrelated articles share
// almost no 5-shingles, so any overlap the generator creates is its own.
std::vector<BaseArticle> SyntheticBases(int n) {
  std::mt19937_64 rng(42);
  const char* syl[] = {"ka", "lo", "mi", "ter", "san", "do", "vu", "ren", "pa", "shi",
                       "mon", "gel", "ta", "ri", "bo", "nek"};
  std::vector<std::string> vocab;
  for (int i = 0; i < 3000; ++i) {
    vocab.push_back(absl::StrCat(syl[rng() % 16], syl[rng() % 16], syl[rng() % 16]));
  }
  std::vector<BaseArticle> out;
  for (int a = 0; a < n; ++a) {
    BaseArticle b;
    b.id = absl::StrCat("b", a);
    b.title = absl::StrCat("Article ", a);
    b.date = "2020-01-01";
    b.label = absl::StrCat("L", a % 5);
    for (int p = 0, np = 3 + rng() % 4; p < np; ++p) {
      std::vector<std::string> words;
      for (int s = 0, ns = 2 + rng() % 3; s < ns; ++s) {
        for (int w = 0, nw = 8 + rng() % 12; w < nw; ++w) {
          std::string word = vocab[rng() % vocab.size()];
          if (w == 0) word[0] = static_cast<char>(std::toupper(word[0]));
          if (w == 3) word += ",";
          if (w == nw - 1) word += ".";
          words.push_back(word);
        }
      }
      b.paragraphs.push_back(absl::StrJoin(words, " "));
    }
    out.push_back(std::move(b));
  }
  return out;
}

CorpusGenerator MakeGen(uint64_t docs, double share, uint64_t seed,
                        std::vector<BaseArticle> bases = SyntheticBases(60)) {
  CorpusOptions o;
  o.num_docs = docs;
  o.copy_share = share;
  o.seed = seed;
  o.min_words = 100;
  o.max_words = 400;
  auto g = CorpusGenerator::Create(std::move(bases), o);
  EXPECT_TRUE(g.ok()) << g.status();
  return *std::move(g);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Words(std::string_view s) {
  return absl::StrSplit(absl::string_view(s.data(), s.size()), absl::ByAnyChar(" \n"),
                        absl::SkipEmpty());
}

size_t WordEditDistance(const std::vector<std::string>& a,
                        const std::vector<std::string>& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1,
                         prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool IsSubsequence(const std::vector<std::string>& small,
                   const std::vector<std::string>& big) {
  size_t j = 0;
  for (const std::string& w : big) {
    if (j < small.size() && small[j] == w) ++j;
  }
  return j == small.size();
}

TEST(CorpusGenTest, ParsesCopyKindLists) {
  EXPECT_EQ(ParseCopyKinds("all")->size(), 8u);
  EXPECT_EQ(ParseCopyKinds("")->size(), 8u);
  auto two = ParseCopyKinds("exact, ocr_noise");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(*two, (std::vector<CopyKind>{CopyKind::kExact, CopyKind::kOcrNoise}));
  EXPECT_EQ(ParseCopyKinds("all10")->size(), 10u);
  EXPECT_EQ(*ParseCopyKinds("heavy_edits,edits_footer"),
            (std::vector<CopyKind>{CopyKind::kHeavyEdits, CopyKind::kEditsFooter}));
  EXPECT_EQ(ParseCopyKinds("exact,bogus").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CorpusGenTest, SplitsParagraphsByIndentBlankLineOrLine) {
  EXPECT_EQ(SplitParagraphs("One two\nthree.\n    Four  five.\nsix\n"),
            (std::vector<std::string>{"One two three.", "Four five. six"}));
  EXPECT_EQ(SplitParagraphs("A b.\n\nC d."), (std::vector<std::string>{"A b.", "C d."}));
  EXPECT_EQ(SplitParagraphs("Line one .\nLine two ."),
            (std::vector<std::string>{"Line one .", "Line two ."}));
}

TEST(CorpusGenTest, WordShingleJaccardMatchesHandValues) {
  // {abcde, bcdef} vs {abcde, bcdeg}: 1 shared of 3.
  EXPECT_DOUBLE_EQ(WordShingleJaccard("a b c d e f", "a b c d e g"), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(WordShingleJaccard("A, b. C-d e", "a b c d e"), 1.0);
  EXPECT_DOUBLE_EQ(WordShingleJaccard("a b", "a c"), 0.0);
}

TEST(CorpusGenTest, SameSeedGivesByteIdenticalFiles) {
  const testing_util::TempDir tmp;
  const std::string p1 = (tmp / "s1.jsonl"), p2 = (tmp / "s2.jsonl"),
                    p3 = tmp / "s3.jsonl";
  ASSERT_TRUE(MakeGen(300, 0.4, 7).WriteCorpus(p1).ok());
  ASSERT_TRUE(MakeGen(300, 0.4, 7).WriteCorpus(p2).ok());
  ASSERT_TRUE(MakeGen(300, 0.4, 8).WriteCorpus(p3).ok());
  EXPECT_EQ(ReadFile(p1), ReadFile(p2));
  EXPECT_EQ(ReadFile(GoldPath(p1)), ReadFile(GoldPath(p2)));
  EXPECT_EQ(ReadFile(PairsPath(p1)), ReadFile(PairsPath(p2)));
  EXPECT_NE(ReadFile(p1), ReadFile(p3));
  for (const auto& p : {p1, p2, p3}) {
    std::filesystem::remove(p);
    std::filesystem::remove(GoldPath(p));
    std::filesystem::remove(PairsPath(p));
  }
}

TEST(CorpusGenTest, GoldFilesAccountForEveryDocument) {
  const testing_util::TempDir tmp;
  const std::string path = tmp / "gold.jsonl";
  const uint64_t n = 500;
  CorpusGenerator gen = MakeGen(n, 0.3, 3);
  ASSERT_TRUE(gen.WriteCorpus(path).ok());

  LabelFileOptions by_group;
  by_group.label_fields = {"copy_group"};
  auto gold = ReadLabelsJsonl(GoldPath(path), by_group);
  ASSERT_TRUE(gold.ok()) << gold.status();
  EXPECT_EQ(gold->size(), n);
  // The corpus holds the same ids (read through the same reader).
  LabelFileOptions by_source;
  by_source.label_fields = {"source"};
  auto corpus = ReadLabelsJsonl(path, by_source);
  ASSERT_TRUE(corpus.ok()) << corpus.status();
  EXPECT_EQ(corpus->size(), n);
  for (const auto& [id, group] : *gold) EXPECT_TRUE(corpus->contains(id)) << id;

  uint64_t copies = 0;
  std::map<std::string, int> kinds;
  for (uint64_t i = 0; i < n; ++i) {
    GeneratedDoc d = gen.Generate(i);
    EXPECT_EQ(gold->at(d.id), d.copy_group);
    ++kinds[d.copy_kind];
    if (d.copy_kind == "original") {
      EXPECT_EQ(d.copy_group, d.id);
    } else {
      ++copies;
      EXPECT_LT(d.copy_group, d.id);  // The original comes first.
      EXPECT_EQ(gold->at(d.copy_group), d.copy_group);
    }
  }
  EXPECT_EQ(copies, 150u);  // round(500 * 0.3), exactly.
  EXPECT_EQ(kinds.size(), 9u) << "every kind plus original appears";

  // The pair file lists exactly the pairs the copy groups imply.
  auto pairs = ReadPairsTsv(PairsPath(path));
  ASSERT_TRUE(pairs.ok()) << pairs.status();
  PairMetrics m = EvaluatePairs(PairsAtLeast(*pairs, 0), PairsFromLabeling(*gold));
  EXPECT_EQ(m.num_gold, m.num_predicted);
  EXPECT_DOUBLE_EQ(m.f1, 1.0);
  for (const ScoredPair& p : *pairs) {
    EXPECT_GT(p.score, 0.0);
    EXPECT_LE(p.score, 1.0);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(GoldPath(path));
  std::filesystem::remove(PairsPath(path));
}

// Applies `kind` to 20 originals and checks each copy with `check`.
template <typename Check>
void ForCopies(CopyKind kind, Check check) {
  CorpusGenerator gen = MakeGen(20, 0.0, 11);
  for (uint64_t i = 0; i < 20; ++i) {
    GeneratedDoc o = gen.Generate(i);
    CopyResult c = MakeCopy(kind, o.title, o.text, 1000 + i);
    SCOPED_TRACE(absl::StrCat(std::string(CopyKindName(kind)), " of ", o.id));
    check(o, c);
  }
}

TEST(CorpusGenTest, ExactAndHeaderFooterKeepTheText) {
  ForCopies(CopyKind::kExact, [](const GeneratedDoc& o, const CopyResult& c) {
    EXPECT_EQ(c.text, o.text);
    EXPECT_EQ(c.title, o.title);
  });
  ForCopies(CopyKind::kHeaderFooter, [](const GeneratedDoc& o, const CopyResult& c) {
    const size_t at = c.text.find(o.text);
    ASSERT_NE(at, std::string::npos);
    const std::string extra = c.text.substr(0, at) + c.text.substr(at + o.text.size());
    EXPECT_GE(Words(extra).size(), 6u);  // At least a header and two footer lines.
    EXPECT_NE(extra.find(c.source), std::string::npos);
  });
}

TEST(CorpusGenTest, WordEditsChangeFiveToTenPercentOfWords) {
  ForCopies(CopyKind::kWordEdits, [](const GeneratedDoc& o, const CopyResult& c) {
    std::vector<std::string> a = Words(o.text), b = Words(c.text);
    const double rate = static_cast<double>(WordEditDistance(a, b)) / a.size();
    // 5-10% edits; two adjacent edits can merge into one (delete + insert).
    EXPECT_GE(rate, 0.045);
    EXPECT_LE(rate, 0.105);
  });
}

TEST(CorpusGenTest, TruncatedKeepsAFortyToSeventyPercentPrefix) {
  ForCopies(CopyKind::kTruncated, [](const GeneratedDoc& o, const CopyResult& c) {
    std::vector<std::string> a = Words(o.text), b = Words(c.text);
    ASSERT_LE(b.size(), a.size());
    EXPECT_TRUE(std::equal(b.begin(), b.end(), a.begin()));
    const double kept = static_cast<double>(b.size()) / a.size();
    EXPECT_GE(kept, 0.395);
    EXPECT_LE(kept, 0.705);
  });
}

TEST(CorpusGenTest, DroppedSentencesRemovesWholeSentencesOnly) {
  ForCopies(CopyKind::kDroppedSentences, [](const GeneratedDoc& o, const CopyResult& c) {
    // Synthetic sentences end with "." and nothing else does.
    auto sentences = [](const std::string& t) {
      std::vector<std::string> s = absl::StrSplit(t, absl::ByAnyChar(".\n"), absl::SkipWhitespace());
      return s;
    };
    std::vector<std::string> a = sentences(o.text), b = sentences(c.text);
    for (std::string& s : a) s = absl::StrJoin(Words(s), " ");
    for (std::string& s : b) s = absl::StrJoin(Words(s), " ");
    EXPECT_TRUE(IsSubsequence(b, a));
    // round(10-30% of the sentences), at least one.
    const size_t dropped = a.size() - b.size();
    EXPECT_GE(dropped, std::max<size_t>(1, a.size() / 10));
    EXPECT_LE(dropped, (3 * a.size() + 9) / 10);
  });
}

TEST(CorpusGenTest, WireStyleLowercasesAndStripsPunctuation) {
  ForCopies(CopyKind::kWireStyle, [](const GeneratedDoc& o, const CopyResult& c) {
    for (char ch : c.text + c.title) {
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(ch)) ||
                  std::isdigit(static_cast<unsigned char>(ch)) || ch == ' ')
          << "byte " << static_cast<int>(ch);
    }
    EXPECT_NE(c.text.find("  "), std::string::npos);  // ", " -> double space.
    std::string folded;
    for (char ch : o.text) {
      folded += std::isalnum(static_cast<unsigned char>(ch))
                    ? static_cast<char>(std::tolower(static_cast<unsigned char>(ch)))
                    : ' ';
    }
    EXPECT_EQ(Words(c.text), Words(folded));
  });
}

TEST(CorpusGenTest, HtmlWrappedEmbedsEveryParagraphInAPage) {
  ForCopies(CopyKind::kHtmlWrapped, [](const GeneratedDoc& o, const CopyResult& c) {
    EXPECT_EQ(c.text.rfind("<!DOCTYPE html>", 0), 0u);
    for (const char* part : {"<html", "<head>", "<script>", "<nav", "class=\"share\"",
                             "width=\"1\" height=\"1\"", "</html>"}) {
      EXPECT_NE(c.text.find(part), std::string::npos) << part;
    }
    for (absl::string_view p : absl::StrSplit(o.text, "\n\n")) {
      EXPECT_NE(c.text.find(absl::StrCat("<p>", p, "</p>")), std::string::npos);
    }
  });
}

// The rate parameters: a fixed rate edits round(rate * words) words (adjacent
// edits may merge) and confuses round(rate * alnum) characters.
TEST(CorpusGenTest, RatesParameteriseEditAndOcrKinds) {
  CorpusGenerator gen = MakeGen(10, 0.0, 11);
  for (double rate : {0.0, 0.1, 0.2}) {
    CopyRates rates;
    rates.heavy_edit = rate;
    rates.ocr_min = rates.ocr_max = rate / 2;
    for (uint64_t i = 0; i < 10; ++i) {
      const GeneratedDoc o = gen.Generate(i);
      SCOPED_TRACE(absl::StrCat(rate, " ", o.id));
      const std::vector<std::string> a = Words(o.text);
      const CopyResult e = MakeCopy(CopyKind::kHeavyEdits, o.title, o.text, 7 + i, rates);
      const double edited = static_cast<double>(WordEditDistance(a, Words(e.text))) / a.size();
      EXPECT_LE(edited, rate + 0.005);
      EXPECT_GE(edited, rate * 0.85);
      const CopyResult n = MakeCopy(CopyKind::kOcrNoise, o.title, o.text, 7 + i, rates);
      ASSERT_EQ(n.text.size(), o.text.size());
      size_t alnum = 0, changed = 0;
      for (size_t k = 0; k < o.text.size(); ++k) {
        alnum += std::isalnum(static_cast<unsigned char>(o.text[k])) != 0;
        changed += o.text[k] != n.text[k];
      }
      EXPECT_NEAR(static_cast<double>(changed) / alnum, rate / 2, 0.002);
    }
  }
}

TEST(CorpusGenTest, EditsFooterEditsTheTextAndAddsBoilerplate) {
  ForCopies(CopyKind::kEditsFooter, [](const GeneratedDoc& o, const CopyResult& c) {
    EXPECT_EQ(c.text.find(o.text), std::string::npos);
    EXPECT_NE(c.text.find(c.source), std::string::npos);  // The masthead.
    EXPECT_GT(Words(c.text).size(), Words(o.text).size());
  });
}

// Real originals are the bases themselves, each used once, among those of
// min_words..max_words words; more originals than bases is refused.
TEST(CorpusGenTest, RealOriginalsAreDistinctUnchangedBases) {
  std::vector<BaseArticle> bases = SyntheticBases(60);
  CorpusOptions o;
  o.num_docs = 45;
  o.copy_share = 0.2;
  o.seed = 5;
  o.real_originals = true;
  o.min_words = 1;
  o.max_words = 100000;
  auto gen = CorpusGenerator::Create(bases, o);
  ASSERT_TRUE(gen.ok()) << gen.status();
  std::map<std::string, int> texts;
  for (const BaseArticle& b : bases) texts[absl::StrJoin(b.paragraphs, "\n\n")] = 0;
  for (uint64_t i = 0; i < gen->num_docs(); ++i) {
    if (gen->is_copy(i)) continue;
    const GeneratedDoc d = gen->Generate(i);
    ASSERT_TRUE(texts.contains(d.text)) << d.id;
    EXPECT_EQ(++texts[d.text], 1) << d.id << " reuses a base";
  }
  o.num_docs = 100;  // 80 originals from 60 bases.
  EXPECT_EQ(CorpusGenerator::Create(bases, o).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CorpusGenTest, OcrNoiseSubstitutesOneToThreePercentOfCharacters) {
  ForCopies(CopyKind::kOcrNoise, [](const GeneratedDoc& o, const CopyResult& c) {
    ASSERT_EQ(c.text.size(), o.text.size());
    size_t alnum = 0, changed = 0;
    for (size_t i = 0; i < o.text.size(); ++i) {
      const bool an = std::isalnum(static_cast<unsigned char>(o.text[i]));
      alnum += an;
      if (o.text[i] != c.text[i]) {
        EXPECT_TRUE(an) << "changed a non-alphanumeric byte at " << i;
        ++changed;
      }
    }
    const double rate = static_cast<double>(changed) / alnum;
    EXPECT_GE(rate, 0.0095);
    EXPECT_LE(rate, 0.0305);
  });
}

// Largest exact word-5-shingle Jaccard over all pairs of `texts`, through an
// inverted index (only pairs sharing a shingle are scored).
double MaxPairJaccard(const std::vector<std::string>& texts) {
  absl::flat_hash_map<std::string, std::vector<uint32_t>> postings;
  std::vector<size_t> sizes;
  for (uint32_t d = 0; d < texts.size(); ++d) {
    std::vector<std::string> w;
    for (auto& t : Words(texts[d])) {
      std::string f;
      for (char ch : t) {
        if (std::isalnum(static_cast<unsigned char>(ch)) || ch < 0) {
          f += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        } else if (!f.empty()) {
          w.push_back(f);
          f.clear();
        }
      }
      if (!f.empty()) w.push_back(f);
    }
    std::vector<std::string> sh;
    for (size_t i = 0; i + 5 <= w.size(); ++i) {
      sh.push_back(absl::StrJoin(w.begin() + i, w.begin() + i + 5, " "));
    }
    std::sort(sh.begin(), sh.end());
    sh.erase(std::unique(sh.begin(), sh.end()), sh.end());
    sizes.push_back(sh.size());
    for (auto& s : sh) postings[s].push_back(d);
  }
  absl::flat_hash_map<uint64_t, size_t> common;
  for (const auto& [s, docs] : postings) {
    for (size_t i = 0; i < docs.size(); ++i) {
      for (size_t j = i + 1; j < docs.size(); ++j) {
        ++common[(uint64_t{docs[i]} << 32) | docs[j]];
      }
    }
  }
  double best = 0;
  for (const auto& [key, c] : common) {
    const size_t a = sizes[key >> 32], b = sizes[key & 0xffffffff];
    best = std::max(best, static_cast<double>(c) / static_cast<double>(a + b - c));
  }
  return best;
}

TEST(CorpusGenTest, OriginalsFromFewBasesAreNotNearDuplicates) {
  CorpusGenerator gen = MakeGen(300, 0.0, 5, SyntheticBases(40));
  std::vector<std::string> texts;
  for (uint64_t i = 0; i < 300; ++i) texts.push_back(gen.Generate(i).text);
  EXPECT_LT(MaxPairJaccard(texts), 0.5);
}

TEST(CorpusGenTest, ReutersOriginalsAreNotNearDuplicates) {
  const std::string path =
      std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  auto bases = ReadBaseArticles(path);
  ASSERT_TRUE(bases.ok()) << bases.status();
  CorpusOptions o;
  o.num_docs = 600;
  o.copy_share = 0.0;
  auto gen = CorpusGenerator::Create(*std::move(bases), o);
  ASSERT_TRUE(gen.ok()) << gen.status();
  std::vector<std::string> texts;
  for (uint64_t i = 0; i < o.num_docs; ++i) texts.push_back(gen->Generate(i).text);
  EXPECT_LT(MaxPairJaccard(texts), 0.5);
  // And the copies a generator makes of them are found as such.
  EXPECT_GT(WordShingleJaccard(texts[0], MakeCopy(CopyKind::kHeaderFooter, "", texts[0], 1).text),
            0.5);
}

TEST(CorpusGenTest, CreateRejectsBadOptions) {
  CorpusOptions o;
  o.copy_share = 1.0;
  EXPECT_FALSE(CorpusGenerator::Create(SyntheticBases(2), o).ok());
  o.copy_share = 0.3;
  o.kinds.clear();
  EXPECT_FALSE(CorpusGenerator::Create(SyntheticBases(2), o).ok());
  EXPECT_FALSE(CorpusGenerator::Create({}, CorpusOptions{}).ok());
}

}  // namespace
}  // namespace storysift::corpusgen
