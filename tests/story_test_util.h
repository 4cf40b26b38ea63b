// Test helpers for story clustering and novelty: corpora and scoring.
#ifndef STORYSIFT_TESTS_STORY_TEST_UTIL_H_
#define STORYSIFT_TESTS_STORY_TEST_UTIL_H_

#include <cstdint>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "simdjson.h"
#include "storysift/normalize.h"
#include "storysift/story_clusterer.h"
#include "storysift/tfidf.h"

namespace storysift::testing {

inline NormalizedText Norm(std::string_view text) {
  static const Normalizer normalizer = *Normalizer::Create({});
  NormalizedText out;
  normalizer.Normalize(text, &out);
  return out;
}

// Documents of `groups` stories: each draws `own` words from its group's
// private vocabulary and `noise` words from a shared one. gold[i] = group.
struct GeneratedCorpus {
  std::vector<std::string> texts;
  std::vector<int> gold;
};
inline GeneratedCorpus Generate(int groups, int docs_per_group, int own, int noise,
                                uint32_t seed) {
  std::mt19937 rng(seed);  // Output is specified by the standard.
  GeneratedCorpus c;
  for (int d = 0; d < docs_per_group; ++d) {
    for (int g = 0; g < groups; ++g) {
      std::string text;
      for (int k = 0; k < own; ++k) absl::StrAppend(&text, "g", g, "w", rng() % 40, " ");
      for (int k = 0; k < noise; ++k) absl::StrAppend(&text, "noise", rng() % 300, " ");
      c.texts.push_back(std::move(text));
      c.gold.push_back(g);
    }
  }
  return c;
}

// Vectorizes texts with ordinals 0..n-1.
inline TfidfMatrix Vectorize(const std::vector<std::string>& texts) {
  TfidfVectorizer v = *TfidfVectorizer::Create({});
  for (size_t i = 0; i < texts.size(); ++i) {
    absl::Status s = v.Add(i, Norm(texts[i]));
    (void)s;
  }
  return *v.Build();
}

inline std::vector<StoryItem> ItemsOf(const TfidfMatrix& m) {
  std::vector<StoryItem> items;
  for (size_t r = 0; r < m.num_rows(); ++r) items.push_back({m.ordinal(r), m.row(r), {}});
  return items;
}

// Reads the string fields `fields` of every line of a JSONL file (missing
// fields read as ""). Empty result when the file is absent.
inline std::vector<std::map<std::string, std::string>> ReadJsonl(
    const std::string& path, const std::vector<std::string>& fields, size_t limit = SIZE_MAX) {
  std::vector<std::map<std::string, std::string>> rows;
  std::ifstream in(path);
  simdjson::ondemand::parser parser;
  std::string line;
  while (rows.size() < limit && std::getline(in, line)) {
    simdjson::padded_string padded(line);
    simdjson::ondemand::document doc = parser.iterate(padded);
    std::map<std::string, std::string> row;
    for (const std::string& f : fields) {
      std::string_view v;
      if (doc[f].get_string().get(v) == simdjson::SUCCESS) row[f] = std::string(v);
      doc.rewind();
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct PairScores {
  double precision = 0, recall = 0, f1 = 0;
};
// Pairwise precision/recall/F1 of stories against gold labels by ordinal.
template <typename Label>
PairScores PairwiseScores(const std::vector<Story>& stories, const std::vector<Label>& gold) {
  std::vector<int> pred(gold.size(), -1);
  for (size_t s = 0; s < stories.size(); ++s) {
    for (DocOrdinal o : stories[s].members) pred[o] = s;
  }
  double tp = 0, fp = 0, fn = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    for (size_t j = i + 1; j < gold.size(); ++j) {
      const bool same_pred = pred[i] == pred[j], same_gold = gold[i] == gold[j];
      tp += same_pred && same_gold;
      fp += same_pred && !same_gold;
      fn += !same_pred && same_gold;
    }
  }
  PairScores r;
  r.precision = tp + fp > 0 ? tp / (tp + fp) : 1;
  r.recall = tp + fn > 0 ? tp / (tp + fn) : 1;
  r.f1 = r.precision + r.recall > 0 ? 2 * r.precision * r.recall / (r.precision + r.recall) : 0;
  return r;
}

}  // namespace storysift::testing

#endif  // STORYSIFT_TESTS_STORY_TEST_UTIL_H_
