// The corpus plan (which position copies which original, by which kind),
// original splicing, and streaming output.
#include "corpus_gen.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "rng.h"

namespace storysift::corpusgen {
namespace {

using internal::Rng;
using internal::StreamFor;
using internal::UniformInt;

constexpr uint64_t kSaltPlan = 1, kSaltOriginal = 2, kSaltCopy = 3, kSaltBases = 4;
constexpr uint8_t kOriginal = 0xff;

// Replaces the digits of about half the number tokens, so that a paragraph
// reused by several originals differs in its figures (Reuters is full of
// them) while still reading like news.
void MutateNumbers(std::string* p, Rng& rng) {
  for (size_t i = 0; i < p->size();) {
    if (!std::isdigit(static_cast<unsigned char>((*p)[i]))) { ++i; continue; }
    const bool change = rng() & 1;
    bool first = true;
    for (; i < p->size() && (std::isdigit(static_cast<unsigned char>((*p)[i])) ||
                             (*p)[i] == ',' || (*p)[i] == '.');
         ++i) {
      if (!change || !std::isdigit(static_cast<unsigned char>((*p)[i]))) continue;
      (*p)[i] = static_cast<char>((first ? '1' : '0') + UniformInt(rng, first ? 9 : 10));
      first = false;
    }
  }
}

size_t CountWords(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), ' ')) + (s.empty() ? 0 : 1);
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char ch : s) {
    const unsigned char c = ch;
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\t': *out += "\\t"; break;
      case '\r': *out += "\\r"; break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

std::string StripJsonl(std::string_view path) {
  std::string p(path);
  if (p.size() > 6 && p.compare(p.size() - 6, 6, ".jsonl") == 0) p.resize(p.size() - 6);
  return p;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

absl::StatusOr<File> OpenOut(const std::string& path) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return absl::InternalError(absl::StrCat("cannot write ", path));
  std::setvbuf(f.get(), nullptr, _IOFBF, 1 << 20);
  return f;
}

bool Put(std::FILE* f, const std::string& s) {
  return std::fwrite(s.data(), 1, s.size(), f) == s.size();
}

}  // namespace

std::string GoldPath(std::string_view out_path) {
  return StripJsonl(out_path) + ".gold.jsonl";
}
std::string PairsPath(std::string_view out_path) {
  return StripJsonl(out_path) + ".pairs.tsv";
}

absl::StatusOr<CorpusGenerator> CorpusGenerator::Create(
    std::vector<BaseArticle> bases, const CorpusOptions& options) {
  if (bases.empty()) return absl::InvalidArgumentError("no base articles");
  if (options.kinds.empty()) return absl::InvalidArgumentError("no copy kinds");
  if (!(options.copy_share >= 0 && options.copy_share < 1)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("copy_share = %g is outside [0, 1)", options.copy_share));
  }
  if (options.min_words < 1 || options.min_words > options.max_words) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "need 1 <= min_words <= max_words, got %d, %d", options.min_words,
        options.max_words));
  }
  if (options.num_docs >= (uint64_t{1} << 32)) {
    return absl::InvalidArgumentError("num_docs must be below 2^32");
  }
  CorpusGenerator g;
  g.bases_ = std::move(bases);
  if (options.real_originals) {  // Whole articles: the length bounds select them.
    std::erase_if(g.bases_, [&](const BaseArticle& b) {
      size_t words = 0;
      for (const std::string& p : b.paragraphs) words += CountWords(p);
      return words < static_cast<size_t>(options.min_words) ||
             words > static_cast<size_t>(options.max_words);
    });
  }
  g.options_ = options;
  // Label pools in label order (std::map: no hash order reaches output).
  std::map<std::string, uint32_t> pool_ids;
  g.pool_of_.resize(g.bases_.size());
  g.sentences_.resize(g.bases_.size());
  for (size_t b = 0; b < g.bases_.size(); ++b) {
    for (const std::string& p : g.bases_[b].paragraphs) {
      for (std::string& s : SplitSentences(p)) g.sentences_[b].push_back(std::move(s));
    }
  }
  for (uint32_t b = 0; b < g.bases_.size(); ++b) {
    const std::string key = options.story_groups ? g.bases_[b].label : "";
    auto [it, inserted] = pool_ids.try_emplace(key, g.pools_.size());
    if (inserted) g.pools_.emplace_back();
    g.pools_[it->second].push_back(b);
    g.pool_of_[b] = it->second;
  }

  // Exactly round(n * share) copies, placed by selection sampling (Knuth
  // TAOCP vol. 2, Algorithm S); position 0 is always an original.
  const uint64_t n = options.num_docs;
  uint64_t copies_left =
      n == 0 ? 0 : std::min<uint64_t>(n - 1, std::llround(n * options.copy_share));
  Rng rng = StreamFor(options.seed, 0, kSaltPlan);
  std::vector<uint32_t> originals;
  g.source_.resize(n);
  g.kind_.assign(n, kOriginal);
  for (uint64_t i = 0; i < n; ++i) {
    const bool copy = i > 0 && UniformInt(rng, n - i) < copies_left;
    if (!copy) {
      g.source_[i] = static_cast<uint32_t>(i);
      originals.push_back(static_cast<uint32_t>(i));
      continue;
    }
    --copies_left;
    g.source_[i] = originals[UniformInt(rng, originals.size())];
    g.kind_[i] = static_cast<uint8_t>(options.kinds[UniformInt(rng, options.kinds.size())]);
  }
  if (options.real_originals) {
    if (originals.size() > g.bases_.size()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "real originals: %d originals need as many base articles, there are %d",
          originals.size(), g.bases_.size()));
    }
    // A seeded Fisher-Yates order of the bases; original r is base order[r].
    std::vector<uint32_t> order(g.bases_.size());
    for (uint32_t b = 0; b < order.size(); ++b) order[b] = b;
    Rng shuffle = StreamFor(options.seed, 0, kSaltBases);
    for (size_t b = 0; b + 1 < order.size(); ++b) {
      std::swap(order[b], order[b + UniformInt(shuffle, order.size() - b)]);
    }
    g.base_of_.assign(n, 0);
    for (size_t r = 0; r < originals.size(); ++r) g.base_of_[originals[r]] = order[r];
  }
  return g;
}

