// WARC files (ISO 28500; WARC/1.0 and 1.1), e.g. a Common Crawl segment:
// each `response` record's HTTP payload is one document (HTTP headers
// stripped, chunked transfer coding undone), with WARC-Target-URI as url,
// WARC-Date as the date when the page gives none, and WARC-Record-ID as id.
// Other record types (warcinfo, request, metadata, ...) and responses that
// are not pages (non-2xx status, non-text content) are skipped with a
// reason. Per-record gzip members (.warc.gz) are undone by the byte layer.
#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "ingest/ascii.h"
#include "ingest/raw_tail.h"
#include "ingest/reader_internal.h"
#include "storysift/status_macros.h"

namespace storysift::internal {
namespace {

// Header lines longer than this are damage, not headers.
constexpr size_t kMaxHeaderLine = 64 * 1024;
// The HTTP headers kept beyond max_doc_bytes of body.
constexpr size_t kHeaderSlack = 1 << 20;

// What a record may hold in memory: max_doc_bytes of body and the headers'
// slack (0: no limit). Its raw bytes (keep_raw) beyond that go to disk.
size_t RecordMemoryBytes(const ReaderOptions& options) {
  size_t bytes;
  // A limit beyond what memory holds is none; it must not wrap to a small one.
  if (__builtin_add_overflow(options.max_doc_bytes, kHeaderSlack, &bytes)) return 0;
  return options.max_doc_bytes == 0 ? 0 : bytes;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCaseAscii(s.substr(0, prefix.size()), prefix);
}

// The value of header `name` in `headers` ("Name: value" lines), trimmed.
std::string_view HeaderValue(std::string_view headers, std::string_view name) {
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t end = headers.find('\n', pos);
    if (end == std::string_view::npos) end = headers.size();
    std::string_view line = headers.substr(pos, end - pos);
    pos = end + 1;
    if (line.size() > name.size() && line[name.size()] == ':' &&
        StartsWithIgnoreCase(line, name)) {
      return StripSpace(line.substr(name.size() + 1));
    }
  }
  return {};
}

// Undoes HTTP/1.1 chunked transfer coding (RFC 9112 7.1); on damage keeps
// what was decoded.
std::string Dechunk(std::string_view body) {
  std::string out;
  size_t pos = 0;
  while (pos < body.size()) {
    const size_t eol = body.find('\n', pos);
    if (eol == std::string_view::npos) break;
    std::string_view size_line = StripSpace(body.substr(pos, eol - pos));
    size_line = size_line.substr(0, size_line.find(';'));
    uint64_t size = 0;
    if (!absl::SimpleHexAtoi(absl::string_view(size_line.data(), size_line.size()), &size) ||
        size == 0) {
      break;
    }
    pos = eol + 1;
    out.append(body.substr(pos, std::min<uint64_t>(size, body.size() - pos)));
    pos += size;
    while (pos < body.size() && (body[pos] == '\r' || body[pos] == '\n')) ++pos;
  }
  return out;
}

class WarcReader : public DocumentReader {
 public:
  WarcReader(std::unique_ptr<ByteSource> source, const ReaderOptions& options)
      : source_(std::move(source)), options_(options), raw_(RecordMemoryBytes(options)) {}

  absl::StatusOr<bool> Next(ReadRecord* record) override {
    // Find the version line that starts the next record.
    std::string line;
    uint64_t start_line = 0;
    bool junk = false;
    uint64_t junk_line = 0;
    while (true) {
      // A record's raw bytes start at its version line (kept, with it, when
      // it was read after damage by the last call).
      if (pending_version_.empty()) raw_.Clear();
      absl::StatusOr<bool> got = ReadLine(&line, RawSink());
      if (!got.ok()) return got.status();
      if (!*got) {
        if (!junk) return false;
        ResetRecord(record);
        record->doc.origin = {source_->name(), junk_line};
        record->origin = record->doc.origin;
        SetSkip(record, kSkipInvalidWarc, "bytes that are not a WARC record");
        return true;
      }
      if (line.starts_with("WARC/")) {
        start_line = line_;
        break;
      }
      if (!IsBlank(line) && !junk) {
        junk = true;
        junk_line = line_;
      }
    }
    ResetRecord(record);
    record->doc.origin = {source_->name(), start_line};
    record->origin = record->doc.origin;
    if (junk) {
      // Report the damage before this record; the record itself comes next.
      SetSkip(record, kSkipInvalidWarc, "bytes that are not a WARC record");
      record->doc.origin.line = record->origin.line = junk_line;
      pending_version_ = line;
      return true;
    }
    return ReadRecordAfterVersion(record);
  }

