// Fuzzes StoryAssigner::LoadFromString on arbitrary bytes, and once more with
// the section checksums repaired so mutations reach the parser behind them.
// A state that loads must save back to the same bytes, answer a query and
// take a new document.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storysift/story_assigner.h"
#include "stream/section_file.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "contract violated: %s\n", what);
    std::abort();
  }
}

void LoadAndCheck(std::string_view bytes) {
  using storysift::StoryAssigner;
  auto loaded = StoryAssigner::LoadFromString(bytes);
  if (!loaded.ok()) {
    const absl::StatusCode c = loaded.status().code();
    Check(c == absl::StatusCode::kDataLoss || c == absl::StatusCode::kUnimplemented ||
              c == absl::StatusCode::kFailedPrecondition,
          "load errors are DataLoss, Unimplemented or FailedPrecondition");
    return;
  }
  const std::string saved = (*loaded)->SaveToString();
  Check(saved == bytes, "a loaded state saves to the same bytes");
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
