// Reads the next batch while the current one is worked on, on one thread
// kept for the whole run.
#ifndef STORYSIFT_PIPELINE_AHEAD_READER_H_
#define STORYSIFT_PIPELINE_AHEAD_READER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"

namespace storysift::internal {

// Start() hands `read` to the reader thread; Wait() returns what that call
// returned. A thread of its own for the run, not one per batch (std::async):
// each new thread began with an empty malloc cache, often another arena than
// the buffers it regrew (their frees then waited on that arena's lock), and
// stack pages faulted in again, 40 times in a 20k-document run.
// Start() and Wait() alternate, Start() first; the destructor waits for a
// read in flight. Not copyable.
class AheadReader {
 public:
  explicit AheadReader(std::function<absl::StatusOr<bool>()> read);
  ~AheadReader();
  AheadReader(const AheadReader&) = delete;
  AheadReader& operator=(const AheadReader&) = delete;

  void Start();
  absl::StatusOr<bool> Wait();

 private:
  void Loop();

  const std::function<absl::StatusOr<bool>()> read_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool requested_ = false;  // Start() called, the read not yet begun.
  bool reading_ = false;    // Between the read's start and its result.
  bool stopping_ = false;
  absl::StatusOr<bool> result_;
  std::thread thread_;  // Last: started once the members above exist.
};

}  // namespace storysift::internal

#endif  // STORYSIFT_PIPELINE_AHEAD_READER_H_
