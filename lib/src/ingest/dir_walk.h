// The walk of an input directory, shared by the directory reader (which
// reads the files it lists) and the output check (which refuses an output
// that lies in a directory the walk enters), so that the two agree on what a
// run reads. Symlinked directories are followed; each real directory (by
// device and inode) is entered once, so a link loop or a second path to a
// directory is not walked again (nothing under it is lost: it was read by
// its first path, so it is no record, as no record is invented).
#ifndef STORYSIFT_INGEST_DIR_WALK_H_
#define STORYSIFT_INGEST_DIR_WALK_H_

#include <sys/stat.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "storysift/reader.h"

namespace storysift::internal {

struct WalkEntry {
  std::string rel;          // '/'-separated path below the root.
  std::string skip_reason;  // Empty for a file to read; else kSkipUnreadable
                            // for a directory that could not be listed.
  std::string message;      // Why it was skipped, without its own path.
};

// A directory's {device, inode}: what makes two paths one directory.
using DirectoryKey = std::pair<uint64_t, uint64_t>;

inline DirectoryKey KeyOf(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
}

struct TreeWalk {
  // Every file (not only those of a document extension) and skipped
  // directories, in byte order of `rel`.
  std::vector<WalkEntry> entries;
  // Every directory entered, with the path below the root it was entered
  // by ("" for the root itself).
  absl::flat_hash_map<DirectoryKey, std::string> directories;
};

struct TreeWalkOptions {
  // False: directories only (`entries` then holds only skipped directories).
  bool list_files = true;
  // Test seam: called with each directory's path before it is opened, the
  // root's included; a nonzero errno fails that open with it, as the system
  // would (e.g. EACCES, which root itself never meets).
  std::function<int(const std::string& dir)> open_error;
};

// Walks the tree below `root`: real subdirectories first (depth-first, names
// in byte order), then symlinked directories in byte order of their paths,
// each followed unless it leads to a directory entered already. The result
// does not depend on the order the file system lists entries in. A
// subdirectory that cannot be listed is an entry with reason kSkipUnreadable
// and the errno text. NotFound / PermissionDenied / Internal (with the path)
// when the root itself cannot be listed.
absl::StatusOr<TreeWalk> WalkTree(const std::string& root, const TreeWalkOptions& options = {});

// NewDirectoryReader (reader_internal.h) over the walk that `walk` shapes:
// for tests that inject failures.
absl::StatusOr<std::unique_ptr<DocumentReader>> NewDirectoryReader(const std::string& root,
                                                                   const ReaderOptions& options,
                                                                   const TreeWalkOptions& walk);

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_DIR_WALK_H_
