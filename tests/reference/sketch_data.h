// Generated and shared-corpus inputs for the sketch/index tests (tests only).
#ifndef STORYSIFT_TESTS_REFERENCE_SKETCH_DATA_H_
#define STORYSIFT_TESTS_REFERENCE_SKETCH_DATA_H_

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "simdjson.h"
#include "storysift/normalize.h"

namespace storysift::testdata {

// Two sorted sets of random 64-bit values whose exact Jaccard is
// round(j * union_size) / union_size (the shared part rounded, the rest split
// evenly).
inline std::pair<std::vector<uint64_t>, std::vector<uint64_t>> SetPairWithJaccard(
    double j, int union_size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  int common = static_cast<int>(j * union_size + 0.5);
  int each = (union_size - common) / 2;
  std::vector<uint64_t> a, b;
  for (int i = 0; i < common; ++i) {
    uint64_t x = rng();
    a.push_back(x);
    b.push_back(x);
  }
  for (int i = 0; i < each; ++i) a.push_back(rng());
  for (int i = 0; i < each; ++i) b.push_back(rng());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return {a, b};
}

struct Corpus {
  std::vector<std::string> ids;
  std::vector<std::string> texts;
  std::vector<std::string> dates;
  absl::flat_hash_map<std::string, uint32_t> ordinal_of;
};

inline std::string SharedDataPath(const std::string& rel) {
  return std::string(STORYSIFT_SHARED_DATA_DIR) + "/" + rel;
}

// Reads id/text/date of a JSONL corpus; empty Corpus when the file is absent.
inline const Corpus& Reuters() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    std::ifstream in(SharedDataPath("reuters21578/reuters.jsonl"));
    if (!in) return c;
    simdjson::ondemand::parser parser;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      simdjson::padded_string padded(line);
      simdjson::ondemand::document doc = parser.iterate(padded);
      std::string_view id, text, date;
      if (doc["id"].get_string().get(id)) continue;
      if (doc["date"].get_string().get(date)) date = "";
      if (doc["text"].get_string().get(text)) text = "";
      c->ordinal_of[std::string(id)] = c->ids.size();
      c->ids.emplace_back(id);
      c->texts.emplace_back(text);
      c->dates.emplace_back(date);
    }
    return c;
  }();
  return *corpus;
}

struct GoldPair {
  uint32_t a, b;  // Ordinals in Reuters(), a < b.
  double jaccard;
};

inline std::vector<GoldPair> ReutersGoldPairs() {
  const Corpus& c = Reuters();
  std::vector<GoldPair> out;
  std::ifstream in(SharedDataPath("reuters21578/reuters.neardup_pairs.tsv"));
  std::string line;
  std::getline(in, line);  // Header.
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string a, b;
    double j;
    if (!(fields >> a >> b >> j)) continue;
    auto ia = c.ordinal_of.find(a), ib = c.ordinal_of.find(b);
    if (ia == c.ordinal_of.end() || ib == c.ordinal_of.end()) continue;
    out.push_back({std::min(ia->second, ib->second), std::max(ia->second, ib->second), j});
  }
  return out;
}

inline std::vector<uint64_t> TokenHashes(const std::string& text) {
  static const Normalizer normalizer = *Normalizer::Create(NormalizeOptions{});
  NormalizedText nt;
  normalizer.Normalize(text, &nt);
  std::vector<uint64_t> out;
  for (const Token& t : nt.tokens) out.push_back(t.hash);
  return out;
}

}  // namespace storysift::testdata

#endif  // STORYSIFT_TESTS_REFERENCE_SKETCH_DATA_H_
