// News-like ~3 KB documents for the sketch benchmarks: consecutive
// Reuters-21578 bodies joined until each is >= 3,000 bytes, else generated
// text from a Zipf-like 20,000-word vocabulary. Token hashes are computed once
// here (normalization is not what these benchmarks measure), and the
// normalized texts kept for the benchmarks that start from them.
#ifndef STORYSIFT_BENCH_SKETCH_BENCH_DATA_H_
#define STORYSIFT_BENCH_SKETCH_BENCH_DATA_H_

#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "simdjson.h"
#include "storysift/normalize.h"

namespace storysift::bench {

struct BenchDocs {
  std::vector<std::vector<uint64_t>> tokens;
  std::vector<NormalizedText> texts;  // The normalized documents themselves.
  // The same, normalized as `storysift dedup` does: no terms, look-alike
  // token hashes (TokenHashKind::kLookalike).
  std::vector<NormalizedText> lookalike_texts;
  size_t total_bytes = 0;
  bool from_reuters = false;
};

inline const BenchDocs& NewsDocs() {
  static const BenchDocs* docs = [] {
    auto* d = new BenchDocs;
    const Normalizer norm = *Normalizer::Create(NormalizeOptions{});
    NormalizeOptions dedup_options;
    dedup_options.terms = false;
    dedup_options.token_hash = TokenHashKind::kLookalike;
    const Normalizer dedup_norm = *Normalizer::Create(dedup_options);
    NormalizedText nt;
    auto add = [&](const std::string& text) {
      dedup_norm.Normalize(text, &nt);
      d->lookalike_texts.push_back(nt);
      norm.Normalize(text, &nt);
      std::vector<uint64_t> t;
      for (const Token& tok : nt.tokens) t.push_back(tok.hash);
      d->tokens.push_back(std::move(t));
      d->texts.push_back(nt);
      d->total_bytes += text.size();
    };
    std::ifstream in(std::string(STORYSIFT_SHARED_DATA_DIR) +
                     "/reuters21578/reuters.jsonl");
    simdjson::ondemand::parser parser;
    std::string line, doc;
    while (in && d->tokens.size() < 500 && std::getline(in, line)) {
      simdjson::padded_string padded(line);
      simdjson::ondemand::document j = parser.iterate(padded);
      std::string_view text;
      if (j["text"].get_string().get(text)) continue;
      doc.append(text).push_back('\n');
      if (doc.size() >= 3000) {
        add(doc);
        doc.clear();
      }
    }
    d->from_reuters = !d->tokens.empty();
    if (!d->from_reuters) {
      std::mt19937_64 rng(42);
      std::string text;
      for (int i = 0; i < 500; ++i) {
        text.clear();
        while (text.size() < 3000) {
          // Zipf-like rank: exp of a uniform draw over log-ranks.
          const int rank = static_cast<int>(std::exp(std::uniform_real_distribution<>(
              0, std::log(20000.0))(rng)));
          text += "w" + std::to_string(rank) + " ";
        }
        add(text);
      }
    }
    return d;
  }();
  return *docs;
}

}  // namespace storysift::bench

#endif  // STORYSIFT_BENCH_SKETCH_BENCH_DATA_H_
