// Streaming readers for the input formats: JSON lines, JSON arrays, CSV or
// TSV with a header, WARC, a directory tree of any of them, and standard
// input; each possibly gzip/zstd/xz-compressed and in UTF-16/32 or another
// encoding. Each reader holds at most one document in memory at a time.
#ifndef STORYSIFT_READER_H_
#define STORYSIFT_READER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storysift/document.h"

namespace storysift {

enum class InputFormat { kAuto, kJsonl, kCsv, kTsv, kDirectory, kText, kWarc };

// Parses "auto", "jsonl" (or "json": lines or one array), "csv", "tsv",
// "dir", "text", "warc". InvalidArgument otherwise.
absl::StatusOr<InputFormat> ParseInputFormat(std::string_view name);

// Names of the fields (JSON keys or CSV columns, the latter matched
// case-insensitively) to read. For each, the first name present in a record
// wins; a JSON null counts as absent. In JSON a name may be a dotted path
// into nested objects ("meta.date", "source.name"). JSON numbers are
// accepted for id (12 -> "12") and date (epoch seconds).
struct FieldNames {
  std::vector<std::string> id = {"id", "doc_id", "docid", "uuid", "_id", "guid", "article_id"};
  std::vector<std::string> title = {"title", "headline", "heading"};
  std::vector<std::string> text = {"text", "content", "body", "article", "articleBody",
                                   "article_body", "full_text", "fulltext", "maintext",
                                   "story", "description", "summary"};
  std::vector<std::string> date = {
      "date", "published", "published_at", "publishedAt", "publish_date", "pubDate",
      "pub_date", "publication_date", "datePublished", "date_published", "created_at",
      "createdAt", "created", "timestamp", "datetime"};
  std::vector<std::string> source = {"source", "site", "publisher", "subject",
                                     "source_name", "source.name", "domain"};
  std::vector<std::string> url = {"url", "link", "href", "uri", "permalink",
                                  "canonical_url"};
  // Names the user gave explicitly (e.g. --title-field), instead of the field
  // being silently absent: a JSON input in which no record has one of them
  // fails at its end with InvalidArgument listing the fields it does have; a
  // CSV/TSV header without one of them is an error listing its columns.
  std::vector<std::string> required;
};

struct ReaderOptions {
  InputFormat format = InputFormat::kAuto;
  FieldNames fields;
  // Documents with a longer body are cut to this many bytes (at a UTF-8
  // boundary) and flagged truncated. 0 means no limit.
  size_t max_doc_bytes = 64u << 20;
  // JSON lines (and CSV records) longer than this are skipped whole
  // ("line_too_long") without being held in memory. 0 means no limit.
  size_t max_line_bytes = 256u << 20;
  // Fill Document::raw (and raw_header) with each record's original bytes.
  bool keep_raw = false;
  // For runs that match ids across runs (cluster --state, an index): a
  // record without an id of its own gets its positional id followed by "#"
  // and 12 hex digits of its DocumentContentHash (story_state.h), e.g.
  // "crawl/feed.jsonl:3#5f0c2a9e41d7" (IdOrigin::kPositionAndContent). The
  // same record read again gets the same id; another article at the same
  // place (tomorrow's feed.jsonl, line 3) gets another one, instead of being
  // taken for the stored one and replacing it.
  bool content_in_positional_ids = false;
  // iconv name of the inputs' encoding (e.g. "windows-1252"); empty = UTF-8.
  // A byte order mark (UTF-8/16/32) overrides it; BOM-less UTF-16 is
  // recognised by its NUL bytes.
  std::string encoding;
  // When set, bytes read from input files (before decompression) are added
  // here, e.g. for a progress meter on another thread.
  std::atomic<int64_t>* bytes_read = nullptr;
};

// OK when `name` is an encoding iconv can convert to UTF-8; InvalidArgument
// (listing examples) otherwise.
absl::Status CheckEncoding(const std::string& name);

// Skip reason codes (ReadRecord::skip_reason). Stable: reports key on them.
inline constexpr char kSkipInvalidJson[] = "invalid_json";    // JSONL
inline constexpr char kSkipNotObject[] = "not_object";        // JSONL
inline constexpr char kSkipMissingText[] = "missing_text";    // JSONL
inline constexpr char kSkipEmptyText[] = "empty_text";        // all
inline constexpr char kSkipLineTooLong[] = "line_too_long";   // JSONL, CSV
inline constexpr char kSkipBinary[] = "binary";               // JSONL, files
inline constexpr char kSkipBadColumns[] = "bad_columns";      // CSV
inline constexpr char kSkipUnbalancedQuote[] = "unbalanced_quote";  // CSV
// Every record of a CSV/TSV file whose header has no text column (typically
// a file without a header row): that file's records only, the run goes on.
inline constexpr char kSkipNoTextColumn[] = "no_text_column";       // CSV
// cluster --state: a record followed by a later one with the same id in
// the same input (the state keeps one document per id, the last).
inline constexpr char kSkipSupersededId[] = "superseded_id";
// cluster --state: a record whose id the state holds with the same content
// (the day run again, a feed repeating earlier items), or held so in a story
// since archived: not read again. Counted, so that every record of the input
// is accounted for, but nothing of it is lost: --strict passes them and the
// summary's list of skipped records leaves them out (IsRepeatSkip).
inline constexpr char kSkipUnchanged[] = "unchanged";
inline constexpr char kSkipArchivedUnchanged[] = "archived_unchanged";
inline bool IsRepeatSkip(std::string_view reason) {
  return reason == kSkipUnchanged || reason == kSkipArchivedUnchanged;
}
// A file, or a subdirectory, of a directory input that cannot be read.
inline constexpr char kSkipUnreadable[] = "unreadable";       // directory
// A file of a directory input whose name says no format and whose content
// is not records (JSON, CSV/TSV with a text column, WARC): not read, but
// counted (e.g. a README, a .bz2 file). Hidden ones are not records.
inline constexpr char kSkipUnrecognisedFile[] = "unrecognised_file";  // directory
inline constexpr char kSkipInvalidWarc[] = "invalid_warc";    // WARC
inline constexpr char kSkipWarcNotResponse[] = "warc_not_response";  // WARC
inline constexpr char kSkipWarcNotPage[] = "warc_not_page";   // WARC

// One record out of a reader: either a document, or a skipped record with a
// reason. Every record in the input yields exactly one ReadRecord, which is
// how callers account for every document. (Blank JSON lines and blank CSV
// lines are not records.)
struct ReadRecord {
  Document doc;           // Valid when skip_reason is empty.
  std::string skip_reason;  // One of the kSkip* codes above.
  std::string message;      // Human-readable detail for a skip.
  Origin origin;            // Where the record starts; = doc.origin.

