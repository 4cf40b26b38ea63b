// Copying a held output (OutputFile::HoldUntilCommit's unnamed temporary
// file) to where it was meant to go.
#ifndef STORYSIFT_IO_HELD_COPY_H_
#define STORYSIFT_IO_HELD_COPY_H_

#include <cstdio>

namespace storysift::internal {

// Copies all of `held` (from its start) to `to` and flushes `to`. False,
// with errno set, on a read or write error.
bool CopyHeldBytes(std::FILE* held, std::FILE* to);

}  // namespace storysift::internal

#endif  // STORYSIFT_IO_HELD_COPY_H_
