// Fuzzes the markup stripper on its own: any valid UTF-8 (the normalizer
// repairs input before stripping) must strip without crashing, give valid
// UTF-8 back, and link spans that are ordered and inside the output.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/utf8.h"
#include "text/html.h"
#include "text/plain_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace storysift::internal;
  if (size == 0) return 0;
  // The first byte picks the flags; the rest is the text, repaired to the
  // valid UTF-8 StripHtml requires.
  const uint8_t flags = data[0];
  std::string in(reinterpret_cast<const char*>(data + 1), size - 1);
  RepairUtf8(&in);
  std::string out;
  std::vector<ByteSpan> links;
  ScanMarkup(in);
  StripHtml(in, (flags & 1) != 0, &out, &links);
  uint32_t prev_end = 0;
  for (const ByteSpan& s : links) {
    if (s.begin > s.end || s.begin < prev_end || s.end > out.size()) std::abort();
    prev_end = s.end;
  }
  if (!IsCleanUtf8(out)) std::abort();
  CleanPlainText(in, (flags & 2) != 0, &out);
  if (!IsCleanUtf8(out)) std::abort();
  return 0;
}
