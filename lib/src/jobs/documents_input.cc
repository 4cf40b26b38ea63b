// DocumentsInput: documents in memory as a job's input, checked as a reader
// checks a record (UTF-8, blank text skipped), without a file.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ingest/reader_internal.h"
#include "storysift/jobs.h"

namespace storysift {
namespace {

constexpr char kMemoryOrigin[] = "memory";

}  // namespace

InputStream DocumentsInput(std::vector<Document> documents) {
  const ReaderOptions options;
  std::vector<ReadRecord> records(documents.size());
  InputSummary summary{kMemoryOrigin, 0, {}};
  for (size_t i = 0; i < documents.size(); ++i) {
    ReadRecord& record = records[i];
    record.doc = std::move(documents[i]);
    // Documents are numbered from 1 like lines, for messages and blank ids.
    record.doc.origin = {kMemoryOrigin, i + 1};
    if (internal::FinishDocument(options, absl::StrCat(i + 1), &record)) {
      ++summary.documents;
    } else {
      ++summary.skipped_by_reason[record.skip_reason];
    }
  }
  return InputStream::FromRecords(std::move(records), {std::move(summary)});
}

}  // namespace storysift
