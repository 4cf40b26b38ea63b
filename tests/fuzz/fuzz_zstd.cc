// Fuzzes the zstd decoder on damaged input (see fuzz_decompress.h).
#include <cstdint>
#include <string_view>

#include "fuzz_decompress.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  storysift::fuzz::FuzzDecompressor("\\x28\\xb5\\x2f\\xfd", data, size);
  return 0;
}
