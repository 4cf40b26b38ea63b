// Whole-file documents: the single-text-file reader, and the helpers the
// directory reader shares with it.
#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
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
    BuildFileDocument(std::move(content), truncated, id_, is_html, options_,
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

}  // namespace

absl::Status ReadAllBytes(ByteSource* source, size_t max_bytes,
                          std::string* out, bool* truncated) {
  out->clear();
  *truncated = false;
  // 3 bytes of slack keep a code point that straddles max_bytes whole, so
  // FinishDocument can cut at a boundary rather than leave half of one.
  const size_t keep = max_bytes == 0 ? 0 : max_bytes + 3;
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

std::optional<std::string> ExtractHtmlTitle(std::string_view html) {
  const std::string lower = absl::AsciiStrToLower(ToAbsl(html.substr(
      0, std::min<size_t>(html.size(), size_t{1} << 20))));
  size_t open = lower.find("<title");
  // "<title>" or "<title attr=...>", not "<titlefoo>".
  while (open != std::string::npos && lower.size() > open + 6 &&
         lower[open + 6] != '>' && !IsAsciiSpace(lower[open + 6])) {
    open = lower.find("<title", open + 6);
  }
  if (open == std::string::npos) return std::nullopt;
  const size_t start = lower.find('>', open);
  if (start == std::string::npos) return std::nullopt;
  const size_t end = lower.find("</title", start);
  if (end == std::string::npos) return std::nullopt;
  std::string title;
  for (char c : html.substr(start + 1, end - start - 1)) {
    if (IsAsciiSpace(c)) {
      if (!title.empty() && title.back() != ' ') title.push_back(' ');
    } else {
      title.push_back(c);
    }
  }
  if (!title.empty() && title.back() == ' ') title.pop_back();
  if (title.empty()) return std::nullopt;
  return title;
}

std::optional<int64_t> TakeDatePrefix(std::string* text) {
  std::string_view s = StripLeadingSpace(*text);
  if (!StartsWithIgnoreCase(s, "date")) return std::nullopt;
  s.remove_prefix(4);
  if (!s.empty() && s.front() == ':') s.remove_prefix(1);
  if (s.empty() || (s.front() != ' ' && s.front() != '\t')) {
    return std::nullopt;
  }
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  size_t len = 0;
  while (len < s.size() && !IsAsciiSpace(s[len])) ++len;
  const std::string_view token = s.substr(0, len);
  // Only an ISO date (YYYY-MM-DD...) counts: "date night" is text.
  if (token.size() < 10 || token[4] != '-' || token[7] != '-') {
    return std::nullopt;
  }
  std::optional<int64_t> date = ParseDate(token);
  if (!date) return std::nullopt;
  s.remove_prefix(len);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  text->erase(0, s.data() - text->data());
  return date;
}

void BuildFileDocument(std::string content, bool truncated, std::string id,
                       bool is_html, const ReaderOptions& options,
                       ReadRecord* record) {
  Document& doc = record->doc;
  record->origin = doc.origin;
  if (std::memchr(content.data(), '\0',
                  std::min(content.size(), kBinarySniffBytes)) != nullptr) {
    SetSkip(record, kSkipBinary,
            absl::StrCat("NUL byte in the first ", kBinarySniffBytes,
                         " bytes: not a text file"));
    return;
  }
  doc.id = std::move(id);
  if (options.keep_raw) doc.raw = content;  // The whole file, as it was.
  doc.text = std::move(content);
  doc.flags.truncated = truncated;
  doc.published = TakeDatePrefix(&doc.text);
  if (is_html) {
    if (std::optional<std::string> title = ExtractHtmlTitle(doc.text)) {
      doc.title = *std::move(title);
    }
  }
  const std::string fallback_id = doc.id;
  FinishDocument(options, fallback_id, record);
}

std::unique_ptr<DocumentReader> NewTextReader(
    std::unique_ptr<ByteSource> source, std::string id,
    const ReaderOptions& options) {
  return std::make_unique<TextReader>(std::move(source), std::move(id),
                                      options);
}

}  // namespace storysift::internal
