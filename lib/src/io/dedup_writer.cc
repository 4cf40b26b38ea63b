#include "io/dedup_writer.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "storysift/date.h"
#include "storysift/explain.h"
#include "io/json_writer.h"
#include "io/ordered_lines.h"
#include "io/tsv_field.h"
#include "ingest/reader_internal.h"

namespace storysift {

std::string_view CopyRoleName(CopyRole role) {
  switch (role) {
    case CopyRole::kOriginal: return "original";
    case CopyRole::kCopy: return "copy";
    case CopyRole::kUnique: return "unique";
  }
  return "unique";
}

namespace {

std::string PassagesJson(const DocumentTable& corpus, DocOrdinal doc, DocOrdinal rep, int max) {
  const NormalizedText& a = corpus.texts[doc];
  const NormalizedText& b = corpus.texts[rep];
  std::string out = "[";
  bool first = true;
  for (const SharedPassage& p : LongestSharedPassages(a, b, max)) {
    if (!first) out += ",";
    first = false;
    out += JsonObject()
               .Int("tokens", p.num_tokens)
               .Str("text", PassageText(a, p.a_token, p.num_tokens))
               .Finish();
  }
  return out + "]";
}

}  // namespace

void WriteDedupLines(const DocumentTable& corpus, const RunReport& report,
                     const CopyGroups& groups, const DedupWriterOptions& options,
                     OutputFile* out) {
  WriteDedupLines(corpus, report, groups, options,
                  [out](std::string_view line) { out->WriteLine(line); });
}

namespace {

std::string DedupLine(const DocumentTable& corpus, const RunReport& report,
                      const CopyGroups& groups, const DedupWriterOptions& options,
                      const InputEntry& entry) {
  if (entry.skipped) {
    return JsonObject()
        .Null("id")
        .Str("role", "skipped")
        .Str("reason", report.skipped_reason(entry.index))
        .Str("origin", report.skipped_origin(entry.index).ToString())
        .Finish();
  }
  const DocOrdinal d = entry.index;
  const CopyAssignment& a = groups.docs[d];
  const std::string& rep_id = corpus.ids[a.representative];
  JsonObject line;
  line.Str("id", corpus.ids[d])
      .Str("cluster_id", rep_id)
      .Str("representative_id", rep_id)
      .Num("similarity", a.similarity)
      .Str("role", CopyRoleName(a.role));
  if (options.explain && a.role == CopyRole::kCopy && !corpus.texts.empty()) {
    line.Raw("shared_passages", PassagesJson(corpus, d, a.representative, options.max_passages));
  }
  return line.Finish();
}

}  // namespace

void WriteDedupLines(const DocumentTable& corpus, const RunReport& report,
                     const CopyGroups& groups, const DedupWriterOptions& options,
                     const std::function<void(std::string_view)>& write_line) {
  WriteLinesInOrder(
      corpus.input_order.size(), options.threads,
      [&](size_t i) { return DedupLine(corpus, report, groups, options, corpus.input_order[i]); },
      write_line);
}

void WritePairsTsv(const std::vector<std::string>& ids, const CopyGroups& groups,
                   OutputFile* out) {
  out->WriteLine("id_a\tid_b\tsimilarity");
  for (const VerifiedPair& p : groups.pairs) {
    std::string line;
    internal::AppendTsvField(&line, ids[p.a]);
    line += '\t';
    internal::AppendTsvField(&line, ids[p.b]);
    line += '\t';
    AppendJsonNumber(&line, p.similarity);
    out->WriteLine(line);
  }
}

std::string DocumentJsonLine(const Document& doc) {
  JsonObject o;
  o.Str("id", doc.id);
  if (!doc.title.empty()) o.Str("title", doc.title);
  o.Str("text", doc.text);
  if (doc.published) {
    o.Str("date", FormatDate(*doc.published));
  } else if (doc.flags.date_unparsed) {
    // A whole file's date header that names no real date (2017-02-30) is
    // out of the text: its date as written, so the line reads back the same.
    const std::optional<internal::DateHeader> header = internal::FindDateHeader(doc.raw);
    if (header) o.Str("date", header->date);
  }
  if (!doc.source.empty()) o.Str("source", doc.source);
  if (!doc.url.empty()) o.Str("url", doc.url);
  return o.Finish();
}

namespace {

void AppendCsvField(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace

std::string DocumentCsvRow(const Document& doc) {
  std::string row;
  const std::string date = doc.published ? FormatDate(*doc.published) : "";
  const std::string_view fields[] = {doc.id, doc.title, doc.text, date, doc.source, doc.url};
  for (size_t i = 0; i < std::size(fields); ++i) {
    if (i > 0) row.push_back(',');
    AppendCsvField(&row, fields[i]);
  }
  return row;
}

}  // namespace storysift