GeneratedDoc CorpusGenerator::GenerateOriginal(uint64_t i) const {
  if (options_.real_originals) {
    const BaseArticle& base = bases_[base_of_[i]];
    GeneratedDoc d;
    d.id = absl::StrFormat("d%08d", i);
    d.title = base.title;
    d.date = base.date;
    d.source = "newswire";
    d.copy_group = d.id;
    d.copy_kind = "original";
    d.story = d.id;
    for (const std::string& p : base.paragraphs) {
      if (!d.text.empty()) d.text += "\n\n";
      d.text += p;
    }
    return d;
  }
  Rng rng = StreamFor(options_.seed, i, kSaltOriginal);
  const size_t target =
      options_.min_words + UniformInt(rng, options_.max_words - options_.min_words + 1);
  const uint32_t primary = static_cast<uint32_t>(UniformInt(rng, bases_.size()));
  const std::vector<uint32_t>& pool = pools_[pool_of_[primary]];
  const BaseArticle& first = bases_[primary];

  GeneratedDoc d;
  d.id = absl::StrFormat("d%08d", i);
  d.title = first.title;
  d.date = first.date;
  d.source = "newswire";
  d.copy_group = d.id;
  d.copy_kind = "original";
  d.story = options_.story_groups && !first.label.empty() ? first.label : d.id;

  // Runs of 1-3 consecutive sentences from random bases of the pool (the
  // first from the primary), 2-4 runs to a paragraph, until the target
  // length. Sentence units keep any two originals' overlap small even when
  // each base feeds hundreds of originals. A (base, sentence) is used at most
  // once per original.
  std::vector<std::pair<uint32_t, uint32_t>> used;
  size_t words = 0;
  uint64_t runs_left_in_para = 2 + UniformInt(rng, 3);
  bool para_open = false;
  for (size_t attempt = 0; words < target && attempt < 4 * target; ++attempt) {
    const uint32_t b = attempt == 0 ? primary : pool[UniformInt(rng, pool.size())];
    const std::vector<std::string>& sent = sentences_[b];
    if (sent.empty()) continue;
    uint32_t s = static_cast<uint32_t>(UniformInt(rng, sent.size()));
    const uint64_t run = 1 + UniformInt(rng, 3);
    bool took = false;
    for (uint64_t r = 0; r < run && s < sent.size() && words < target; ++r, ++s) {
      if (std::find(used.begin(), used.end(), std::make_pair(b, s)) != used.end()) break;
      used.emplace_back(b, s);
      std::string text = sent[s];
      MutateNumbers(&text, rng);
      if (!d.text.empty()) d.text += para_open ? " " : "\n\n";
      d.text += text;
      para_open = true;
      words += CountWords(text);
      took = true;
    }
    if (took && --runs_left_in_para == 0) {
      para_open = false;
      runs_left_in_para = 2 + UniformInt(rng, 3);
    }
  }
  return d;
}

