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

#include <string>

#include "storysift/copy_grouper.h"
#include "storysift/corpus.h"
#include "storysift/output_file.h"

namespace storysift {

std::string_view CopyRoleName(CopyRole role);

struct DedupWriterOptions {
  // Add "shared_passages": the longest passages a copy shares with its
  // representative. REQUIRES: the corpus kept its texts.
  bool explain = false;
  int max_passages = 3;
};

// One line per input record, in input order (see the schema above).
void WriteDedupLines(const Corpus& corpus, const CopyGroups& groups,
                     const DedupWriterOptions& options, OutputFile* out);

// "id_a<TAB>id_b<TAB>similarity" per verified pair with a header line: the
// same shape as the gold pair files, so `storysift eval` and `tune` read it.
// Tabs and newlines inside ids are written as spaces.
void WritePairsTsv(const Corpus& corpus, const CopyGroups& groups, OutputFile* out);

// Writes documents as JSON lines with the fields id, title, text, date,
// source, url (empty ones left out).
std::string DocumentJsonLine(const Document& doc);
// Writes documents as one RFC 4180 CSV row (id,title,text,date,source,url).
std::string DocumentCsvRow(const Document& doc);
inline constexpr std::string_view kDocumentCsvHeader = "id,title,text,date,source,url";

}  // namespace storysift

#endif  // STORYSIFT_DEDUP_WRITER_H_
