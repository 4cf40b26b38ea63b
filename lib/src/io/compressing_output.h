// The corpus `dedup --keep-first` writes, compressed as the output's name
// asks: `-o kept.jsonl.gz` is a gzip file, as the inputs it was made from
// often are, not plain text under a .gz name.
#ifndef STORYSIFT_IO_COMPRESSING_OUTPUT_H_
#define STORYSIFT_IO_COMPRESSING_OUTPUT_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/byte_stream.h"
#include "io/output_file.h"

namespace storysift {

// The compression an output path's name asks for: ".gz" gzip, ".zst" or
// ".zstd" zstd, ".xz" xz (any case); kNone for any other name and "-".
internal::Compression CompressionForOutput(std::string_view path);

// Writes through to an OutputFile, compressing on the way (or not, for
// kNone). Memory is constant in what is written. Not thread-safe.
class CompressingOutput {
 public:
  // `out` must outlive this. Internal when the compressor cannot start.
  static absl::StatusOr<std::unique_ptr<CompressingOutput>> Create(
      internal::Compression compression, OutputFile* out);
  virtual ~CompressingOutput() = default;

  // Errors are reported by Finish().
  virtual void Write(std::string_view data) = 0;
  // gzip: ends the member written so far; the next Write() starts another,
  // so that each WARC record of a .warc.gz is its own member, as WARC tools
  // expect. A no-op for the other formats.
  virtual void EndMember() {}
  // Ends the compressed stream (a valid file, also when nothing was
  // written). Internal when compressing failed. Write() must not follow.
  virtual absl::Status Finish() = 0;
};

}  // namespace storysift

#endif  // STORYSIFT_IO_COMPRESSING_OUTPUT_H_
