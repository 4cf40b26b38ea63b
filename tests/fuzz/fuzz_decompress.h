// The body of the decompressor fuzz targets: `data` behind the format's
// magic bytes (so every input reaches the decoder, however it was mutated)
// is read through the byte layer into the JSON lines reader. The decoder
// may only fail as DataLoss (damage) naming the input; it must never crash,
// hang or hand on bytes it did not decode.
#ifndef STORYSIFT_TESTS_FUZZ_FUZZ_DECOMPRESS_H_
#define STORYSIFT_TESTS_FUZZ_FUZZ_DECOMPRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "ingest/byte_source.h"
#include "ingest/reader_internal.h"

namespace storysift::fuzz {

inline void FuzzDecompressor(std::string_view magic, const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (!bytes.starts_with(magic)) bytes.insert(0, magic);
  ReaderOptions o;
  o.max_doc_bytes = 256;
  o.max_line_bytes = 4096;
  auto source = internal::ByteSource::FromString(std::move(bytes), "fuzz.jsonl.z");
  auto reader = internal::NewJsonlReader(std::move(source), o);
  ReadRecord r;
  while (true) {
    absl::StatusOr<bool> more = reader->Next(&r);
    if (!more.ok()) {
      Check(more.status().code() == absl::StatusCode::kDataLoss,
            "a decoder fails only with DataLoss");
      Check(more.status().message().find("fuzz.jsonl.z") != std::string_view::npos,
            "the error names the input");
      return;
    }
    if (!*more) return;
  }
}

}  // namespace storysift::fuzz

#endif  // STORYSIFT_TESTS_FUZZ_FUZZ_DECOMPRESS_H_
