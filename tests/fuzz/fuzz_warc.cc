// Fuzzes the WARC reader (record framing, HTTP header split, chunked
// decoding) with small limits.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "ingest/byte_source.h"
#include "ingest/reader_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace storysift;
  ReaderOptions o;
  o.max_doc_bytes = 64;
  o.keep_raw = true;
  auto source = internal::ByteSource::FromString(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.warc");
  auto reader = internal::NewWarcReader(std::move(source), o);
  fuzz::DrainAndCheck(reader.get(), o);
  return 0;
}