 private:
  absl::StatusOr<bool> ReadRecordAfterVersion(ReadRecord* record) {
    std::string headers;
    std::string line;
    while (true) {
      absl::StatusOr<bool> got = ReadLine(&line, RawSink());
      if (!got.ok()) return got.status();
      if (!*got) {
        SetSkip(record, kSkipInvalidWarc, "input ends inside the WARC headers");
        return true;
      }
      if (line.empty()) break;
      absl::StrAppend(&headers, line, "\n");
    }
    uint64_t length = 0;
    const std::string_view length_value = HeaderValue(headers, "Content-Length");
    if (!absl::SimpleAtoi(absl::string_view(length_value.data(), length_value.size()),
                          &length)) {
      SetSkip(record, kSkipInvalidWarc, "WARC record without a valid Content-Length");
      return true;
    }
    std::string block;
    uint64_t missing = 0;
    bool cut = false;
    if (absl::Status s = ReadBlock(length, &block, &missing, &cut); !s.ok()) return s;
    if (missing > 0) {
      SetSkip(record, kSkipInvalidWarc,
              absl::StrCat("input ends inside a WARC record (", length - missing, " of ",
                           length, " bytes)"));
      return true;
    }
    // Whole, however long: --keep-first writes it back under its own
    // Content-Length.
    if (options_.keep_raw) raw_.MoveTo(&record->doc);
    const std::string type(HeaderValue(headers, "WARC-Type"));
    if (!EqualsIgnoreCaseAscii(type, "response")) {
      SetSkip(record, kSkipWarcNotResponse,
              absl::StrCat("WARC-Type: ", type.empty() ? "(none)" : type));
      return true;
    }
    BuildResponse(headers, std::move(block), cut, record);
    return true;
  }

  void BuildResponse(std::string_view warc_headers, std::string block, bool cut,
                     ReadRecord* record) {
    size_t split = block.find("\r\n\r\n");
    size_t sep = 4;
    if (split == std::string::npos) {
      split = block.find("\n\n");
      sep = 2;
    }
    if (!block.starts_with("HTTP/") || split == std::string::npos) {
      SetSkip(record, kSkipWarcNotPage, "response record without an HTTP response");
      return;
    }
    const std::string http(block.substr(0, split));
    const std::string_view status_line = std::string_view(http).substr(0, http.find('\n'));
    const size_t space = status_line.find(' ');
    const std::string_view code = space == std::string_view::npos
                                      ? std::string_view()
                                      : status_line.substr(space + 1, 3);
    if (code.size() != 3 || code[0] != '2') {
      SetSkip(record, kSkipWarcNotPage,
              absl::StrCat("HTTP status ", ToAbsl(StripSpace(status_line.substr(
                                               std::min(status_line.size(), space + 1))))));
      return;
    }
    const std::string type =
        absl::AsciiStrToLower(ToAbsl(HeaderValue(http, "Content-Type")));
    const bool html = type.empty() || type.find("html") != std::string::npos;
    if (!html && !type.starts_with("text/")) {
      SetSkip(record, kSkipWarcNotPage, absl::StrCat("Content-Type ", type));
      return;
    }
    std::string body = block.substr(split + sep);
    if (absl::AsciiStrToLower(ToAbsl(HeaderValue(http, "Transfer-Encoding"))) == "chunked") {
      body = Dechunk(body);
    }
    // A crawler that kept the payload as sent (wget does; Common Crawl
    // stores it decoded) leaves Content-Encoding: gzip to undo.
    const std::string coding =
        absl::AsciiStrToLower(ToAbsl(HeaderValue(http, "Content-Encoding")));
    if (!coding.empty() && coding != "identity") {
      auto payload = ByteSource::FromString(std::move(body), source_->name());
      std::string decoded;
      bool decoded_cut = false;
      const absl::Status s =
          ReadAllBytes(payload.get(), options_.max_doc_bytes, &decoded, &decoded_cut);
      if (!s.ok() || payload->compression() == Compression::kNone) {
        SetSkip(record, kSkipWarcNotPage,
                s.ok() ? absl::StrCat("unsupported Content-Encoding ", coding)
                       : absl::StrCat("Content-Encoding ", coding, ": ", s.message()));
        return;
      }
      body = std::move(decoded);
      cut |= decoded_cut;
    }
    std::string id(HeaderValue(warc_headers, "WARC-Record-ID"));
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
    const std::string fallback_id = absl::StrCat(ToAbsl(source_->name()), ":", record->origin.line);
    std::string url(HeaderValue(warc_headers, "WARC-Target-URI"));
    if (url.size() >= 2 && url.front() == '<' && url.back() == '>') url = url.substr(1, url.size() - 2);
    std::string raw = std::move(record->doc.raw);
    BuildFileDocument(std::move(body), cut, std::move(id), fallback_id, html, options_, record);
    record->doc.raw = std::move(raw);
    if (record->skipped()) return;
    if (record->doc.url.empty()) record->doc.url = std::move(url);
    if (!record->doc.published) SetDate(HeaderValue(warc_headers, "WARC-Date"), &record->doc);
  }

