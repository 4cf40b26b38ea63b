// File operations that the commit protocols build on: every write is
// checked (a full disk is an error, never a short file), every file is
// fsync'ed before it is named anywhere, and every rename is followed by an
// fsync of its directory, so what a commit made durable survives a crash or
// power loss.
#ifndef STORYSIFT_STATE_DURABLE_IO_H_
#define STORYSIFT_STATE_DURABLE_IO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace storysift::internal {

// XXH3-64 of `bytes` with the state's fixed seed; what manifests record.
uint64_t StateChecksum(std::string_view bytes);
std::string ChecksumHex(uint64_t checksum);

// NotFound for ENOENT, PermissionDenied for EACCES/EPERM, ResourceExhausted
// for ENOSPC/EDQUOT, else Unavailable; the message is "<what> <path>: <errno
// text>".
absl::Status ErrnoError(int err, std::string_view what, std::string_view path);

// Gives the new file `fd` the permission bits of the file `like` replaces
// (and, best effort, its owner and group: only root can give a file away,
// so a failed chown is ignored), as `sed -i`, editors and rsync do: a file
// its owner made private (0600) stays so when a run replaces it. Nothing
// when `like` is not a regular file (a new output keeps the umask's mode).
// An error only when the mode cannot be set.
absl::Status KeepModeOf(int fd, const std::string& like, const std::string& fd_path);

// The longest file name the directory `dir` takes (NAME_MAX when it
// cannot tell).
size_t NameMaxIn(const std::string& dir);

// `name` + `suffix` when that leaves `reserve` bytes (for what a caller
// appends) within `name_max`; else as much of `name` as fits, cut at a
// UTF-8 character's start, then "~", 16 hex digits of the XXH3 of the whole
// `name`, and `suffix`: a legal name near NAME_MAX still gets its own temp
// or lock file, recognisably its.
std::string FitFileName(const std::string& name, std::string_view suffix, size_t reserve,
                        size_t name_max);

// Creates `path` (which must not exist), writes `contents`, fsyncs and
// closes it. On any error the partial file is removed. `fault_step` names
// the fault points "<step>.half" (half written) and "<step>.synced". With
// `replaces`, the file it replaces lends it its mode (KeepModeOf).
absl::Status WriteNewFileDurably(const std::string& path, std::string_view contents,
                                 std::string_view fault_step, const std::string& replaces = "");

// fsync of a directory, so renames and creations in it are durable.
absl::Status SyncDirectory(const std::string& dir);

// rename(2) then fsync of the target's directory.
absl::Status RenameDurably(const std::string& from, const std::string& to);

// The whole file. NotFound when absent.
absl::StatusOr<std::string> ReadFileBytes(const std::string& path);

// Names in `dir` (not "." or ".."), sorted. Empty when dir is absent.
std::vector<std::string> ListDirectory(const std::string& dir);

// Removes a file or a whole tree; absent is fine.
void RemoveTree(const std::string& path);

}  // namespace storysift::internal

#endif  // STORYSIFT_STATE_DURABLE_IO_H_
