// The unit of input: one news article as read from a file, before any text
// processing. Every stage after ingest refers to documents by ordinal
// (position in input order); ordinals break every tie, which keeps output
// deterministic.
#ifndef STORYSIFT_DOCUMENT_H_
#define STORYSIFT_DOCUMENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace storysift {

class RawTail;  // Internal (lib/src/ingest/raw_tail.h): bytes in a temporary file.

// Position of a document in the input, 0-based, in read order.
using DocOrdinal = uint32_t;

// Where a document (or a problem) came from, for messages: a file and a
// 1-based line (0 when the document is a whole file).
struct Origin {
  std::string file;
  uint64_t line = 0;

  // "path:line", or "path" when line is 0.
  std::string ToString() const;
};

// Where a document's id came from.
enum class IdOrigin : uint8_t {
  kRecord,  // The record's own id (an id field, a WARC-Record-ID).
  // None of its own: the reader named the record by where it sits ("file:line",
  // "file:N" for the N-th CSV record, a whole file's path). Unique within a
  // run, but a place, not an article: tomorrow's file at the same path holds
  // other articles at the same places.
  kPosition,
  // kPosition with "#" and 12 hex digits of DocumentContentHash appended
  // (ReaderOptions::content_in_positional_ids), so that the id names this
  // article at this place: what runs that match ids across runs use.
  kPositionAndContent,
};

// Things ingest noticed about a document that did not stop it being read.
struct DocumentFlags {
  bool date_unparsed = false;  // A date field was present but not understood.
  bool utf8_repaired = false;  // Invalid UTF-8 was replaced by U+FFFD.
  // NUL characters (JSON's "\u0000", a 0 byte in CSV or text) were removed
  // from a field: valid input, but no text.
  bool nul_removed = false;
  // Not UTF-8: read as Windows-1252, or as the charset its HTML declares.
  bool transcoded = false;
  bool truncated = false;      // Cut to ReaderOptions::max_doc_bytes.
  IdOrigin id_origin = IdOrigin::kRecord;
};

struct Document {
  std::string id;      // As given, else made by the reader (flags.id_origin).
  std::string title;
  std::string text;    // Body, raw (may hold HTML or Markdown).
  std::string source;
  std::string url;
  std::optional<int64_t> published;  // UTC seconds since the Unix epoch.
  Origin origin;
  DocumentFlags flags;
  // The record exactly as it stood in the input (after decompression, before
  // any decoding), so `dedup --keep-first` can write it back byte for byte:
  // a JSON line or a CSV/TSV record with its line break as it was ("\n",
  // "\r\n", or none at the end of a file), a JSON array element (no line
  // break: it ends at its ',' or ']'), a WARC record, a whole file. Filled
  // only when ReaderOptions::keep_raw is set. "Before any decoding" means
  // before parsing: the byte layer's work is done (decompressed, a byte
  // order mark removed, UTF-16/32 or ReaderOptions::encoding transcoded to
  // UTF-8).
  std::string raw;
  // When a record is larger than memory should hold (a WARC record whose
  // block runs past max_doc_bytes), `raw` holds its first bytes and this
  // the rest, in an unlinked temporary file; null otherwise.
  std::shared_ptr<const RawTail> raw_tail;
  // For CSV/TSV records with `raw`: the header line of the file it came from,
  // with its line break (shared by every record of that file); null
  // otherwise.
  std::shared_ptr<const std::string> raw_header;
  // With `raw`: the record's input began with a byte order mark (UTF-8,
  // UTF-16 or UTF-32), which the byte layer removed.
  bool raw_bom = false;
};

}  // namespace storysift

#endif  // STORYSIFT_DOCUMENT_H_
