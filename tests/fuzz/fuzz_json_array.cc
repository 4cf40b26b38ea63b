// Fuzzes the streamed JSON array reader (element scanner plus record
// parser) with small limits so line_too_long and truncation are reached.
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
  o.keep_raw = true;
  auto source = internal::ByteSource::FromString(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  auto reader = internal::NewJsonArrayReader(std::move(source), o);
  fuzz::DrainAndCheck(reader.get(), o);
  return 0;
}
