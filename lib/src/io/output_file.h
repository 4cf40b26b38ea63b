// Output that appears under its final name only when complete: written to a
// temporary file beside the target (its own name per output, so two outputs
// never share one), flushed, fsync'ed and renamed into place by Commit().
// An interrupted run never leaves a half-written result. A symlink is
// followed and its target replaced (the link stays a link); a device node,
// FIFO or socket (/dev/null, a named pipe) is written through directly, and
// a path naming one of the process's descriptors (/dev/stdout, /dev/stderr,
// /dev/fd/N, /proc/self/fd/N, or a symlink to one) is written through that
// descriptor, whatever it is open on: `-o /dev/stdout >> log` appends.
// A file is compressed as its name (as given) asks, CompressionForOutput:
// `out.jsonl.gz` is gzip, `.zst`/`.zstd` zstd, `.xz` xz; standard output
// and descriptor paths are written plain.
#ifndef STORYSIFT_OUTPUT_FILE_H_
#define STORYSIFT_OUTPUT_FILE_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storysift {

class Compressor;

// Not thread-safe. "-" writes to standard output (no rename).
class OutputFile {
 public:
  // Opens a temporary file "<target>.tmp.<pid>.<n>" in the directory of the
  // target (the path with symlinks followed; for a name within ~36 bytes of
  // NAME_MAX, its first bytes, "~" and a hash of the name stand for
  // <target>), or the target itself when it is not a regular file, or a
  // copy of the descriptor the path names. A regular file it replaces lends
  // the temporary its permission bits (and, for root, its owner and group),
  // as `sed -i` does. Returns PermissionDenied / NotFound (with the path)
  // when it cannot, InvalidArgument for a loop of symbolic links (which
  // leads to no file), and Unavailable for a descriptor that is not open.
  static absl::StatusOr<std::unique_ptr<OutputFile>> Open(std::string_view path);

  // Removes the temporary file unless Commit() succeeded.
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Buffered append (compressed on the way when the name asks). Errors
  // are reported by Sync() and Commit().
  void Write(std::string_view data);
  void WriteLine(std::string_view line) {
    Write(line);
    Write("\n");
  }
  // A gzip output: ends the gzip member written so far, so that the next
  // Write() starts another (a .warc.gz holds one member a record). No
  // effect on any other output.
  void EndMember();

  // For an output written straight through (standard output, a pipe, a
  // special file): keeps what is written in an unnamed temporary file until
  // Commit(), so that nothing appears before the caller's own commit (a
  // state's, an index's) has succeeded. A regular file is held by its
  // temporary file anyway. Call before the first Write().
  absl::Status HoldUntilCommit();

  // Ends the compressed stream (when compressing), flushes and fsyncs the
  // temporary file without renaming it, so a caller can learn of a full
  // disk (or a compressor's failure) before it commits anything else (the
  // daily state) and then Commit(). Errors remove the temporary file.
  // Write() must not follow.
  absl::Status Sync();

  // Sync() unless done, then renames into place. Returns an error (and
  // removes the temporary file) if any write failed. Write() must not be
  // called after.
  absl::Status Commit();

  const std::string& path() const { return path_; }

 private:
  OutputFile(std::string path, std::string target, std::string temp_path, std::FILE* file);
  // For messages: "standard output", or the path written.
  std::string OutputName() const;
  // Compresses what is written when path_'s name asks for it.
  absl::Status CompressAsNamed();
  // Writes bytes as they go to the file (already compressed).
  void WriteRaw(std::string_view data);
  // Ends the compressor's stream, once; its error (naming the output) is
  // kept and returned again.
  absl::Status FinishCompressing();
  // After a failed Sync() of a temporary file: removes it.
  void DiscardTempFile();

  std::string path_;
  std::string target_;     // `path_` with symlinks followed.
  std::string temp_path_;  // Empty for standard output and special files.
  std::FILE* file_;
  std::FILE* held_ = nullptr;  // HoldUntilCommit's copy; written instead of file_.
  bool owns_file_;  // False for stdout and stderr.
  std::unique_ptr<char[]> buffer_;  // file_'s stdio buffer (temporary files); outlives it.
  std::unique_ptr<Compressor> compressor_;  // Null when written plain.
  absl::Status compressed_;  // What FinishCompressing() found.
  bool failed_ = false;
  bool synced_ = false;
  bool committed_ = false;
};

// Writes `contents` to `path` atomically (temp file, fsync, rename).
absl::Status WriteFileAtomically(std::string_view path, std::string_view contents);

// `path` with every symlink followed, also when the final target does not
// exist yet ("" stays ""; "-" stays "-").
std::string ResolveOutputPath(std::string_view path);

// True when a and b name the same file: the same inode when both exist,
// else the same path once symlinks are followed and made absolute.
bool SameFile(std::string_view a, std::string_view b);

// Removes "<target>.tmp.*" files (as OutputFile names them, shortened names
// included) that crashed writers of `target` left.
// REQUIRES: the caller holds the lock that every writer of `target` takes
// (e.g. IndexLockPath), so none of them is in use.
void RemoveOrphanTempFiles(const std::string& target);

struct NamedPath {
  std::string flag;  // For messages: "-o", "--report", "the index".
  std::string path;
  // Inputs only: whether the run reads the files below it when it is a
  // directory (a document input), rather than the directory as a whole
  // (a --state directory).
  bool reads_tree = true;
  // Outputs only: written as a directory (a --state directory), not as a
  // file.
  bool directory = false;
};

// Refuses (InvalidArgument naming both flags, or the output and the
// directory) an output that is a loop of symbolic links, an output file
// that cannot be one (an existing directory, with symlinks followed, or a
// path whose parent directory is missing or not a directory: found before
// any work, not at the rename after it), two outputs on one
// file, an output that is also an input, and
// an output that lies inside a directory input (with symlinks followed, as
// the directory's walk follows them, and whether or not it exists yet):
// the next run would read it as input; or inside a directory input read as
// a whole (reads_tree false: a --state directory), whose files it could
// overwrite. "-" (standard output) and each
// descriptor path (/dev/stdout is "-") may appear once, special files
// (/dev/null) any number of times. Outputs that are "" are ignored.
absl::Status CheckOutputPaths(const std::vector<NamedPath>& outputs,
                              const std::vector<NamedPath>& inputs);

}  // namespace storysift

#endif  // STORYSIFT_OUTPUT_FILE_H_
