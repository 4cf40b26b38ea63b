// Writers for `storysift dedup`: one JSON line per input record in input
// order, the verified pairs as TSV, and the deduplicated corpus itself.
//
// Dedup line schema (stable):
//   {"id":"a17","cluster_id":"a03","representative_id":"a03",
//    "similarity":0.91,"role":"copy"}
// role is "original" (representative of a group of 2+), "copy", "unique", or
// "skipped" for a record that could not be read, which then carries
// "reason" and "origin" instead of the cluster fields.
#ifndef STORYSIFT_DEDUP_WRITER_H_
#define STORYSIFT_DEDUP_WRITER_H_

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storysift/copy_grouper.h"
#include "storysift/document_table.h"
#include "storysift/report.h"
#include "io/output_file.h"

namespace storysift {

std::string_view CopyRoleName(CopyRole role);

struct DedupWriterOptions {
  // Add "shared_passages": the longest passages a copy shares with its
  // representative. REQUIRES: the corpus kept its texts.
  bool explain = false;
  int max_passages = 3;
  // Threads formatting the lines (0: one per core); they are written in
  // order either way.
  int threads = 1;
};

// One line per input record, in input order (see the schema above):
// documents.input_order, with the skipped records' reasons from `report`.
void WriteDedupLines(const DocumentTable& documents, const RunReport& report,
                     const CopyGroups& groups, const DedupWriterOptions& options,
                     OutputFile* out);
// The same lines, each handed to `write_line` without its line break (the
// Python binding and the distributed dedup's last step).
void WriteDedupLines(const DocumentTable& documents, const RunReport& report,
                     const CopyGroups& groups, const DedupWriterOptions& options,
                     const std::function<void(std::string_view)>& write_line);

// "id_a<TAB>id_b<TAB>similarity" per verified pair with a header line: the
// same shape as the gold pair files, so `storysift eval` and `tune` read it.
// Ids are escaped as io/tsv_field.h says (a tab as \t, a line feed as \n,
// a carriage return as \r, a backslash as \\, a leading # as \#), so any id
// reads back.
// `ids` are the document ids by ordinal.
void WritePairsTsv(const std::vector<std::string>& ids, const CopyGroups& groups,
                   OutputFile* out);

// Writes documents as JSON lines with the fields id, title, text, date,
// source, url (empty ones left out).
std::string DocumentJsonLine(const Document& doc);
// Writes documents as one RFC 4180 CSV row (id,title,text,date,source,url).
std::string DocumentCsvRow(const Document& doc);
inline constexpr std::string_view kDocumentCsvHeader = "id,title,text,date,source,url";

// The original bytes of every processed record (Document::raw, read with
// ReaderOptions::keep_raw), kept in an anonymous temporary file while a
// corpus is read, so `dedup --keep-first` can write the kept records back
// byte for byte without holding the corpus in memory (8 bytes a record in
// memory). What is written:
//   - CSV/TSV records: their header line once, then each record as it was;
//   - JSON lines: each line as it was, its line break (LF or CRLF) included;
//   - a JSON array element: on one line (its line breaks become spaces);
//   - whole-file documents (Origin::line == 0: a text/HTML/Markdown file or
//     a directory's files), which cannot be a line: DocumentJsonLine, so
//     they mix with JSON lines;
//   - a record without raw bytes: DocumentJsonLine as well;
//   - a WARC record, ended by "\r\n\r\n" as ISO 28500 ends one, whole
//     however large (Document::raw_tail: copied from disk to disk).
// The output is UTF-8 (what the byte layer made of the input) and starts
// with a UTF-8 byte order mark when the input of the first record written
// began with a byte order mark (Document::raw_bom).
// A line read without a line break (an array element, a document made a
// line, the last line of a file that has none) gets the line break written
// last (the CSV header's, or LF), so a CRLF input gives a CRLF output.
// CSV/TSV records cannot mix with anything else, nor two different headers:
// Add() fails with InvalidArgument naming both origins.
// Not thread-safe; Add() is called in ordinal order.
class RawRecordSpool {
 public:
  // Internal (with strerror) when no temporary file can be made.
  static absl::StatusOr<std::unique_ptr<RawRecordSpool>> Create();
  ~RawRecordSpool();
  RawRecordSpool(const RawRecordSpool&) = delete;
  RawRecordSpool& operator=(const RawRecordSpool&) = delete;

  // Spools the next document (ordinal = number of Add() calls so far).
  absl::Status Add(const Document& doc);
  // Writes the header (CSV/TSV) and every record whose ordinal `keep`
  // accepts, in ordinal order, one per line (`out` compresses them as its
  // name asks; in a .warc.gz a WARC record is one gzip member each).
  // Internal on a read error (a compressor's is out->Commit()'s);
  // InvalidArgument, before writing anything, when a kept record is a
  // whole-file document whose text was cut to max_doc_bytes (its fields
  // are all that is left of it, so it cannot be written whole).
  absl::Status WriteKept(const std::function<bool(DocOrdinal)>& keep, OutputFile* out);

 private:
  struct CutRecord {
    DocOrdinal ordinal;
    std::string origin;
  };

  explicit RawRecordSpool(std::FILE* file) : file_(file) {}
  absl::Status CheckKeptAreWhole(const std::function<bool(DocOrdinal)>& keep) const;

  std::FILE* file_;
  std::vector<uint64_t> offsets_ = {0};  // Record i is [offsets_[i], offsets_[i+1]).
  std::vector<bool> bom_;                // Record i's input began with a BOM.
  std::vector<CutRecord> cut_records_;   // Whole-file documents cut when read.
  std::shared_ptr<const std::string> header_;  // Of the CSV/TSV records.
  std::string first_origin_;                   // Of the first record, for messages.
  int first_shape_ = 0;                         // raw_spool.cc's Shape of the first record.
};

}  // namespace storysift

#endif  // STORYSIFT_DEDUP_WRITER_H_
