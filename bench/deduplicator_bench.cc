// Streaming Deduplicator throughput on ~3 KB news documents (normalize +
// sketch + index): Add into a growing index, and Query against a full one.
// Texts are Reuters-21578 bodies joined to ~3 KB when the shared data is
// present (STORYSIFT_SHARED_DATA_DIR), else generated Zipf-like words; every
// 5th document is a lightly edited copy of an earlier one.
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "simdjson.h"
#include "storysift/bbit_minhash.h"
#include "storysift/deduplicator.h"

namespace storysift {
namespace {

struct BenchStream {
  std::vector<Document> docs;
  bool from_reuters = false;
};

const BenchStream& Stream() {
  static const BenchStream* stream = [] {
    auto* s = new BenchStream;
    std::vector<std::string> texts;
    std::ifstream in(std::string(STORYSIFT_SHARED_DATA_DIR) + "/reuters21578/reuters.jsonl");
    simdjson::ondemand::parser parser;
    std::string line, doc;
    while (in && texts.size() < 2000 && std::getline(in, line)) {
      simdjson::padded_string padded(line);
      simdjson::ondemand::document j = parser.iterate(padded);
      std::string_view text;
      if (j["text"].get_string().get(text)) continue;
      doc.append(text).push_back('\n');
      if (doc.size() >= 3000) texts.push_back(std::move(doc)), doc.clear();
    }
    s->from_reuters = !texts.empty();
    std::mt19937_64 rng(42);
    while (texts.size() < 2000) {
      std::string t;
      while (t.size() < 3000) {
        const int rank =
            static_cast<int>(std::exp(std::uniform_real_distribution<>(0, std::log(20000.0))(rng)));
        t += "w" + std::to_string(rank) + " ";
      }
      texts.push_back(std::move(t));
    }
    for (size_t i = 0; i < texts.size(); ++i) {
      Document d;
      d.id = "d" + std::to_string(i);
      d.text = texts[i];
      if (i % 5 == 4) {  // A copy: an earlier text with a word changed every ~50 bytes.
        d.text = texts[rng() % i];
        for (size_t p = 25; p < d.text.size(); p += 50) d.text[p] = 'x';
      }
      s->docs.push_back(std::move(d));
    }
    return s;
  }();
  return *stream;
}

void BM_DeduplicatorAdd(benchmark::State& state) {
  const BenchStream& s = Stream();
  const size_t n = std::min<size_t>(state.range(0), s.docs.size());
  size_t memory = 0, bytes = 0;
  for (const Document& d : s.docs) bytes += d.text.size();
  DeduplicatorOptions options;
  options.sketch.verify_bits = static_cast<int>(state.range(1));
  for (auto _ : state) {
    auto dedup = Deduplicator::Create(options);
    if (!dedup.ok()) {
      state.SkipWithError("Create failed");
      break;
    }
    for (size_t i = 0; i < n; ++i) {
      if (!(*dedup)->Add(s.docs[i]).ok()) state.SkipWithError("Add failed");
    }
    memory = (*dedup)->MemoryUsage();
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * bytes * n / s.docs.size());
  state.counters["bytes_per_doc"] = static_cast<double>(memory) / n;
  // The verification store: the b-bit row (b/8 bytes a slot); the 32-bit LSH
  // band keys kept for Remove/Save are counted in bytes_per_doc.
  state.counters["verify_bytes_per_doc"] =
      static_cast<double>(VerifyRowBytes(options.sketch.verify_bits, options.sketch.minhash.num_perm));
  state.SetLabel(s.from_reuters ? "reuters" : "generated");
}
// Args: documents, verify bits.
BENCHMARK(BM_DeduplicatorAdd)
    ->Args({2000, 32})
    ->Args({2000, 16})
    ->Args({2000, 8})
    ->Unit(benchmark::kMillisecond);

void BM_DeduplicatorQuery(benchmark::State& state) {
  const BenchStream& s = Stream();
  auto dedup = Deduplicator::Create(DeduplicatorOptions{});
  if (!dedup.ok()) {
    state.SkipWithError("Create failed");
    return;
  }
  for (const Document& d : s.docs) {
    if (!(*dedup)->Add(d).ok()) {
      state.SkipWithError("Add failed");
      return;
    }
  }
  size_t i = 0, duplicates = 0;
  for (auto _ : state) {
    absl::StatusOr<DedupVerdict> v = (*dedup)->Query(s.docs[i]);
    duplicates += v.ok() && !v->is_new;
    i = (i + 1) % s.docs.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["duplicate_share"] =
      static_cast<double>(duplicates) / std::max<int64_t>(1, state.iterations());
  state.SetLabel(s.from_reuters ? "reuters" : "generated");
}
BENCHMARK(BM_DeduplicatorQuery);

}  // namespace
}  // namespace storysift
