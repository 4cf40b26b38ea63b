// Streaming readers for the input formats: JSON lines, CSV with a header, a
// directory of text/HTML/Markdown files, and standard input. Each reader holds
// at most one document in memory at a time.
#ifndef STORYSIFT_READER_H_
#define STORYSIFT_READER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storysift/document.h"

namespace storysift {

enum class InputFormat { kAuto, kJsonl, kCsv, kDirectory, kText };

// Parses "auto", "jsonl" (or "json"), "csv", "dir", "text". InvalidArgument
// otherwise.
absl::StatusOr<InputFormat> ParseInputFormat(std::string_view name);

// Names of the fields (JSON keys or CSV columns) to read. For each, the first
// name present in a record wins.
struct FieldNames {
  std::vector<std::string> id = {"id", "doc_id", "uuid"};
  std::vector<std::string> title = {"title", "headline"};
  std::vector<std::string> text = {"text", "content", "body", "article"};
  std::vector<std::string> date = {"date", "published", "published_at",
                                   "publish_date", "timestamp"};
  std::vector<std::string> source = {"source", "site", "publisher", "subject"};
  std::vector<std::string> url = {"url", "link"};
};

struct ReaderOptions {
  InputFormat format = InputFormat::kAuto;
  FieldNames fields;
  // Documents with a longer body are cut to this many bytes (at a UTF-8
  // boundary) and flagged truncated. 0 means no limit.
  size_t max_doc_bytes = 64u << 20;
  // Lines longer than this are skipped whole (record too large), so one bad
  // line cannot exhaust memory. 0 means no limit.
  size_t max_line_bytes = 256u << 20;
};

// One record out of a reader: either a document, or a skipped record with a
// reason. Every record in the input yields exactly one ReadRecord, which is
// how callers account for every document.
struct ReadRecord {
  Document doc;           // Valid when skip_reason is empty.
  std::string skip_reason;  // Short code, e.g. "invalid_json", "missing_text".
  std::string message;      // Human-readable detail for a skip.
  Origin origin;            // Same as doc.origin for a document.

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

// Opens `path` ("-" for standard input) as the given format. kAuto picks a
// directory reader for directories and otherwise sniffs the first bytes
// ("{" = JSON lines; a header line with a comma = CSV; else one text doc).
// NotFound when the path does not exist.
absl::StatusOr<std::unique_ptr<DocumentReader>> OpenReader(
    std::string_view path, const ReaderOptions& options);

// Reads every record of `paths` in order into *docs and *skipped (appending).
// Convenience for small inputs and tests.
absl::Status ReadAll(const std::vector<std::string>& paths,
                     const ReaderOptions& options, std::vector<Document>* docs,
                     std::vector<ReadRecord>* skipped);

}  // namespace storysift

#endif  // STORYSIFT_READER_H_
