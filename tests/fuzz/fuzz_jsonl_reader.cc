// Fuzzes the JSON lines reader with small limits so truncation and
// line_too_long paths are reached.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "ingest/byte_source.h"
#include "ingest/reader_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace storysift;
  ReaderOptions o;
  o.max_doc_bytes = 64;
  o.max_line_bytes = 512;
  auto source = internal::ByteSource::FromString(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.jsonl");
  auto reader = internal::NewJsonlReader(std::move(source), o);
  fuzz::DrainAndCheck(reader.get(), o);
  return 0;
}