GeneratedDoc CorpusGenerator::Generate(uint64_t i) const {
  assert(i < num_docs());
  if (!is_copy(i)) return GenerateOriginal(i);
  GeneratedDoc d = GenerateOriginal(source_[i]);
  const auto kind = static_cast<CopyKind>(kind_[i]);
  CopyResult c = MakeCopy(kind, d.title, d.text,
                          internal::Mix(options_.seed ^ internal::Mix(i + kSaltCopy)),
                          options_.rates);
  d.id = absl::StrFormat("d%08d", i);
  d.title = std::move(c.title);
  d.text = std::move(c.text);
  d.source = std::move(c.source);
  d.copy_kind = std::string(CopyKindName(kind));
  return d;
}

absl::Status CorpusGenerator::WriteCorpus(const std::string& out_path) const {
  absl::StatusOr<File> corpus = OpenOut(out_path);
  if (!corpus.ok()) return corpus.status();
  absl::StatusOr<File> gold = OpenOut(GoldPath(out_path));
  if (!gold.ok()) return gold.status();
  std::string line, gline;
  bool ok = true;
  for (uint64_t i = 0; i < num_docs() && ok; ++i) {
    GeneratedDoc d = Generate(i);
    line.clear();
    line += "{\"id\":";
    AppendJsonString(d.id, &line);
    line += ",\"title\":";
    AppendJsonString(d.title, &line);
    line += ",\"text\":";
    AppendJsonString(d.text, &line);
    if (!d.date.empty()) {
      line += ",\"date\":";
      AppendJsonString(d.date, &line);
    }
    line += ",\"source\":";
    AppendJsonString(d.source, &line);
    line += "}\n";
    gline.clear();
    gline += "{\"id\":";
    AppendJsonString(d.id, &gline);
    gline += ",\"copy_group\":";
    AppendJsonString(d.copy_group, &gline);
    gline += ",\"copy_kind\":";
    AppendJsonString(d.copy_kind, &gline);
    gline += ",\"story\":";
    AppendJsonString(d.story, &gline);
    gline += "}\n";
    ok = Put(corpus->get(), line) && Put(gold->get(), gline);
  }
  if (!ok || std::fflush(corpus->get()) != 0 || std::fflush(gold->get()) != 0) {
    return absl::InternalError(absl::StrCat("write failed for ", out_path));
  }

  // Pairs: every two members of a copy group, groups in original order,
  // with the exact Jaccard of their texts (regenerated one group at a time).
  std::vector<std::pair<uint32_t, uint32_t>> members;  // (original, position)
  for (uint64_t i = 0; i < num_docs(); ++i) {
    if (is_copy(i)) members.emplace_back(source_[i], static_cast<uint32_t>(i));
  }
  std::sort(members.begin(), members.end());
  absl::StatusOr<File> pairs = OpenOut(PairsPath(out_path));
  if (!pairs.ok()) return pairs.status();
  ok = Put(pairs->get(), "id_a\tid_b\tjaccard\n");
  for (size_t s = 0; s < members.size() && ok;) {
    size_t e = s;
    while (e < members.size() && members[e].first == members[s].first) ++e;
    std::vector<GeneratedDoc> group = {GenerateOriginal(members[s].first)};
    for (size_t k = s; k < e; ++k) group.push_back(Generate(members[k].second));
    for (size_t a = 0; a < group.size() && ok; ++a) {
      for (size_t b = a + 1; b < group.size() && ok; ++b) {
        ok = Put(pairs->get(),
                 absl::StrFormat("%s\t%s\t%.4f\n", group[a].id, group[b].id,
                                 WordShingleJaccard(group[a].text, group[b].text)));
      }
    }
    s = e;
  }
  if (!ok || std::fflush(pairs->get()) != 0) {
    return absl::InternalError(absl::StrCat("write failed for ", PairsPath(out_path)));
  }
  return absl::OkStatus();
}

}  // namespace storysift::corpusgen
