// The default near-duplicate settings on real news text, through the library
// with the real reader and normalizer: the three seeds (one story, three
// different articles) must not pair, copies of them must; ECB+ articles on
// the same event must not pair unless they are one wire story republished.
// Bounds come from docs/quality.md (bench/quality/run_quality.sh).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "corpus_gen.h"
#include "gtest/gtest.h"
#include "storysift/copy_grouper.h"
#include "pipeline/corpus.h"
#include "storysift/input_stream.h"
#include "storysift/normalize.h"
#include "temp_dir.h"

namespace storysift {
namespace {

namespace fs = std::filesystem;

struct Result {
  Corpus corpus;
  CopyGroups groups;
};

// Loads `paths` with default reader, normalizer, sketch and grouper options.
Result DedupAtDefaults(const std::vector<std::string>& paths) {
  auto normalizer = Normalizer::Create(NormalizeOptions{});
  EXPECT_TRUE(normalizer.ok()) << normalizer.status();
  auto input = InputStream::Open(paths, ReaderOptions{});
  EXPECT_TRUE(input.ok()) << input.status();
  auto corpus = LoadCorpus(*input, *normalizer, CorpusOptions{}, RunContext());
  EXPECT_TRUE(corpus.ok()) << corpus.status();
  auto groups = GroupCopies(corpus->sketch_table(), corpus->meta, CopyGrouperOptions{});
  EXPECT_TRUE(groups.ok()) << groups.status();
  return {*std::move(corpus), *std::move(groups)};
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces every 20th whitespace-separated word of 4+ letters (5% of the
// eligible words) with a made-up one.
std::string EditFivePercent(const std::string& text) {
  std::string out;
  size_t word = 0, i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    const std::string w = text.substr(i, j - i);
    const bool alpha = w.size() >= 4 && std::all_of(w.begin(), w.end(), [](char c) {
                         return std::isalpha(static_cast<unsigned char>(c));
                       });
    out += (alpha && ++word % 20 == 0) ? "zorblax" : w;
    i = j;
  }
  return out;
}

TEST(QualityDefaultsTest, SeedsAreNotCopiesButTheirCopiesAre) {
  const fs::path seeds = fs::path(STORYSIFT_DATA_DIR) / "seeds";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(seeds)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 3u);
  const testing_util::TempDir tmp;
  const fs::path dir = tmp.path();
  for (const fs::path& f : files) fs::copy_file(f, dir / f.filename());
  std::ofstream(dir / "zz_exact_copy.txt", std::ios::binary) << ReadFile(files[0]);
  std::ofstream(dir / "zz_edited_copy.txt", std::ios::binary)
      << EditFivePercent(ReadFile(files[1]));

  Result r = DedupAtDefaults({dir.string()});
  ASSERT_EQ(r.corpus.num_docs(), 5u);
  auto ordinal_of = [&](const std::string& needle) {
    for (size_t d = 0; d < r.corpus.num_docs(); ++d) {
      if (r.corpus.ids[d].find(needle) != std::string::npos) return static_cast<int>(d);
    }
    ADD_FAILURE() << "no document " << needle;
    return -1;
  };
  const int s0 = ordinal_of(files[0].stem().string());
  const int s1 = ordinal_of(files[1].stem().string());
  const int exact = ordinal_of("zz_exact_copy");
  const int edited = ordinal_of("zz_edited_copy");
  absl::flat_hash_set<std::pair<int, int>> pairs;
  for (const VerifiedPair& p : r.groups.pairs) pairs.insert({p.a, p.b});
  EXPECT_TRUE(pairs.contains({std::min(s0, exact), std::max(s0, exact)}));
  EXPECT_TRUE(pairs.contains({std::min(s1, edited), std::max(s1, edited)}));
  EXPECT_EQ(r.groups.pairs.size(), 2u) << "the seeds must not pair with each other";
  EXPECT_EQ(r.groups.num_groups, 3u);
  fs::remove_all(dir);
}

// Exact word-5-shingle containment |A n B| / min(|A|, |B|) of two texts,
// tokenized like the shared pair files.
double Containment5(const std::string& a, const std::string& b) {
  auto shingles = [](const std::string& t) {
    std::vector<std::string> w;
    std::string cur;
    for (char c : t + " ") {
      const unsigned char u = c;
      if (std::isalnum(u) || u >= 0x80 || c == '_') {
        cur += static_cast<char>(std::tolower(u));
      } else if (!cur.empty()) {
        w.push_back(std::move(cur));
        cur.clear();
      }
    }
    absl::flat_hash_set<std::string> s;
    for (size_t i = 0; i + 5 <= w.size(); ++i) {
      s.insert(w[i] + " " + w[i + 1] + " " + w[i + 2] + " " + w[i + 3] + " " + w[i + 4]);
    }
    return s;
  };
  const auto sa = shingles(a), sb = shingles(b);
  size_t inter = 0;
  for (const std::string& x : sa) inter += sb.contains(x);
  const size_t small = std::min(sa.size(), sb.size());
  return small == 0 ? 0.0 : static_cast<double>(inter) / small;
}

TEST(QualityDefaultsTest, EcbPlusSameEventArticlesPairOnlyWhenRepublished) {
  const std::string path = std::string(STORYSIFT_DATA_DIR) + "/ecbplus/ecbplus_topics_1-25.jsonl";
  auto bases = corpusgen::ReadBaseArticles(path, "cluster");
  ASSERT_TRUE(bases.ok()) << bases.status();
  Result r = DedupAtDefaults({path});
  ASSERT_EQ(r.corpus.num_docs(), bases->size());
  absl::flat_hash_map<std::string, const corpusgen::BaseArticle*> by_id;
  for (const corpusgen::BaseArticle& b : *bases) by_id[b.id] = &b;
  int low_overlap = 0;
  for (const VerifiedPair& p : r.groups.pairs) {
    const corpusgen::BaseArticle* a = by_id.at(r.corpus.ids[p.a]);
    const corpusgen::BaseArticle* b = by_id.at(r.corpus.ids[p.b]);
    std::string ta, tb;
    for (const std::string& para : a->paragraphs) ta += para + "\n";
    for (const std::string& para : b->paragraphs) tb += para + "\n";
    // Every pair found at defaults (docs/quality.md: 18) shares at least 58%
    // of the shorter article's word 5-shingles: one wire story republished.
    if (Containment5(ta, tb) < 0.5) ++low_overlap;
  }
  EXPECT_EQ(low_overlap, 0);
  EXPECT_LE(r.groups.pairs.size(), 25u);  // 535 articles, 3,141 same-event pairs.
}

}  // namespace
}  // namespace storysift