  bool skipped() const { return !skip_reason.empty(); }
};

// Reads documents one at a time. Not thread-safe.
class DocumentReader {
 public:
  virtual ~DocumentReader() = default;

  // Fills *record with the next record and returns true, or returns false at
  // the end of input. Returns an error only for problems that stop the whole
  // input (NotFound, PermissionDenied, an I/O error); a bad record is a
  // skipped ReadRecord, not an error.
  virtual absl::StatusOr<bool> Next(ReadRecord* record) = 0;
};

// Opens `path` ("-" for standard input, named "stdin" in ids and origins)
// as the given format. Compression (gzip, zstd, xz) is recognised by its
// magic bytes, in files and pipes alike. kAuto picks the directory reader
// for a directory (every file below it, recursively: one of a known
// extension by it, any other by its content when that is records, else an
// unrecognised_file skip; hidden ones only for their records),
// then goes by extension, ignoring a trailing .gz/.zst/.xz (.jsonl .json
// .ndjson; .csv; .tsv; .warc; .txt .text .html .htm .md = one text
// document), and otherwise sniffs the first line ("{" or "[" = JSON;
// "WARC/" = WARC; a header of short tab- or comma-separated names including
// a text column = TSV or CSV; else one text document). JSON input whose
// first non-space byte is "[" is read as one array of records, streamed.
// Sniffing works on pipes.
// Errors: NotFound when the path does not exist; PermissionDenied;
// InvalidArgument for a directory with a file format or vice versa. A CSV
// or TSV whose header lacks a `required` field fails on the first Next()
// with InvalidArgument; one whose header has no text column yields each of
// its records skipped as "no_text_column".
//
// Ids: JSONL/CSV/TSV/WARC records without one get "<path>:<line>" (JSONL,
// WARC; "<path>:<line>#<k>" for the k-th array element starting on one line)
// or "<path>:<record number>" (CSV/TSV), where <path> is the input as given
// ("stdin"), or for a file found in a directory input the directory as given
// joined with the file's path below it, so ids are unique within a run; text
// files in a directory get their relative path ('/'-separated), a text file
// named as an input its path as given (IdOrigin::kPosition; with
// ReaderOptions::content_in_positional_ids the content's hash follows). Directory
// and text files that start with "date YYYY-MM-DD" get that date, and lose
// that prefix. An HTML page (an .html/.htm file, or a record body starting
// with '<') gives a record without them its title, date and canonical URL
// (og:title/<title>, article:published_time/JSON-LD/<time>, rel=canonical/
// og:url). Text that is not UTF-8 is read as the charset an HTML page
// declares, else as Windows-1252 (DocumentFlags::transcoded).
absl::StatusOr<std::unique_ptr<DocumentReader>> OpenReader(
    std::string_view path, const ReaderOptions& options);

// Reads every record of `paths` in order into *docs and *skipped (appending).
// Convenience for small inputs and tests.
absl::Status ReadAll(const std::vector<std::string>& paths,
                     const ReaderOptions& options, std::vector<Document>* docs,
                     std::vector<ReadRecord>* skipped);

}  // namespace storysift

#endif  // STORYSIFT_READER_H_
