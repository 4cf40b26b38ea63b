// Reads a list of inputs (files, directories, "-") one after another, in
// batches of records, for the batch pipeline. Keeps memory bounded by the
// batch size, not the corpus size.
#ifndef STORYSIFT_INPUT_STREAM_H_
#define STORYSIFT_INPUT_STREAM_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/reader.h"

namespace storysift {

// Not thread-safe.
class InputStream {
 public:
  // Checks every path exists before anything is read, so a typo in the last
  // of many inputs fails at once (NotFound naming the path).
  static absl::StatusOr<InputStream> Open(std::vector<std::string> paths,
                                          const ReaderOptions& options);

  // A stream of records already read (`cluster --state` reads the day's
  // input first, to match it against the state's documents, then clusters
  // both). Hands them out in order; never fails.
  static InputStream FromRecords(std::vector<ReadRecord> records);

  // Replaces *records with up to `max_records` records in input order
  // (documents and skipped records interleaved as they occur). Returns false
  // when the inputs are exhausted and nothing was read.
  absl::StatusOr<bool> NextBatch(size_t max_records, std::vector<ReadRecord>* records);

 private:
  InputStream(std::vector<std::string> paths, const ReaderOptions& options)
      : paths_(std::move(paths)), options_(options) {}

  std::vector<std::string> paths_;
  ReaderOptions options_;
  size_t next_path_ = 0;
  std::unique_ptr<DocumentReader> reader_;
  std::vector<ReadRecord> ready_;  // FromRecords: handed out first.
  size_t next_ready_ = 0;
};

}  // namespace storysift

#endif  // STORYSIFT_INPUT_STREAM_H_
