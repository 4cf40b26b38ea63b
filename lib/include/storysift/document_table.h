// What a job keeps of each document it read, by ordinal (processed
// documents in input order), and where every input record stood: the part
// of a run the writers, the views and the Python binding read. The sketches
// and vectors a job computes stay inside the library.
#ifndef STORYSIFT_DOCUMENT_TABLE_H_
#define STORYSIFT_DOCUMENT_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "storysift/copy_grouper.h"
#include "storysift/document.h"
#include "storysift/normalize.h"

namespace storysift {

// One input record's place: a processed document's ordinal, or the index of
// a skipped record in RunReport (skipped_origin / skipped_reason).
struct InputEntry {
  bool skipped = false;
  uint32_t index = 0;
};

// Plain vectors by ordinal; the optional ones are empty unless the job was
// asked to keep them (their size is then num_docs()).
struct DocumentTable {
  std::vector<std::string> ids;          // As given by the input.
  std::vector<DocMeta> meta;             // Publication time, token count.
  std::vector<std::string> titles;       // Optional: story headlines.
  std::vector<NormalizedText> texts;     // Optional: shared passages, --explain.
  std::vector<Document> documents;       // Optional: views, --state, the report.
  std::vector<InputEntry> input_order;   // Every record read, in input order.

  size_t num_docs() const { return ids.size(); }
};

}  // namespace storysift

#endif  // STORYSIFT_DOCUMENT_TABLE_H_
