// Fuzzes StoryAssigner::LoadFromString on arbitrary bytes, and once more with
// the section checksums repaired so mutations reach the parser behind them.
// A state that loads must save back to the same bytes (or, from an older
// version, to bytes that load and save back to themselves), answer a query and
// take a new document.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "storysift/story_assigner.h"
#include "stream/section_file.h"

namespace {

using storysift::fuzz::Check;
using storysift::fuzz::CheckLoadError;

void LoadAndCheck(std::string_view bytes) {
  using storysift::StoryAssigner;
  auto loaded = StoryAssigner::LoadFromString(bytes);
  if (!loaded.ok()) {
    CheckLoadError(loaded.status());
    return;
  }
  const std::string saved = (*loaded)->SaveToString();
  // Older versions (1: no label evidence) load but are saved in the current one.
  const bool current =
      storysift::internal::SectionFileVersion(bytes) == storysift::kStoryAssignerFormatVersion;
  Check(!current || saved == bytes, "a loaded state saves to the same bytes");
  auto reloaded = StoryAssigner::LoadFromString(saved);
  Check(reloaded.ok() && (*reloaded)->SaveToString() == saved,
        "a re-saved state loads and saves to the same bytes");
  storysift::Document doc;
  doc.id = "fuzz-probe";
  doc.text = "a probe article about the senate hearing on the ambassador meeting";
  Check((*loaded)->Query(doc).ok(), "a loaded state answers queries");
  auto added = (*loaded)->Add(doc);
  Check(added.ok() || added.status().code() == absl::StatusCode::kAlreadyExists,
        "a loaded state takes new documents");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  LoadAndCheck(bytes);
  const std::string fixed = storysift::internal::FixSectionChecksums(bytes);
  if (fixed != bytes) LoadAndCheck(fixed);
  return 0;
}
