#include "io/held_copy.h"

#include <cerrno>
#include <memory>

namespace storysift::internal {

bool CopyHeldBytes(std::FILE* held, std::FILE* to) {
  constexpr size_t kChunk = 1 << 20;
  if (std::fflush(held) != 0 || std::fseek(held, 0, SEEK_SET) != 0) return false;
  auto chunk = std::make_unique<char[]>(kChunk);
  while (true) {
    const size_t n = std::fread(chunk.get(), 1, kChunk, held);
    if (n > 0 && std::fwrite(chunk.get(), 1, n, to) != n) return false;
    if (n < kChunk) {
      if (std::ferror(held)) {
        if (errno == 0) errno = EIO;
        return false;
      }
      break;
    }
  }
  return std::fflush(to) == 0;
}

}  // namespace storysift::internal
