// libFuzzer target for the normalizer: any bytes, in every markup mode, must
// normalize without crashing and give consistent offsets.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "storysift/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using storysift::MarkupMode;
  static const storysift::Normalizer* const normalizers[] = {
      new storysift::Normalizer(*storysift::Normalizer::Create(
          {MarkupMode::kAuto, /*drop_boilerplate=*/true, /*stem=*/true})),
      new storysift::Normalizer(*storysift::Normalizer::Create(
          {MarkupMode::kHtml, /*drop_boilerplate=*/true, /*stem=*/false})),
      new storysift::Normalizer(*storysift::Normalizer::Create(
          {MarkupMode::kPlain, /*drop_boilerplate=*/false, /*stem=*/false})),
  };
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  storysift::NormalizedText out;
  for (const storysift::Normalizer* n : normalizers) {
    n->Normalize(raw, &out);
    size_t folded_end = 0;
    for (size_t i = 0; i < out.tokens.size(); ++i) {
      const storysift::Token& t = out.tokens[i];
      if (t.begin + t.length > out.clean.size() || t.length == 0 ||
          t.folded_begin < folded_end || t.folded_length == 0 ||
          t.folded_begin + t.folded_length > out.folded.size()) {
        std::abort();
      }
      folded_end = t.folded_begin + t.folded_length;
    }
    if (folded_end != out.folded.size()) std::abort();
  }
  return 0;
}
