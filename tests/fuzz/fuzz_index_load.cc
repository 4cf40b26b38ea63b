// Fuzzes Deduplicator::LoadFromString on arbitrary bytes, and once more with
// the section checksums repaired so mutations reach the parser behind them.
// A file that loads must save back to the very same bytes and load again.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "storysift/deduplicator.h"
#include "stream/index_format.h"
#include "stream/section_file.h"

namespace {

using storysift::fuzz::Check;
using storysift::fuzz::CheckLoadError;

void LoadAndCheck(std::string_view bytes) {
  using storysift::Deduplicator;
  auto loaded = Deduplicator::LoadFromString(bytes);
  if (!loaded.ok()) {
    CheckLoadError(loaded.status());
    return;
  }
  const std::string saved = (*loaded)->SaveToString();
  // Older versions (1: full signatures) load but are saved in the current one.
  const bool current =
      storysift::internal::SectionFileVersion(bytes) == storysift::kIndexFormatVersion;
  Check(!current || saved == bytes, "a loaded index saves to the same bytes");
  auto reloaded = Deduplicator::LoadFromString(saved);
  Check(reloaded.ok() && (*reloaded)->SaveToString() == saved,
        "a re-saved index loads and saves to the same bytes");
  storysift::Document doc;
  doc.id = "fuzz-probe";
  doc.text = "a probe document of a few words for the loaded index";
  Check((*loaded)->Query(doc).ok(), "a loaded index answers queries");
  Check((*loaded)->Add(doc).ok() || (*loaded)->Contains("fuzz-probe"),
        "a loaded index takes new documents");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  LoadAndCheck(bytes);
  const std::string fixed = storysift::internal::FixIndexChecksums(bytes);
  if (fixed != bytes) LoadAndCheck(fixed);
  return 0;
}
