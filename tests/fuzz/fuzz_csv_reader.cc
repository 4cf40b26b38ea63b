// Fuzzes the CSV and TSV readers (one splitter, two delimiters) with small
// limits so truncation, line_too_long and the literal re-read of a record
// with a stray quote are reached. With keep_raw every record's raw bytes
// must be bytes of the input, and keep_raw must not change what is read.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "ingest/byte_source.h"
#include "ingest/reader_internal.h"

namespace {

using namespace storysift;

// Each record as "reason|id|text", and checks raw bytes when kept.
std::vector<std::string> ReadAllRecords(const std::string& input, bool tsv,
                                        const ReaderOptions& o) {
  auto source = internal::ByteSource::FromString(input, tsv ? "fuzz.tsv" : "fuzz.csv");
  auto reader = tsv ? internal::NewTsvReader(std::move(source), o)
                    : internal::NewCsvReader(std::move(source), o);
  std::vector<std::string> out;
  ReadRecord r;
  while (true) {
    absl::StatusOr<bool> more = reader->Next(&r);
    if (!more.ok() || !*more) break;
    out.push_back(r.skip_reason + "|" + r.doc.id + "|" + r.doc.text);
    if (r.skipped() || !o.keep_raw) continue;
    fuzz::Check(input.find(r.doc.raw) != std::string::npos, "raw record is input bytes");
    fuzz::Check(r.doc.raw_header != nullptr && input.find(*r.doc.raw_header) != std::string::npos,
                "raw header is input bytes");
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ReaderOptions o;
  o.max_doc_bytes = 64;
  o.max_line_bytes = 512;
  const std::string input(reinterpret_cast<const char*>(data), size);
  for (bool tsv : {false, true}) {
    ReaderOptions raw = o;
    raw.keep_raw = true;
    fuzz::Check(ReadAllRecords(input, tsv, o) == ReadAllRecords(input, tsv, raw),
                "keep_raw does not change the records");
    auto reader = tsv ? internal::NewTsvReader(internal::ByteSource::FromString(input, "f"), o)
                      : internal::NewCsvReader(internal::ByteSource::FromString(input, "f"), o);
    fuzz::DrainAndCheck(reader.get(), o);
  }
  return 0;
}
