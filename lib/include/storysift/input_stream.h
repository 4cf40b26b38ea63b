// Reads a list of inputs (files, directories, "-") one after another, in
// batches of records, for the batch pipeline. Keeps memory bounded by the
// batch size, not the corpus size.
#ifndef STORYSIFT_INPUT_STREAM_H_
#define STORYSIFT_INPUT_STREAM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storysift/reader.h"
#include "storysift/report.h"

namespace storysift {

// How far reading has got, for a progress meter on another thread: the
// counters are atomics, safe to read while the stream is read.
struct InputProgress {
  std::atomic<int64_t> bytes_read{0};  // Raw file bytes (compressed if so).
  std::atomic<int64_t> records{0};     // Documents and skipped records.
  // Sum of the input files' sizes when every input is a regular file (so an
  // ETA can be given); -1 otherwise (stdin, directories).
  int64_t total_bytes = -1;
};

// Not thread-safe (except progress(), see above).
class InputStream {
 public:
  // Checks every path exists before anything is read, so a typo in the last
  // of many inputs fails at once (NotFound naming the path).
  // InvalidArgument when options.encoding is not a known encoding. The
  // first `own_inputs` paths are storysift's own files (e.g. a state's
  // documents), always UTF-8: options.encoding is not applied to them.
  static absl::StatusOr<InputStream> Open(std::vector<std::string> paths,
                                          const ReaderOptions& options,
                                          size_t own_inputs = 0);

  // A stream of records already read (`cluster --state` reads the day's
  // input first, to match it against the state's documents, then clusters
  // both). Hands them out in order; never fails. `summaries` are what the
  // inputs they came from yielded, for the empty-input checks.
  static InputStream FromRecords(std::vector<ReadRecord> records,
                                 std::vector<InputSummary> summaries = {});

  // Replaces *records with up to `max_records` records in input order
  // (documents and skipped records interleaved as they occur). Returns false
  // when the inputs are exhausted and nothing was read.
  absl::StatusOr<bool> NextBatch(size_t max_records, std::vector<ReadRecord>* records);

  // What each input opened so far yielded, in input order.
  const std::vector<InputSummary>& summaries() const { return summaries_; }
  const InputProgress& progress() const { return *progress_; }

 private:
  InputStream(std::vector<std::string> paths, const ReaderOptions& options,
              size_t own_inputs, std::unique_ptr<InputProgress> progress)
      : paths_(std::move(paths)),
        options_(options),
        own_inputs_(own_inputs),
        progress_(std::move(progress)) {
    options_.bytes_read = &progress_->bytes_read;
  }

  std::vector<std::string> paths_;
  ReaderOptions options_;
  size_t own_inputs_;
  std::unique_ptr<InputProgress> progress_;  // Stable address across moves.
  size_t next_path_ = 0;
  std::unique_ptr<DocumentReader> reader_;
  std::vector<ReadRecord> ready_;  // FromRecords: handed out first.
  size_t next_ready_ = 0;
  std::vector<InputSummary> summaries_;
};

}  // namespace storysift

#endif  // STORYSIFT_INPUT_STREAM_H_
