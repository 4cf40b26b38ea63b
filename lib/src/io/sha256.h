// SHA-256 (FIPS 180-4) for the report's Content-Security-Policy hashes: the
// browser runs the inline script and style only when their digests match.
#ifndef STORYSIFT_IO_SHA256_H_
#define STORYSIFT_IO_SHA256_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace storysift::internal {

std::array<uint8_t, 32> Sha256(std::string_view data);

}  // namespace storysift::internal

#endif  // STORYSIFT_IO_SHA256_H_
