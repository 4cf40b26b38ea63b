// Fuzzes the CSV and TSV readers (one splitter, two delimiters) with small
// limits so truncation, line_too_long and the literal re-read of a record
// with a stray quote are reached; with keep_raw, every record's raw bytes
// must be bytes of the input.
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
  const std::string input(reinterpret_cast<const char*>(data), size);
  for (bool tsv : {false, true}) {
    auto source = internal::ByteSource::FromString(input, tsv ? "fuzz.tsv" : "fuzz.csv");
    auto reader = tsv ? internal::NewTsvReader(std::move(source), o)
                      : internal::NewCsvReader(std::move(source), o);
    ReadRecord r;
    while (true) {
      absl::StatusOr<bool> more = reader->Next(&r);
      if (!more.ok() || !*more) break;
      if (r.skipped()) continue;
      fuzz::Check(input.find(r.doc.raw) != std::string::npos, "raw record is input bytes");
      fuzz::Check(r.doc.raw_header != nullptr &&
                      input.find(*r.doc.raw_header) != std::string::npos,
                  "raw header is input bytes");
    }
    auto again = tsv ? internal::NewTsvReader(internal::ByteSource::FromString(input, "f"), o)
                     : internal::NewCsvReader(internal::ByteSource::FromString(input, "f"), o);
    fuzz::DrainAndCheck(again.get(), o);
  }
  return 0;
}
