// The output paths' checks (CheckOutputPaths, output_file.h) and the few
// questions about a path that OutputFile::Open asks too: which descriptor
// it names, whether it is a special file or a loop of symbolic links.
#ifndef STORYSIFT_IO_OUTPUT_PATHS_H_
#define STORYSIFT_IO_OUTPUT_PATHS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace storysift::internal {

// The directory part of `path` ("." for a bare name, "/" for the root's).
std::string ParentOf(const std::string& path);

// Whether `path` exists as a device node, FIFO or socket (written through,
// never renamed over).
bool IsSpecialFile(const std::string& path);

// The descriptor of this process that `path` names, or -1 for any other
// path: 1 for "-" and /dev/stdout, 2 for /dev/stderr, N for /dev/fd/N and
// /proc/self/fd/N (also as /proc/<pid>/...), and the same for a symlink to
// one of them. Decided on the name, not on what the descriptor is open on:
// a shell's `>> log` or `| cat` behind /dev/stdout is the caller's to keep.
int DescriptorPath(std::string_view path);

// Whether `path`, or a directory on its way, is a loop of symbolic links
// (self.jsonl -> self.jsonl, a -> b -> a): it leads to no file to write or
// replace, and renaming over it would replace the link with a file.
bool IsSymlinkLoop(const std::string& path);

// InvalidArgument naming `flag` (may be empty) and `path` as such a loop.
absl::Status SymlinkLoopError(const std::string& flag, const std::string& path);

}  // namespace storysift::internal

#endif  // STORYSIFT_IO_OUTPUT_PATHS_H_
