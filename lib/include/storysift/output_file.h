// Output that appears under its final name only when complete: written to a
// temporary file beside the target, flushed, fsync'ed and renamed into place
// by Commit(). An interrupted run never leaves a half-written result.
#ifndef STORYSIFT_OUTPUT_FILE_H_
#define STORYSIFT_OUTPUT_FILE_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storysift {

// Not thread-safe. "-" writes to standard output (no rename).
class OutputFile {
 public:
  // Opens a temporary file "<path>.tmp.<pid>" in the target's directory.
  // Returns PermissionDenied / NotFound (with the path) when it cannot.
  static absl::StatusOr<std::unique_ptr<OutputFile>> Open(std::string_view path);

  // Removes the temporary file unless Commit() succeeded.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Buffered append. Errors are reported by Commit().
  void Write(std::string_view data);
  void WriteLine(std::string_view line) {
    Write(line);
    Write("\n");
  }

  // Flushes, fsyncs and renames into place. Returns an error (and removes the
  // temporary file) if any write failed. Write() must not be called after.
  absl::Status Commit();

  const std::string& path() const { return path_; }

 private:
  OutputFile(std::string path, std::string temp_path, std::FILE* file);

  std::string path_;
  std::string temp_path_;  // Empty for standard output.
  std::FILE* file_;
  bool failed_ = false;
  bool committed_ = false;
};

// Writes `contents` to `path` atomically (temp file, fsync, rename).
absl::Status WriteFileAtomically(std::string_view path, std::string_view contents);

}  // namespace storysift

#endif  // STORYSIFT_OUTPUT_FILE_H_
