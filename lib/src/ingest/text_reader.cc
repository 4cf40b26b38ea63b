// Whole-file documents: the single-text-file reader, and the helpers the
// directory reader shares with it.
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
#include "ingest/encoding.h"
#include "ingest/page_meta.h"
#include "ingest/reader_internal.h"
#include "storysift/date.h"
#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

class TextReader : public DocumentReader {
 public:
  TextReader(std::unique_ptr<ByteSource> source, std::string id,
             const ReaderOptions& options)
      : source_(std::move(source)), id_(std::move(id)), options_(options) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    if (done_) return false;
    done_ = true;
    std::string content;
    bool truncated = false;
    STORYSIFT_RETURN_IF_ERROR(ReadAllBytes(
        source_.get(), options_.max_doc_bytes, &content, &truncated));
    ResetRecord(record);
    record->doc.origin.file = source_->name();
    const bool is_html = IsHtmlPath(source_->name());
    // The file's path is its id: it has none of its own.
    BuildFileDocument(std::move(content), truncated, /*id=*/"", id_, is_html, options_,
                      record);
    return true;
  }

 private:
  std::unique_ptr<ByteSource> source_;
  std::string id_;
  ReaderOptions options_;
  bool done_ = false;
};

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         EqualsIgnoreCaseAscii(s.substr(0, prefix.size()), prefix);
}

// Whether `token` starts as the header's ISO date does: YYYY-MM-DD.
bool StartsWithIsoDateShape(std::string_view token) {
  static constexpr std::string_view kShape = "dddd-dd-dd";
  if (token.size() < kShape.size()) return false;
  for (size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = absl::ascii_isdigit(static_cast<unsigned char>(token[i]));
    if (kShape[i] == 'd' ? !digit : token[i] != kShape[i]) return false;
  }
  return true;
}

}  // namespace

absl::Status ReadAllBytes(ByteSource* source, size_t max_bytes,
                          std::string* out, bool* truncated) {
  out->clear();
  *truncated = false;
  // 3 bytes of slack keep a code point that straddles max_bytes whole, so
  // FinishDocument can cut at a boundary rather than leave half of one. (A
  // limit within 3 of SIZE_MAX is none: it must not wrap to 0..2 bytes.)
  size_t keep;
  if (max_bytes == 0 || __builtin_add_overflow(max_bytes, 3, &keep)) keep = 0;
  while (true) {
    absl::StatusOr<bool> more = source->Fill();
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    size_t n = source->size();
    if (keep != 0 && out->size() + n > keep) {
      n = keep - out->size();
      *truncated = true;
    }
    out->append(source->data(), n);
    source->Consume(source->size());  // The rest, if cut, is discarded.
  }
}

std::optional<DateHeader> FindDateHeader(std::string_view text) {
  std::string_view s = StripLeadingSpace(text);
  if (!StartsWithIgnoreCase(s, "date")) return std::nullopt;
  s.remove_prefix(4);
  if (!s.empty() && s.front() == ':') s.remove_prefix(1);
  if (s.empty() || (s.front() != ' ' && s.front() != '\t')) return std::nullopt;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  size_t len = 0;
  while (len < s.size() && !IsAsciiSpace(s[len])) ++len;
  DateHeader header;
  header.date = s.substr(0, len);
  // Only an ISO date (YYYY-MM-DD...) makes the line a date header: "date
  // night" and "date 2017-2018 season" are text.
  if (!StartsWithIsoDateShape(header.date)) return std::nullopt;
  s.remove_prefix(len);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  header.end = s.data() - text.data();
  return header;
}

void TakeDatePrefix(Document* doc) {
  const std::optional<DateHeader> header = FindDateHeader(doc->text);
  if (!header) return;
  // A header whose date is not a real one (2017-02-30) is counted as a JSON
  // record's bad date is, and taken out all the same: it was never article
  // text.
  doc->published = ParseDate(header->date);
  doc->flags.date_unparsed = !doc->published.has_value();
  doc->text.erase(0, header->end);
}

void BuildFileDocument(std::string content, bool truncated, std::string id,
                       std::string_view fallback_id, bool is_html,
                       const ReaderOptions& options, ReadRecord* record) {
  Document& doc = record->doc;
  record->origin = doc.origin;
  if (std::memchr(content.data(), '\0',
                  std::min(content.size(), kBinarySniffBytes)) != nullptr) {
    SetSkip(record, kSkipBinary,
            absl::StrCat("NUL byte in the first ", kBinarySniffBytes,
                         " bytes: not a text file"));
    return;
  }
  // An .html file may start with text, so FinishDocument cannot tell.
  if (is_html && ConvertFromDeclaredCharset(&content)) doc.flags.transcoded = true;
  doc.id = std::move(id);
  if (options.keep_raw) doc.raw = content;  // The whole file, as it was.
  doc.text = std::move(content);
  doc.flags.truncated = truncated;
  TakeDatePrefix(&doc);
  // FinishDocument reads the metadata of text that starts with '<'; an
  // .html file may start with text.
  if (is_html && !LooksLikeHtmlPage(doc.text)) FillFromPageMetadata(&doc);
  FinishDocument(options, fallback_id, record);
}

std::unique_ptr<DocumentReader> NewTextReader(
    std::unique_ptr<ByteSource> source, std::string id,
    const ReaderOptions& options) {
  return std::make_unique<TextReader>(std::move(source), std::move(id),
                                      options);
}

}  // namespace storysift::internal
