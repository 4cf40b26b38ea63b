// gen_corpus: writes a synthetic corpus with known near-duplicates and its
// gold files. See corpus_gen.h for what is generated.
#include <cstdio>
#include <string>

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
  CLI11_PARSE(app, argc, argv);

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
