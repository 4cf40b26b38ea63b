// Post-processing shared by every reader.
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
#include "ingest/encoding.h"
#include "ingest/page_meta.h"
#include "ingest/reader_internal.h"
#include "ingest/utf8.h"
#include "storysift/date.h"
#include "storysift/story_state.h"

namespace storysift::internal {

std::string_view Basename(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos || path.size() == 1
             ? path
             : path.substr(slash + 1);
}

void ResetRecord(ReadRecord* record) {
  Document& d = record->doc;
  d.id.clear();
  d.title.clear();
  d.text.clear();
  d.source.clear();
  d.url.clear();
  d.raw.clear();
  d.raw_tail.reset();
  d.raw_header.reset();
  d.raw_bom = false;
  d.published.reset();
  // Cleared, not replaced: a recycled record keeps its buffers (input_stream.cc).
  d.origin.file.clear();
  d.origin.line = 0;
  d.flags = DocumentFlags();
  record->skip_reason.clear();
  record->message.clear();
  record->origin.file.clear();
  record->origin.line = 0;
}

void SetOrigin(std::string_view file, uint64_t line, ReadRecord* record) {
  record->doc.origin.file.assign(file);
  record->doc.origin.line = line;
  record->origin.file.assign(file);
  record->origin.line = line;
}

void SetSkip(ReadRecord* record, std::string_view reason,
             std::string message) {
  record->skip_reason.assign(reason);
  record->message = std::move(message);
}

void SetDate(std::string_view value, Document* doc) {
  if (IsBlank(value)) return;  // No date is not an unparsed date.
  doc->published = ParseDate(value);
  doc->flags.date_unparsed = !doc->published.has_value();
}

void FillFromPageMetadata(Document* doc) {
  const PageMetadata meta = ExtractPageMetadata(doc->text);
  if (doc->title.empty()) doc->title = meta.title;
  if (!doc->published && !meta.date.empty()) SetDate(meta.date, doc);
  if (doc->url.empty()) doc->url = meta.url;
}

std::string ContentIdSuffix(const Document& doc) {
  // 48 bits: two articles at one place of one path collide with odds of
  // 2^-48, and only there (the place is part of the id).
  return absl::StrCat("#", absl::Hex(DocumentContentHash(doc) >> 16, absl::kZeroPad12));
}

void AddContentToPositionalId(Document* doc) {
  if (doc->flags.id_origin != IdOrigin::kPosition) return;
  doc->id += ContentIdSuffix(*doc);
  doc->flags.id_origin = IdOrigin::kPositionAndContent;
}

std::string LegacyPositionalId(const Document& doc) {
  if (doc.flags.id_origin == IdOrigin::kRecord) return "";
  std::string_view id = doc.id;
  if (doc.flags.id_origin == IdOrigin::kPositionAndContent) id = id.substr(0, id.rfind('#'));
  const std::string_view file = doc.origin.file;
  // A text file in a directory was named by its relative path then too.
  if (file.empty() || !id.starts_with(file)) return std::string(id);
  std::string legacy(Basename(file));
  legacy += id.substr(file.size());
  return legacy;
}

bool FinishDocument(const ReaderOptions& options, std::string_view fallback_id,
                    ReadRecord* record, FieldBytes fields) {
  Document& d = record->doc;
  // Cut first so a code point split by the reader's limit is not "repaired";
  // cut again after repair, since U+FFFD (3 bytes) may replace 1 byte.
  const size_t max = options.max_doc_bytes;
  if (max != 0) d.flags.truncated |= TruncateUtf8(&d.text, max);
  // An HTML page (a file's or a record's body) in the charset it declares.
  bool text_converted = false;
  if (LooksLikeHtmlPage(d.text) && ConvertFromDeclaredCharset(&d.text)) {
    d.flags.transcoded = true;
    text_converted = true;
  }
  for (std::string* field : {&d.id, &d.title, &d.text, &d.source, &d.url}) {
    const bool known_valid = fields == FieldBytes::kValidUtf8 &&
                             !(field == &d.text && text_converted) &&
                             std::memchr(field->data(), '\0', field->size()) == nullptr;
    if (known_valid) continue;  // MakeUtf8 would find it clean.
    const Utf8Fix fix = MakeUtf8(field);
    d.flags.utf8_repaired |= fix.replaced;
    d.flags.transcoded |= fix.transcoded;
    d.flags.nul_removed |= fix.nul_removed;
  }
  if (IsBlank(d.id)) {
    d.id.assign(fallback_id);
    d.flags.id_origin = IdOrigin::kPosition;
    // A path may hold any bytes; the id, like every field, is UTF-8. (The
    // path is not the record's content: nothing to warn of.)
    MakeUtf8(&d.id);
  }
  // An HTML page missing a title, date or url may state them in its markup.
  if ((d.title.empty() || !d.published || d.url.empty()) && LooksLikeHtmlPage(d.text)) {
    FillFromPageMetadata(&d);
  }
  if (max != 0) d.flags.truncated |= TruncateUtf8(&d.text, max);
  if (options.content_in_positional_ids) AddContentToPositionalId(&d);
  record->origin = d.origin;
  if (IsBlank(d.text)) {
    SetSkip(record, kSkipEmptyText,
            d.text.empty() ? "text is empty" : "text is only whitespace");
    return false;
  }
  return true;
}

}  // namespace storysift::internal
