// Fuzzes ParseDate: any accepted date lies in 1800..2200 and survives a
// FormatDate -> ParseDate round trip.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "storysift/date.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace storysift;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<int64_t> t = ParseDate(text);
  if (!t) return 0;
  constexpr int64_t kMin = -5364662400;  // 1800-01-01T00:00:00Z
  constexpr int64_t kMax = 7289654399;   // 2200-12-31T23:59:59Z
  if (*t < kMin || *t > kMax || ParseDate(FormatDate(*t)) != t) {
    std::fprintf(stderr, "bad date %lld\n", static_cast<long long>(*t));
    std::abort();
  }
  return 0;
}
