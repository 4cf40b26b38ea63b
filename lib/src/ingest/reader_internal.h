// Private interface between the reader implementations: factories for each
// format and the document post-processing they share.
#ifndef STORYSIFT_INGEST_READER_INTERNAL_H_
#define STORYSIFT_INGEST_READER_INTERNAL_H_

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ingest/byte_source.h"
#include "storysift/reader.h"

namespace storysift::internal {

// Bytes at the start of a file that are checked for NUL ("binary").
inline constexpr size_t kBinarySniffBytes = 8192;

// JSON lines, or a JSON array when the first non-space byte is '['.
std::unique_ptr<DocumentReader> NewJsonlReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options);
std::unique_ptr<DocumentReader> NewJsonArrayReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options);
std::unique_ptr<DocumentReader> NewWarcReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options);
std::unique_ptr<DocumentReader> NewCsvReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options);
std::unique_ptr<DocumentReader> NewTsvReader(
    std::unique_ptr<ByteSource> source, const ReaderOptions& options);
// One document: the whole input. `id` is its id.
std::unique_ptr<DocumentReader> NewTextReader(
    std::unique_ptr<ByteSource> source, std::string id,
    const ReaderOptions& options);
// Lists the files under `root` now. NotFound / PermissionDenied / Internal.
absl::StatusOr<std::unique_ptr<DocumentReader>> NewDirectoryReader(
    const std::string& root, const ReaderOptions& options);

// Reads `file` (not owned, need not be seekable) named `name` (e.g.
// "stdin"). With kAuto the format is sniffed from the first line.
// InvalidArgument for kDirectory.
absl::StatusOr<std::unique_ptr<DocumentReader>> OpenReaderFromStream(
    FILE* file, std::string name, const ReaderOptions& options);

// Opens the file `path` (not a directory) as `format`, kAuto going by
// extension and then by content. NotFound / PermissionDenied / Internal.
absl::StatusOr<std::unique_ptr<DocumentReader>> OpenFileReader(
    const std::string& path, InputFormat format, const ReaderOptions& options);

// A file of a directory input whose name says no format: opened when its
// content is JSON (lines or an array), CSV/TSV with a text column or WARC
// (after decompression and decoding, as a named file is sniffed); otherwise
// nullptr, with *why_not saying why it is not read. NotFound /
// PermissionDenied / Internal, or the byte layer's error for damaged
// compressed data.
absl::StatusOr<std::unique_ptr<DocumentReader>> OpenIfRecordFile(const std::string& path,
                                                                 const ReaderOptions& options,
                                                                 std::string* why_not);

// kJsonl, kCsv, kTsv, kWarc or kText for the first bytes of an input (see
// OpenReader).
InputFormat SniffFormat(std::string_view prefix, const FieldNames& fields);

// The format an extension names (ignoring .gz/.zst/.xz), or kAuto.
InputFormat FormatFromExtension(std::string_view path);
// `path` without a trailing .gz/.zst/.zstd/.xz ("a.html.gz" -> "a.html").
std::string_view StripCompressionSuffix(std::string_view path);
// Whether `path` (after StripCompressionSuffix) ends in .html or .htm.
bool IsHtmlPath(std::string_view path);

// The byte layer's options from the reader's.
ByteSourceOptions SourceOptions(const ReaderOptions& options);

// The last path component ("a/b.jsonl" -> "b.jsonl").
std::string_view Basename(std::string_view path);

// Clears *record for reuse, keeping string capacity.
void ResetRecord(ReadRecord* record);
// Sets the record's and its document's origin, reusing their buffers.
void SetOrigin(std::string_view file, uint64_t line, ReadRecord* record);
void SetSkip(ReadRecord* record, std::string_view reason,
             std::string message);

// Parses `value` into doc->published, or sets flags.date_unparsed.
void SetDate(std::string_view value, Document* doc);

// What a reader knows of its fields' bytes before FinishDocument.
enum class FieldBytes {
  kUnchecked,  // Anything: each field is checked and made UTF-8.
  // Valid UTF-8 but for NUL bytes (a parsed JSON string: simdjson validated
  // it and "\u0000" is the only way in for a NUL): only fields holding a
  // NUL go through MakeUtf8, the rest skip its validation pass.
  kValidUtf8,
};

// Makes every text field UTF-8 (MakeUtf8: Windows-1252 where it is not), truncates the body to
// options.max_doc_bytes, gives a blank id `fallback_id` (the record's place:
// IdOrigin::kPosition, with its content's hash under
// options.content_in_positional_ids) and checks the text is not blank.
// Returns true if the document is good; otherwise sets an "empty_text" skip
// on *record. REQUIRES: record->doc.origin is set.
bool FinishDocument(const ReaderOptions& options, std::string_view fallback_id,
                    ReadRecord* record, FieldBytes fields = FieldBytes::kUnchecked);

// A kPosition id made kPositionAndContent: ContentIdSuffix(*doc) appended.
// Call once the fields are final. Does nothing to any other id, so it may be
// called again.
void AddContentToPositionalId(Document* doc);
// "#" and the first 12 hex digits of DocumentContentHash(doc).
std::string ContentIdSuffix(const Document& doc);

// The id storysift before session 22 gave a kPosition or
// kPositionAndContent document: the base name of its file in place of the
// path ("feed.jsonl:3" for "crawl/d1/feed.jsonl:3#..."), without the
// content's hash. States and indexes written then hold such ids; the same
// content under it is the same article. "" for a kRecord id.
std::string LegacyPositionalId(const Document& doc);

// Fills doc's empty title, missing date and empty url from the HTML page
// in doc->text (ExtractPageMetadata).
void FillFromPageMetadata(Document* doc);

// Turns the contents of a whole file into record->doc: binary check, the
// charset an HTML file declares (when it is not UTF-8), the
// "date YYYY-MM-DD" first line, the page metadata, then FinishDocument with
// `id` (may be empty) and `fallback_id`. `truncated` says `content` was
// already cut while reading.
void BuildFileDocument(std::string content, bool truncated, std::string id,
                       std::string_view fallback_id, bool is_html,
                       const ReaderOptions& options, ReadRecord* record);

// Reads the rest of `source` into *out, keeping at most max_bytes + 3 (0 =
// all; the slack lets FinishDocument cut at a code point boundary) and
// discarding the remainder; *truncated says whether any was discarded.
absl::Status ReadAllBytes(ByteSource* source, size_t max_bytes,
                          std::string* out, bool* truncated);

// The date header a whole file may start with (after whitespace): "date"
// or "Date:", blanks, then a word that starts as an ISO date does
// (YYYY-MM-DD; "2017-03-02T10:00:00Z" too); nullopt for any other start.
struct DateHeader {
  std::string_view date;  // The word, as written: it may be no real date.
  size_t end = 0;         // Where the text after it and its blanks begins.
};
std::optional<DateHeader> FindDateHeader(std::string_view text);

// If doc->text starts with a date header (FindDateHeader), removes it and
// sets doc->published, or flags.date_unparsed when its date is not a real
// one (2017-02-30, outside 1800..2200).
void TakeDatePrefix(Document* doc);

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_READER_INTERNAL_H_