  // Where a record's raw bytes go: raw_ with keep_raw, else nowhere.
  RawBytesBuilder* RawSink() { return options_.keep_raw ? &raw_ : nullptr; }

  // A line without its "\n" / "\r\n"; lines longer than kMaxHeaderLine are
  // cut (they are damage, and only the start matters to find "WARC/"). Its
  // bytes as they were, terminator included, go to `raw` when set, however
  // long. A pending version line's bytes are there already.
  absl::StatusOr<bool> ReadLine(std::string* line, RawBytesBuilder* raw) {
    if (!pending_version_.empty()) {
      *line = std::move(pending_version_);
      pending_version_.clear();
      return true;
    }
    line->clear();
    bool any = false;
    while (true) {
      absl::StatusOr<bool> more = source_->Fill();
      if (!more.ok()) return more.status();
      if (!*more) break;
      any = true;
      const char* begin = source_->data();
      const char* nl = static_cast<const char*>(std::memchr(begin, '\n', source_->size()));
      const size_t n = nl == nullptr ? source_->size() : nl - begin;
      line->append(begin, std::min(n, kMaxHeaderLine - std::min(kMaxHeaderLine, line->size())));
      const size_t taken = nl == nullptr ? n : n + 1;
      if (raw != nullptr) STORYSIFT_RETURN_IF_ERROR(raw->Append(std::string_view(begin, taken)));
      source_->Consume(taken);
      if (nl != nullptr) break;
    }
    if (!any) return false;
    ++line_;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }

  // Reads a block of `length` bytes, keeping what a document may use (and
  // every byte in raw_ with keep_raw).
  absl::Status ReadBlock(uint64_t length, std::string* block, uint64_t* missing, bool* cut) {
    const uint64_t memory = RecordMemoryBytes(options_);
    const uint64_t keep = memory == 0 ? length : std::min<uint64_t>(length, memory);
    *cut = keep < length;
    uint64_t left = length;
    while (left > 0) {
      absl::StatusOr<bool> more = source_->Fill();
      if (!more.ok()) return more.status();
      if (!*more) break;
      const size_t n = static_cast<size_t>(std::min<uint64_t>(left, source_->size()));
      const char* p = source_->data();
      line_ += static_cast<uint64_t>(std::count(p, p + n, '\n'));
      if (block->size() < keep) {
        block->append(p, static_cast<size_t>(std::min<uint64_t>(n, keep - block->size())));
      }
      if (options_.keep_raw) STORYSIFT_RETURN_IF_ERROR(raw_.Append(std::string_view(p, n)));
      source_->Consume(n);
      left -= n;
    }
    *missing = left;
    return absl::OkStatus();
  }

  std::unique_ptr<ByteSource> source_;
  ReaderOptions options_;
  uint64_t line_ = 0;
  std::string pending_version_;
  // The record's raw bytes so far (keep_raw): its version line, headers and
  // block, the part beyond RecordMemoryBytes on disk.
  RawBytesBuilder raw_;
};

}  // namespace

std::unique_ptr<DocumentReader> NewWarcReader(std::unique_ptr<ByteSource> source,
                                              const ReaderOptions& options) {
  return std::make_unique<WarcReader>(std::move(source), options);
}

}  // namespace storysift::internal
