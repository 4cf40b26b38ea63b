// What the HTML report shows, gathered from a run in memory (cluster,
// dedup) or from saved story lines joined with their documents (report).
#include <algorithm>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ingest/byte_source.h"
#include "ingest/line_source.h"
#include "ingest/reader_internal.h"
#include "io/merged_story_line.h"
#include "simdjson.h"
#include "storysift/explain.h"
#include "pipeline/parallel.h"
#include "storysift/status_macros.h"
#include "storysift/story_report.h"

namespace storysift {
namespace {

constexpr size_t kMaxPassageBytes = 240;
constexpr size_t kMaxSideBytes = 1000;

// The longest prefix of `s` of at most `max` bytes that ends on a UTF-8
// character boundary.
std::string_view Utf8Prefix(std::string_view s, size_t max, bool* cut = nullptr) {
  if (cut != nullptr) *cut = s.size() > max;
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

bool HasTexts(const DocumentTable& corpus) { return corpus.texts.size() == corpus.num_docs(); }

// A stand-in headline for an untitled article (a plain text file): its
// first words, whitespace collapsed, cut at a word before kMaxLeadBytes.
std::string LeadWords(std::string_view clean) {
  constexpr size_t kMaxLeadBytes = 90;
  std::string out;
  for (char c : clean) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
    if (out.size() > kMaxLeadBytes) break;
  }
  if (out.size() > kMaxLeadBytes) {
    const size_t cut = out.rfind(' ', kMaxLeadBytes);
    out = std::string(Utf8Prefix(out, cut == std::string::npos || cut == 0 ? kMaxLeadBytes : cut));
    out += "\u2026";
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Where a document's normalized text comes from: the texts the corpus kept,
// else its raw document normalized again (the views read few: copies,
// their originals, untitled documents), else nowhere.
class TextSource {
 public:
  TextSource(const DocumentTable& corpus, const Normalizer* normalizer)
      : corpus_(corpus),
        normalizer_(corpus.documents.size() == corpus.num_docs() ? normalizer : nullptr) {}

  // The text of `d` (in *buffer when normalized now), or null.
  const NormalizedText* Get(DocOrdinal d, NormalizedText* buffer) const {
    if (HasTexts(corpus_)) return &corpus_.texts[d];
    if (normalizer_ == nullptr) return nullptr;
    normalizer_->Normalize(corpus_.documents[d].text, buffer);
    return buffer;
  }

 private:
  const DocumentTable& corpus_;
  const Normalizer* normalizer_;
};

ReportArticle ArticleOf(const DocumentTable& corpus, const TextSource& texts, DocOrdinal d) {
  ReportArticle a;
  a.id = corpus.ids[d];
  a.published = corpus.meta[d].published;
  if (corpus.documents.size() == corpus.num_docs()) {
    const Document& doc = corpus.documents[d];
    a.title = doc.title;
    a.source = doc.source;
    a.url = doc.url;
  }
  if (a.title.empty()) {
    NormalizedText buffer;
    if (const NormalizedText* text = texts.Get(d, &buffer)) a.title = LeadWords(text->clean);
  }
  return a;
}

std::string LongestPassage(const TextSource& texts, DocOrdinal copy, DocOrdinal original) {
  NormalizedText copy_buffer, original_buffer;
  const NormalizedText* c = texts.Get(copy, &copy_buffer);
  const NormalizedText* o = texts.Get(original, &original_buffer);
  if (c == nullptr || o == nullptr) return {};
  const std::vector<SharedPassage> p = LongestSharedPassages(*c, *o, 1);
  if (p.empty()) return {};
  const std::string_view text = PassageText(*c, p[0].a_token, p[0].num_tokens);
  bool cut = false;
  std::string out(Utf8Prefix(text, kMaxPassageBytes, &cut));
  if (cut) out += "\u2026";
  return out;
}

// Story articles keep their rank order; copy_of becomes an index.
void LinkCopies(std::vector<ReportArticle>* articles,
                const std::vector<std::optional<std::string>>& copy_of_ids) {
  absl::flat_hash_map<std::string_view, int> index;
  for (size_t i = 0; i < articles->size(); ++i) index.try_emplace((*articles)[i].id, i);
  for (size_t i = 0; i < articles->size(); ++i) {
    if (!copy_of_ids[i]) continue;
    auto it = index.find(*copy_of_ids[i]);
    if (it != index.end() && it->second != static_cast<int>(i)) (*articles)[i].copy_of = it->second;
  }
}

struct ByteRange {
  size_t begin, end;
};

// Cuts `text` into plain/shared runs at the (sorted, merged) shared ranges,
// at most kMaxSideBytes of it.
ReportSideText SideText(std::string_view full, std::vector<ByteRange> shared) {
  ReportSideText out;
  const std::string_view text = Utf8Prefix(full, kMaxSideBytes, &out.truncated);
  std::sort(shared.begin(), shared.end(),
            [](const ByteRange& x, const ByteRange& y) { return x.begin < y.begin; });
  size_t pos = 0;
  std::string plain;
  for (const ByteRange& r : shared) {
    const size_t begin = std::max(r.begin, pos);
    const size_t end = std::min(r.end, text.size());
    if (begin >= end) continue;
    out.runs.emplace_back(text.substr(pos, begin - pos));
    out.runs.emplace_back(text.substr(begin, end - begin));
    pos = end;
  }
  out.runs.emplace_back(text.substr(pos));
  return out;
}

ByteRange TokenSpan(const NormalizedText& t, uint32_t first, uint32_t count) {
  const Token& last = t.tokens[first + count - 1];
  return {t.tokens[first].begin, static_cast<size_t>(last.begin) + last.length};
}

}  // namespace

StoryReport BuildStoryReport(const DocumentTable& corpus, const std::vector<RankedStory>& stories,
                             const std::vector<std::string>& story_ids,
                             const std::vector<std::string>& statuses,
                             const std::vector<bool>& archived, const Normalizer* normalizer,
                             int threads) {
  const TextSource texts(corpus, normalizer);
  StoryReport report;
  report.stories.resize(stories.size());
  ParallelFor(stories.size(), ResolveThreadCount(threads), [&](size_t s) {
    ReportStory& story = report.stories[s];
    story.story_id = s < story_ids.size() ? story_ids[s] : absl::StrCat(s + 1);
    if (s < statuses.size()) story.status = statuses[s];
    story.archived = s < archived.size() && archived[s];
    story.label = stories[s].label;
    std::vector<std::optional<std::string>> copy_of_ids;
    for (const RankedArticle& ra : stories[s].articles) {
      ReportArticle a = ArticleOf(corpus, texts, ra.ordinal);
      a.novelty = ra.novelty;
      a.new_terms = ra.new_terms;
      if (ra.copy_of) {
        a.shared_passage = LongestPassage(texts, ra.ordinal, *ra.copy_of);
        copy_of_ids.push_back(corpus.ids[*ra.copy_of]);
      } else {
        copy_of_ids.push_back(std::nullopt);
      }
      story.articles.push_back(std::move(a));
    }
    LinkCopies(&story.articles, copy_of_ids);
  });
  return report;
}

DedupReport BuildDedupReport(const DocumentTable& corpus, const CopyGroups& groups,
                             const Normalizer* normalizer, int threads) {
  const TextSource texts(corpus, normalizer);
  DedupReport report;
  report.num_documents = corpus.num_docs();
  std::vector<DocOrdinal> copies;
  for (DocOrdinal d = 0; d < corpus.num_docs(); ++d) {
    if (groups.docs[d].role == CopyRole::kCopy) copies.push_back(d);
  }
  // Each copy beside its representative, in parallel; grouped below in
  // ordinal order.
  std::vector<ReportCopy> drawn(copies.size());
  ParallelFor(copies.size(), ResolveThreadCount(threads), [&](size_t i) {
    const DocOrdinal d = copies[i];
    const CopyAssignment& a = groups.docs[d];
    ReportCopy& copy = drawn[i];
    copy.article = ArticleOf(corpus, texts, d);
    copy.similarity = a.similarity;
    NormalizedText copy_buffer, original_buffer;
    const NormalizedText* ct = texts.Get(d, &copy_buffer);
    const NormalizedText* rt = texts.Get(a.representative, &original_buffer);
    if (ct == nullptr || rt == nullptr) return;
    std::vector<ByteRange> in_copy, in_original;
    for (const SharedPassage& p : LongestSharedPassages(*ct, *rt, 5)) {
      in_copy.push_back(TokenSpan(*ct, p.a_token, p.num_tokens));
      in_original.push_back(TokenSpan(*rt, p.b_token, p.num_tokens));
    }
    copy.text = SideText(ct->clean, std::move(in_copy));
    copy.original_text = SideText(rt->clean, std::move(in_original));
  });
  absl::flat_hash_map<DocOrdinal, size_t> group_of;
  for (size_t i = 0; i < copies.size(); ++i) {
    const DocOrdinal rep = groups.docs[copies[i]].representative;
    auto [it, added] = group_of.try_emplace(rep, report.groups.size());
    if (added) {
      report.groups.emplace_back();
      report.groups.back().representative = ArticleOf(corpus, texts, rep);
    }
    report.groups[it->second].copies.push_back(std::move(drawn[i]));
  }
  // Largest groups first; the order of first copies breaks ties.
  std::stable_sort(report.groups.begin(), report.groups.end(),
                   [](const ReportCopyGroup& x, const ReportCopyGroup& y) {
                     return x.copies.size() > y.copies.size();
                   });
  return report;
}

absl::StatusOr<StoryReport> ReadStoryReport(const std::string& path, const DocumentTable& corpus,
                                            size_t* unknown_ids, const Normalizer* normalizer) {
  // Through the readers' byte source: a `cluster -o stories.jsonl.gz`
  // (or .zst, .xz) is read back decompressed.
  absl::StatusOr<std::unique_ptr<internal::ByteSource>> source =
      internal::ByteSource::OpenFile(path);
  if (!source.ok()) {
    return absl::Status(source.status().code(),
                        absl::StrCat("cannot open ", source.status().message()));
  }
  internal::LineSource lines(source->get(), /*max_line_bytes=*/0);
  std::vector<std::string> read;
  std::string_view line;
  bool too_long = false;
  size_t line_bytes = 0;
  while (true) {
    STORYSIFT_ASSIGN_OR_RETURN(const bool more, lines.Next(&line, &too_long, &line_bytes));
    if (!more) break;
    read.emplace_back(line);
  }
  return StoryReportFromLines(read, path, corpus, unknown_ids, normalizer);
}

namespace {

// The document a story line's article id names: its own id, else, for the id
// `cluster --state` gives a record without one ("place#" and its content's
// hash: ReaderOptions::content_in_positional_ids), the document read at that
// place, when it still holds that content.
std::optional<DocOrdinal> FindArticle(
    const absl::flat_hash_map<std::string_view, DocOrdinal>& ordinal_of,
    const DocumentTable& corpus, std::string_view id) {
  if (auto it = ordinal_of.find(id); it != ordinal_of.end()) return it->second;
  const size_t hash = id.rfind('#');
  if (hash == std::string_view::npos || corpus.documents.size() != corpus.num_docs()) {
    return std::nullopt;
  }
  auto place = ordinal_of.find(id.substr(0, hash));
  if (place == ordinal_of.end()) return std::nullopt;
  const Document& doc = corpus.documents[place->second];
  if (doc.flags.id_origin != IdOrigin::kPosition ||
      internal::ContentIdSuffix(doc) != id.substr(hash)) {
    return std::nullopt;
  }
  return place->second;
}

}  // namespace

absl::StatusOr<StoryReport> StoryReportFromLines(const std::vector<std::string>& lines,
                                                 std::string_view origin, const DocumentTable& corpus,
                                                 size_t* unknown_ids,
                                                 const Normalizer* normalizer) {
  const TextSource texts(corpus, normalizer);
  absl::flat_hash_map<std::string_view, DocOrdinal> ordinal_of;
  for (DocOrdinal d = 0; d < corpus.num_docs(); ++d) ordinal_of.try_emplace(corpus.ids[d], d);
  *unknown_ids = 0;
  StoryReport report;
  simdjson::dom::parser parser;
  uint64_t line_no = 0;
  auto line_error = [&](std::string_view what) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(origin), ":", line_no, ": ", std::string(what)));
  };
  for (const std::string& line : lines) {
    ++line_no;
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    simdjson::dom::object obj;
    if (parser.parse(line).get_object().get(obj) != simdjson::SUCCESS) {
      return line_error("not a JSON object");
    }
    if (internal::IsMergedStoryLine(obj)) continue;  // Its articles are in the absorbing story.
    std::string_view text;
    simdjson::dom::array articles;
    if (obj["story_id"].get_string().get(text) != simdjson::SUCCESS ||
        obj["articles"].get_array().get(articles) != simdjson::SUCCESS) {
      return line_error("not a story line (needs story_id and articles, as cluster writes)");
    }
    ReportStory story;
    story.story_id = std::string(text);
    if (obj["status"].get_string().get(text) == simdjson::SUCCESS) story.status = text;
    bool archived = false;
    if (obj["archived"].get_bool().get(archived) == simdjson::SUCCESS) story.archived = archived;
    simdjson::dom::array label;
    if (obj["label"].get_array().get(label) == simdjson::SUCCESS) {
      for (simdjson::dom::element t : label) {
        if (t.get_string().get(text) == simdjson::SUCCESS) story.label.emplace_back(text);
      }
    }
    std::vector<std::optional<std::string>> copy_of_ids;
    std::vector<std::optional<DocOrdinal>> ordinals;
    for (simdjson::dom::element e : articles) {
      simdjson::dom::object ao;
      if (e.get_object().get(ao) != simdjson::SUCCESS ||
          ao["id"].get_string().get(text) != simdjson::SUCCESS) {
        return line_error("an article without a string id");
      }
      ReportArticle a;
      if (const std::optional<DocOrdinal> known = FindArticle(ordinal_of, corpus, text)) {
        a = ArticleOf(corpus, texts, *known);
        a.id = std::string(text);  // As the story names it.
        ordinals.push_back(*known);
      } else {
        a.id = std::string(text);
        ordinals.push_back(std::nullopt);
        ++*unknown_ids;
      }
      double novelty = 0;
      if (ao["novelty"].get_double().get(novelty) == simdjson::SUCCESS) a.novelty = novelty;
      simdjson::dom::array terms;
      if (ao["new_terms"].get_array().get(terms) == simdjson::SUCCESS) {
        for (simdjson::dom::element t : terms) {
          if (t.get_string().get(text) == simdjson::SUCCESS) a.new_terms.emplace_back(text);
        }
      }
      if (ao["copy_of"].get_string().get(text) == simdjson::SUCCESS) {
        copy_of_ids.emplace_back(std::string(text));
        const std::optional<DocOrdinal> original = FindArticle(ordinal_of, corpus, text);
        if (ordinals.back() && original) {
          a.shared_passage = LongestPassage(texts, *ordinals.back(), *original);
        }
      } else {
        copy_of_ids.push_back(std::nullopt);
      }
      story.articles.push_back(std::move(a));
    }
    LinkCopies(&story.articles, copy_of_ids);
    report.stories.push_back(std::move(story));
  }
  return report;
}

}  // namespace storysift
