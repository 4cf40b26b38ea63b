// gen_corpus: writes a synthetic corpus with known near-duplicates and its
// gold files. See corpus_gen.h for what is generated.
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "corpus_gen.h"

int main(int argc, char** argv) {
  namespace cg = storysift::corpusgen;
  CLI::App app{"Generate a synthetic news corpus with known near-duplicate copies"};
  std::string input, out, kinds = "all", label_field;
  cg::CorpusOptions options;
  app.add_option("--input", input, "base articles, JSON lines (id, title, text, date)")
      ->required();
  app.add_option("--out", out, "corpus path (JSON lines); gold files go beside it")
      ->required();
  app.add_option("--docs", options.num_docs, "number of documents to write");
  app.add_option("--copy-share", options.copy_share, "share of documents that are copies")
      ->check(CLI::Range(0.0, 0.999999));
  app.add_option("--seed", options.seed, "random seed");
  app.add_option("--kinds", kinds,
                 "comma-separated copy kinds, or all: exact, header_footer, word_edits, "
                 "truncated, dropped_sentences, wire_style, html_wrapped, ocr_noise");
  app.add_option("--min-words", options.min_words, "shortest original, in words");
  app.add_option("--max-words", options.max_words, "longest original, in words");
  app.add_option("--label-field", label_field,
                 "base field holding a story label (e.g. cluster for ECB+)");
  app.add_flag("--story-groups", options.story_groups,
               "splice each original only from bases with the same label; the label "
               "becomes its story (requires --label-field)");
  app.add_flag("--real-originals", options.real_originals,
               "originals are the base articles themselves, each used once (no splicing)");
  std::vector<std::string> exclude_pairs;
  app.add_option("--exclude-pairs", exclude_pairs,
                 "TSV files of near-duplicate base pairs (id_a id_b ...): bases named there "
                 "are dropped, so real originals are distinct (repeatable)");
  app.add_option("--edit-rate-min", options.rates.edit_min,
                 "word_edits / edits_footer: least share of words edited")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--edit-rate-max", options.rates.edit_max, "... most share of words edited")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--heavy-edit-rate", options.rates.heavy_edit,
                 "heavy_edits: share of words edited")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--ocr-rate-min", options.rates.ocr_min,
                 "ocr_noise: least share of ASCII letters/digits confused")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--ocr-rate-max", options.rates.ocr_max, "... most share confused")
      ->check(CLI::Range(0.0, 1.0));
  CLI11_PARSE(app, argc, argv);
  if (options.rates.edit_min > options.rates.edit_max ||
      options.rates.ocr_min > options.rates.ocr_max) {
    std::fprintf(stderr, "gen_corpus: a rate minimum exceeds its maximum\n");
    return 2;
  }

  auto parsed = cg::ParseCopyKinds(kinds);
  if (!parsed.ok()) {
    std::fprintf(stderr, "gen_corpus: %s\n", std::string(parsed.status().message()).c_str());
    return 2;
  }
  options.kinds = *parsed;
  if (options.story_groups && label_field.empty()) {
    std::fprintf(stderr, "gen_corpus: --story-groups needs --label-field\n");
    return 2;
  }
  auto bases = cg::ReadBaseArticles(input, label_field);
  if (!bases.ok()) {
    std::fprintf(stderr, "gen_corpus: %s\n", std::string(bases.status().message()).c_str());
    return 1;
  }
  std::set<std::string> named;
  for (const std::string& path : exclude_pairs) {
    std::ifstream in(path);
    if (!in) {
      std::fprintf(stderr, "gen_corpus: cannot read %s\n", path.c_str());
      return 1;
    }
    std::string line, a, b;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      if (fields >> a >> b) named.insert({a, b});
    }
  }
  if (!named.empty()) {
    std::erase_if(*bases, [&](const cg::BaseArticle& x) { return named.contains(x.id); });
  }
  const size_t num_bases = bases->size();
  auto gen = cg::CorpusGenerator::Create(*std::move(bases), options);
  if (!gen.ok()) {
    std::fprintf(stderr, "gen_corpus: %s\n", std::string(gen.status().message()).c_str());
    return 2;
  }
  if (absl::Status s = gen->WriteCorpus(out); !s.ok()) {
    std::fprintf(stderr, "gen_corpus: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::fprintf(stderr, "gen_corpus: %llu documents from %zu base articles -> %s, %s, %s\n",
               static_cast<unsigned long long>(gen->num_docs()), num_bases, out.c_str(),
               cg::GoldPath(out).c_str(), cg::PairsPath(out).c_str());
  return 0;
}
