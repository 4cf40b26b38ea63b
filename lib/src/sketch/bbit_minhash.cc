#include "storysift/bbit_minhash.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "storysift/minhash.h"

namespace storysift {
namespace {

template <typename T>
size_t CountEqual(const uint8_t* a, const uint8_t* b, size_t slots) {
  size_t equal = 0;
  for (size_t i = 0; i < slots; ++i) {
    T x, y;
    std::memcpy(&x, a + i * sizeof(T), sizeof(T));
    std::memcpy(&y, b + i * sizeof(T), sizeof(T));
    equal += (x == y);
  }
  return equal;
}

// The low kWidth bytes of each slot, little-endian whatever the host. A
// compile-time width lets the loop vectorize (with the width a variable it
// cost 18 instructions a slot).
template <size_t kWidth>
void TruncateSlots(absl::Span<const uint32_t> sig, uint8_t* out) {
  for (size_t i = 0; i < sig.size(); ++i) {
    const uint32_t v = sig[i];
    for (size_t j = 0; j < kWidth; ++j) out[i * kWidth + j] = static_cast<uint8_t>(v >> (8 * j));
  }
}

}  // namespace

absl::Status ValidateVerifyBits(int bits) {
  if (bits == 8 || bits == 16 || bits == 32) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("verify bits ", bits, " is not one of 8, 16, 32"));
}

void TruncateSignature(absl::Span<const uint32_t> sig, int bits, absl::Span<uint8_t> out) {
  assert(out.size() == static_cast<size_t>(bits / 8) * sig.size());
  switch (bits) {
    case 8: TruncateSlots<1>(sig, out.data()); break;
    case 16: TruncateSlots<2>(sig, out.data()); break;
    default: TruncateSlots<4>(sig, out.data()); break;
  }
  if (bits < 32 && !sig.empty() && IsEmptyVerifyRow(out) && !IsEmptySignature(sig)) {
    out[0] &= 0xFE;  // Keep "all ones" for the empty set only.
  }
}

bool IsEmptyVerifyRow(absl::Span<const uint8_t> row) {
  return std::all_of(row.begin(), row.end(), [](uint8_t b) { return b == 0xFF; });
}

double EstimateJaccardBbit(absl::Span<const uint8_t> a, absl::Span<const uint8_t> b, int bits) {
  const size_t width = static_cast<size_t>(bits / 8);
  assert(a.size() == b.size() && !a.empty() && a.size() % width == 0);
  if (IsEmptyVerifyRow(a) || IsEmptyVerifyRow(b)) return 0.0;
  const size_t k = a.size() / width;
  size_t equal = 0;
  switch (bits) {
    case 8: equal = CountEqual<uint8_t>(a.data(), b.data(), k); break;
    case 16: equal = CountEqual<uint16_t>(a.data(), b.data(), k); break;
    default: equal = CountEqual<uint32_t>(a.data(), b.data(), k); break;
  }
  const double p = static_cast<double>(equal) / static_cast<double>(k);
  if (bits >= 32) return p;  // Exactly EstimateJaccard.
  const double c = 1.0 / static_cast<double>(uint32_t{1} << bits);
  return std::clamp((p - c) / (1.0 - c), 0.0, 1.0);
}

}  // namespace storysift
