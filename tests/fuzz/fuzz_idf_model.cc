// Fuzzes IdfModel::Parse: any bytes either fail with a status or give a
// model that is internally consistent and serializes back to the same bytes
// (a format-1 model: to format-2 bytes that parse to the same model).
// The harness rewrites the header's payload_size and checksum to match the
// payload, so mutations reach the payload checks behind the checksum (the
// checksum check itself is a unit test).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storysift/idf_model.h"
#include "xxhash.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace storysift;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  constexpr size_t kHeaderSize = 32;  // magic, version, reserved, size, checksum
  if (bytes.size() >= kHeaderSize) {
    const uint64_t payload_size = bytes.size() - kHeaderSize;
    const uint64_t checksum = XXH3_64bits(bytes.data() + kHeaderSize, payload_size);
    for (int i = 0; i < 8; ++i) {  // Little-endian.
      bytes[16 + i] = static_cast<char>(payload_size >> (8 * i));
      bytes[24 + i] = static_cast<char>(checksum >> (8 * i));
    }
  }
  absl::StatusOr<IdfModel> model = IdfModel::Parse(bytes);
  if (!model.ok()) return 0;
  uint64_t prev = 0;
  for (size_t i = 0; i < model->num_terms(); ++i) {
    const IdfTerm t = model->term(i);
    if ((i > 0 && t.term_hash <= prev) || t.df == 0 || t.df > model->num_docs() ||
        model->df(t.term_hash) != t.df || model->display(t.term_hash) != t.display) {
      std::abort();
    }
    prev = t.term_hash;
  }
  if (model->format_version() == kIdfModelFormatVersion) {
    if (model->Serialize() != bytes) std::abort();
    return 0;
  }
  absl::StatusOr<IdfModel> again = IdfModel::Parse(model->Serialize());
  if (!again.ok() || again->Serialize() != model->Serialize() ||
      again->term_options().stem != model->term_options().stem ||
      again->term_options().markup.has_value() ||
      again->term_options().drop_boilerplate.has_value()) {
    std::abort();
  }
  return 0;
}
