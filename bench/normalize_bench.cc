// Throughput of Normalizer::Normalize on real news text: plain (Reuters
// bodies, the seeds) and HTML (the same bodies wrapped in page markup).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "storysift/normalize.h"
#include "text/tokenizer.h"

namespace storysift {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The "text" field of a Python-written JSON line (escapes \n \" \\ \uXXXX).
std::string TextField(const std::string& line) {
  std::string out;
  size_t i = line.find("\"text\": \"");
  if (i == std::string::npos) return out;
  for (i += 9; i < line.size() && line[i] != '"'; ++i) {
    if (line[i] != '\\') {
      out.push_back(line[i]);
      continue;
    }
    const char e = line[++i];
    if (e == 'n') {
      out.push_back('\n');
    } else if (e == 'u') {
      const unsigned cp = std::stoul(line.substr(i + 1, 4), nullptr, 16);
      i += 4;
      if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
    } else {
      out.push_back(e == 't' ? '\t' : e);
    }
  }
  return out;
}

// About 3 KB news documents: Reuters bodies concatenated to that size, plus
// the seeds. Empty when the shared data is absent.
const std::vector<std::string>& PlainDocs() {
  static const std::vector<std::string>* const docs = [] {
    auto* d = new std::vector<std::string>();
    const std::string dir = STORYSIFT_SHARED_DATA_DIR;
    for (const char* seed :
         {"/seeds/000_8648b8e4cc17f650.txt", "/seeds/002_7b26a201a710dbff.txt"}) {
      std::string text = ReadFile(dir + seed);
      if (!text.empty()) d->push_back(std::move(text));
    }
    std::ifstream in(dir + "/reuters21578/reuters.jsonl");
    std::string line, doc;
    while (d->size() < 500 && std::getline(in, line)) {
      doc += TextField(line);
      doc += "\n\n";
      if (doc.size() >= 3000) d->push_back(std::move(doc)), doc.clear();
    }
    return d;
  }();
  return *docs;
}

const std::vector<std::string>& HtmlDocs() {
  static const std::vector<std::string>* const docs = [] {
    auto* d = new std::vector<std::string>();
    for (const std::string& plain : PlainDocs()) {
      std::string html =
          "<html><head><title>News</title><script>var x = 1;</script></head>"
          "<body><nav><a href=/>Home</a> <a href=/w>World</a></nav><article>";
      size_t s = 0;
      while (s < plain.size()) {
        size_t e = plain.find("\n\n", s);
        if (e == std::string::npos) e = plain.size();
        html += "<p>" + plain.substr(s, e - s) + "</p>\n";
        s = e + 2;
      }
      html += "</article><footer>&copy; 2017 News &amp; Co</footer></body></html>";
      d->push_back(std::move(html));
    }
    return d;
  }();
  return *docs;
}

// The same bodies as scraped pages: a head with script and style, a nav of
// links, entity-escaped tickers and quotes, paragraphs, a footer (the shape
// of the generated corpora's HTML copies).
const std::vector<std::string>& PageDocs() {
  static const std::vector<std::string>* const docs = [] {
    auto* d = new std::vector<std::string>();
    for (const std::string& plain : PlainDocs()) {
      std::string html =
          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<title>News - example</title>\n<script>window.dataLayer=[];function "
          "gtag(){dataLayer.push(arguments);}</script>\n<style>body{font-family:"
          "sans-serif}</style>\n</head>\n<body>\n<nav class=\"menu\"><ul><li><a "
          "href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li></ul></nav>\n"
          "<article>\n";
      size_t s = 0;
      while (s < plain.size()) {
        size_t e = plain.find("\n\n", s);
        if (e == std::string::npos) e = plain.size();
        html += "<p>";
        for (size_t i = s; i < e; ++i) {
          const char c = plain[i];
          html += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;"
                : c == '&' ? "&amp;" : std::string(1, c);
        }
        html += "</p>\n";
        s = e + 2;
      }
      html += "</article>\n<footer><p>&copy; 2017 News &amp; Co</p></footer>\n</body></html>";
      d->push_back(std::move(html));
    }
    return d;
  }();
  return *docs;
}

void RunNormalize(benchmark::State& state, const std::vector<std::string>& docs,
                  MarkupMode mode) {
  if (docs.empty()) {
    state.SkipWithError("shared data (seeds, Reuters) absent");
    return;
  }
  NormalizeOptions options;
  options.markup = mode;
  options.stem = state.range(0) == 1;
  options.terms = state.range(0) < 2;
  if (state.range(0) == 3) options.token_hash = TokenHashKind::kLookalike;
  const Normalizer n = *Normalizer::Create(options);
  NormalizedText out;
  size_t i = 0, bytes = 0, tokens = 0;
  for (auto _ : state) {
    const std::string& doc = docs[i++ % docs.size()];
    n.Normalize(doc, &out);
    benchmark::DoNotOptimize(out.tokens.data());
    bytes += doc.size();
    tokens += out.tokens.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(tokens));
}

void BM_NormalizePlain(benchmark::State& state) {
  RunNormalize(state, PlainDocs(), MarkupMode::kAuto);
}
void BM_NormalizeHtml(benchmark::State& state) {
  RunNormalize(state, HtmlDocs(), MarkupMode::kAuto);
}
// Arg: 0 = terms (cluster), 1 = stemmed terms, 2 = no terms, 3 = no terms
// and look-alike token hashes (dedup).
BENCHMARK(BM_NormalizePlain)->Arg(0)->Arg(1)->Arg(2)->Arg(3);
void BM_NormalizeHtmlPage(benchmark::State& state) {
  RunNormalize(state, PageDocs(), MarkupMode::kAuto);
}
BENCHMARK(BM_NormalizeHtml)->Arg(0)->Arg(1)->Arg(2)->Arg(3);
BENCHMARK(BM_NormalizeHtmlPage)->Arg(0)->Arg(3);

// The tokenizer alone on the plain documents as cleaned: dedup's scan
// (TermMode::kNone, look-alike token hashes) or cluster's (terms, unstemmed
// as by default; folded hashes). Args: the build, 0 = the x86-64 baseline
// build of the block scan (TokenizePortable), 1 = Tokenize (the AVX-512
// build where the CPU has it, else dedup's AVX2 + BMI2 build or cluster's
// baseline one), 2 = TokenizeAvx2Bmi2 (for cluster's scan the baseline
// build: an AVX2 one gained nothing, docs/performance.md session 19); then
// the scan, 0 = dedup's, 1 = cluster's.
void BM_Tokenize(benchmark::State& state) {
  if (PlainDocs().empty()) {
    state.SkipWithError("shared data (seeds, Reuters) absent");
    return;
  }
  std::vector<std::string> clean = PlainDocs();
  for (std::string& doc : clean) {
    for (char& c : doc) c = c == '\r' ? '\n' : c;  // As cleaning leaves it.
  }
  const int64_t build = state.range(0);
  const bool terms = state.range(1) == 1;
  const internal::TermMode mode = terms ? internal::TermMode::kFolded : internal::TermMode::kNone;
  NormalizedText text;
  std::vector<internal::LineStats> lines;
  size_t i = 0, bytes = 0, tokens = 0;
  for (auto _ : state) {
    text.Clear();
    text.clean = clean[i++ % clean.size()];
    text.token_hash = terms ? TokenHashKind::kFolded : TokenHashKind::kLookalike;
    lines.clear();
    if (build == 0) {
      internal::TokenizePortable(mode, &text, &lines);
    } else if (build == 2) {
      internal::TokenizeAvx2Bmi2(mode, &text, &lines);
    } else {
      internal::Tokenize(mode, &text, &lines);
    }
    benchmark::DoNotOptimize(text.tokens.data());
    bytes += text.clean.size();
    tokens += text.tokens.size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(tokens));
}
BENCHMARK(BM_Tokenize)->ArgsProduct({{0, 1, 2}, {0, 1}});

}  // namespace
}  // namespace storysift
