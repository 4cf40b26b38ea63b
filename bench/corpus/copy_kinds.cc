// The copy transformations. Texts are paragraphs joined by "\n\n" with single
// spaces between words (how originals are generated); every transform keeps
// valid UTF-8 because it only cuts at spaces and only alters ASCII bytes.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "corpus_gen.h"
#include "rng.h"

namespace storysift::corpusgen {
namespace {

using internal::Rng;
using internal::UniformInt;
using internal::UniformReal;

using Words = std::vector<std::string>;

std::vector<Words> ToParagraphWords(std::string_view text) {
  std::vector<Words> out;
  for (absl::string_view p : absl::StrSplit(absl::string_view(text.data(), text.size()),
                                            "\n\n", absl::SkipEmpty())) {
    out.push_back(absl::StrSplit(p, ' ', absl::SkipEmpty()));
  }
  return out;
}

std::string FromParagraphWords(const std::vector<Words>& paras) {
  std::vector<std::string> joined;
  for (const Words& w : paras) {
    if (!w.empty()) joined.push_back(absl::StrJoin(w, " "));
  }
  return absl::StrJoin(joined, "\n\n");
}

// k distinct values of [0, n), ascending (partial Fisher-Yates).
std::vector<size_t> Choose(Rng& rng, size_t n, size_t k) {
  std::vector<size_t> idx(n);
  for (size_t i = 0; i < n; ++i) idx[i] = i;
  k = std::min(k, n);
  for (size_t i = 0; i < k; ++i) std::swap(idx[i], idx[i + UniformInt(rng, n - i)]);
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  return idx;
}

constexpr const char* kFillers[] = {
    "the", "also", "new", "said", "very", "market", "report", "week", "major",
    "public", "early", "recent", "further", "local", "official", "likely",
    "however", "group", "plan", "still", "would", "today", "strong", "about"};
constexpr const char* kSites[] = {
    "dailyherald.example", "newsnow.example", "metrotimes.example",
    "globalwire.example",  "theledger.example", "citypost.example",
    "morningstar.example", "valleynews.example"};

std::string Pick(Rng& rng, const auto& list) {
  return list[UniformInt(rng, std::size(list))];
}

// Edits round(rate * words) words (at least one), each substituted by a
// filler, preceded by an inserted filler, or deleted, with equal odds.
std::string WordEdits(std::string_view text, double rate, Rng& rng) {
  std::vector<Words> paras = ToParagraphWords(text);
  std::vector<std::pair<size_t, size_t>> pos;  // (paragraph, word)
  for (size_t p = 0; p < paras.size(); ++p) {
    for (size_t w = 0; w < paras[p].size(); ++w) pos.emplace_back(p, w);
  }
  if (pos.empty() || rate <= 0) return std::string(text);
  const size_t edits = std::max<size_t>(1, std::llround(rate * pos.size()));
  std::vector<std::vector<int>> op(paras.size());
  for (size_t p = 0; p < paras.size(); ++p) op[p].assign(paras[p].size(), -1);
  for (size_t i : Choose(rng, pos.size(), edits)) {
    op[pos[i].first][pos[i].second] = static_cast<int>(UniformInt(rng, 3));
  }
  std::vector<Words> out(paras.size());
  for (size_t p = 0; p < paras.size(); ++p) {
    for (size_t w = 0; w < paras[p].size(); ++w) {
      std::string filler = Pick(rng, kFillers);
      if (filler == paras[p][w]) filler = "indeed";
      switch (op[p][w]) {
        case 0: out[p].push_back(filler); break;  // Substitute.
        case 1:                                    // Insert before.
          out[p].push_back(filler);
          out[p].push_back(paras[p][w]);
          break;
        case 2: break;  // Delete.
        default: out[p].push_back(paras[p][w]);
      }
    }
  }
  return FromParagraphWords(out);
}

std::string Truncate(std::string_view text, Rng& rng) {
  std::vector<Words> paras = ToParagraphWords(text);
  size_t total = 0;
  for (const Words& w : paras) total += w.size();
  size_t keep = std::max<size_t>(1, std::llround(UniformReal(rng, 0.40, 0.70) * total));
  for (Words& w : paras) {
    const size_t k = std::min(keep, w.size());
    w.resize(k);
    keep -= k;
  }
  return FromParagraphWords(paras);
}

bool EndsSentence(const std::string& w) {
  size_t n = w.size();
  while (n > 0 && (w[n - 1] == '"' || w[n - 1] == '\'' || w[n - 1] == ')')) --n;
  return n > 0 && (w[n - 1] == '.' || w[n - 1] == '!' || w[n - 1] == '?');
}
bool StartsSentence(const std::string& w) {
  const unsigned char c = w.empty() ? 0 : w[0];
  return std::isupper(c) || std::isdigit(c) || c == '"';
}

}  // namespace

std::vector<std::string> SplitSentences(std::string_view paragraph) {
  Words words = absl::StrSplit(absl::string_view(paragraph.data(), paragraph.size()),
                               absl::ByAnyChar(" \n"), absl::SkipEmpty());
  std::vector<std::string> out;
  std::string cur;
  for (size_t w = 0; w < words.size(); ++w) {
    if (!cur.empty()) cur += ' ';
    cur += words[w];
    if (w + 1 == words.size() ||
        (EndsSentence(words[w]) && StartsSentence(words[w + 1]))) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  return out;
}

namespace {

std::string DropSentences(std::string_view text, Rng& rng) {
  // Sentences as (paragraph, words); a boundary is a word ending in . ! ?
  // followed by one starting with a capital, digit or quote.
  std::vector<std::pair<size_t, Words>> sentences;
  std::vector<Words> paras = ToParagraphWords(text);
  for (size_t p = 0; p < paras.size(); ++p) {
    Words cur;
    for (size_t w = 0; w < paras[p].size(); ++w) {
      cur.push_back(paras[p][w]);
      if (w + 1 == paras[p].size() ||
          (EndsSentence(paras[p][w]) && StartsSentence(paras[p][w + 1]))) {
        sentences.emplace_back(p, std::move(cur));
        cur.clear();
      }
    }
  }
  if (sentences.size() < 2) return std::string(text);
  const size_t drop = std::clamp<size_t>(
      std::llround(UniformReal(rng, 0.10, 0.30) * sentences.size()), 1,
      sentences.size() - 1);
  std::vector<bool> dropped(sentences.size(), false);
  for (size_t i : Choose(rng, sentences.size(), drop)) dropped[i] = true;
  std::vector<Words> out(paras.size());
  for (size_t i = 0; i < sentences.size(); ++i) {
    if (dropped[i]) continue;
    Words& dst = out[sentences[i].first];
    dst.insert(dst.end(), sentences[i].second.begin(), sentences[i].second.end());
  }
  return FromParagraphWords(out);
}

// Wire feeds as in the shared seeds: lowercase, every ASCII non-alphanumeric
// byte (punctuation, newline) becomes a space, so "U.S. (Reuters) -" reads
// "u s   reuters   ".
std::string WireStyle(std::string_view text) {
  std::string out(text);
  for (char& ch : out) {
    const unsigned char c = ch;
    if (c >= 0x80) continue;
    ch = std::isalnum(c) ? static_cast<char>(std::tolower(c)) : ' ';
  }
  return out;
}

char OcrConfusion(char c, Rng& rng) {
  switch (c) {
    case 'l': return '1';
    case '1': return 'l';
    case 'O': case 'o': return '0';
    case '0': return 'O';
    case 'e': return 'c';
    case 'c': return 'e';
    case 'm': return 'n';
    case 'n': return 'm';
    case 'i': return 'l';
    case 'S': return '5';
    case '5': return 'S';
    case 'B': return '8';
    case '8': return 'B';
    case 'u': return 'v';
    case 'v': return 'u';
    case 'h': return 'b';
    default: {
      char r = static_cast<char>('a' + UniformInt(rng, 26));
      return r == c ? (c == 'x' ? 'y' : 'x') : r;
    }
  }
}

std::string OcrNoise(std::string_view text, double rate, Rng& rng) {
  std::string out(text);
  std::vector<size_t> eligible;
  for (size_t i = 0; i < out.size(); ++i) {
    const unsigned char c = out[i];
    if (c < 0x80 && std::isalnum(c)) eligible.push_back(i);
  }
  if (eligible.empty() || rate <= 0) return out;
  const size_t n = std::max<size_t>(1, std::llround(rate * eligible.size()));
  for (size_t k : Choose(rng, eligible.size(), n)) {
    out[eligible[k]] = OcrConfusion(out[eligible[k]], rng);
  }
  return out;
}

std::string HeaderFooter(std::string_view text, const std::string& site, Rng& rng) {
  const std::string header[] = {
      absl::StrCat(site, " | Home | World | Business | Sport | Opinion"),
      "Skip to main content", "Subscribe | Sign in | Newsletters",
      "By Staff Reporter | Updated 2 hours ago"};
  const std::string footer[] = {
      "Advertisement", "Share this article: Facebook Twitter Email",
      absl::StrCat("Copyright ", site, ". All rights reserved."),
      "Sign up for our daily newsletter to get the top stories in your inbox.",
      "Related stories: Markets close higher | Weather warning issued"};
  std::string out = header[0] + "\n\n";  // The masthead names the site.
  for (size_t i : Choose(rng, std::size(header) - 1, UniformInt(rng, 3))) {
    absl::StrAppend(&out, header[i + 1], "\n\n");
  }
  out.append(text);
  for (size_t i : Choose(rng, std::size(footer), 2 + UniformInt(rng, 3))) {
    absl::StrAppend(&out, "\n\n", footer[i]);
  }
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string HtmlWrap(std::string_view title, std::string_view text,
                     const std::string& site, Rng& rng) {
  const uint64_t visitor = rng();
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>",
      HtmlEscape(title), " - ", site, "</title>\n",
      "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push("
      "arguments);}gtag('js',new Date());gtag('config','UA-",
      visitor % 100000000, "');</script>\n",
      "<style>body{font-family:sans-serif}.share a{margin:0 4px}</style>\n</head>\n<body>\n",
      "<nav class=\"menu\"><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">"
      "World</a></li><li><a href=\"/business\">Business</a></li><li><a href=\"/sport\">"
      "Sport</a></li></ul></nav>\n<article>\n<h1>",
      HtmlEscape(title), "</h1>\n");
  for (absl::string_view p : absl::StrSplit(absl::string_view(text.data(), text.size()),
                                            "\n\n", absl::SkipEmpty())) {
    absl::StrAppend(&out, "<p>", HtmlEscape(std::string_view(p.data(), p.size())),
                    "</p>\n");
  }
  absl::StrAppend(
      &out, "</article>\n<div class=\"share\">Share: <a href=\"#fb\">Facebook</a>"
      "<a href=\"#tw\">Twitter</a><a href=\"#mail\">Email</a></div>\n",
      "<img src=\"https://pixel.", site, "/t.gif?v=", visitor,
      "\" width=\"1\" height=\"1\" alt=\"\">\n</body></html>\n");
  return out;
}

}  // namespace

CopyResult MakeCopy(CopyKind kind, std::string_view title,
                    std::string_view text, uint64_t seed, const CopyRates& rates) {
  Rng rng(internal::Mix(seed));
  CopyResult r{std::string(title), "", Pick(rng, kSites)};
  switch (kind) {
    case CopyKind::kExact: r.text = std::string(text); break;
    case CopyKind::kHeaderFooter: r.text = HeaderFooter(text, r.source, rng); break;
    case CopyKind::kWordEdits:
      r.text = WordEdits(text, UniformReal(rng, rates.edit_min, rates.edit_max), rng);
      break;
    case CopyKind::kEditsFooter: {
      const std::string edited =
          WordEdits(text, UniformReal(rng, rates.edit_min, rates.edit_max), rng);
      r.text = HeaderFooter(edited, r.source, rng);
      break;
    }
    case CopyKind::kHeavyEdits: r.text = WordEdits(text, rates.heavy_edit, rng); break;
    case CopyKind::kTruncated: r.text = Truncate(text, rng); break;
    case CopyKind::kDroppedSentences: r.text = DropSentences(text, rng); break;
    case CopyKind::kWireStyle:
      r.title = WireStyle(title);
      r.text = WireStyle(text);
      break;
    case CopyKind::kHtmlWrapped: r.text = HtmlWrap(title, text, r.source, rng); break;
    case CopyKind::kOcrNoise:
      r.text = OcrNoise(text, UniformReal(rng, rates.ocr_min, rates.ocr_max), rng);
      break;
  }
  return r;
}

}  // namespace storysift::corpusgen
