// Compressing an output as its name asks: `-o out.jsonl.gz` is a gzip file,
// as the inputs it was made from often are, not plain text under a .gz
// name. OutputFile compresses every output file through this.
#ifndef STORYSIFT_IO_COMPRESSING_OUTPUT_H_
#define STORYSIFT_IO_COMPRESSING_OUTPUT_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ingest/byte_stream.h"

namespace storysift {

// The compression an output path's name asks for: ".gz" gzip, ".zst" or
// ".zstd" zstd, ".xz" xz (any case); kNone for any other name and "-".
internal::Compression CompressionForOutput(std::string_view path);

// A streaming compressor. Its output depends on the bytes written alone:
// fixed levels (gzip 6, zstd 3, xz 6), single-threaded, no time or file
// name in a header, and the input fed to the codec in fixed-size chunks
// whatever the sizes of the Write() calls, so the same output gives the
// same file byte for byte. Memory is constant in what is written. Not
// thread-safe.
class Compressor {
 public:
  // Where the compressed bytes go; errors writing them are the sink's.
  using Sink = std::function<void(std::string_view)>;

  // Internal when the codec cannot start (out of memory).
  // REQUIRES: compression != kNone.
  static absl::StatusOr<std::unique_ptr<Compressor>> Create(internal::Compression compression,
                                                            Sink sink);
  virtual ~Compressor() = default;

  // Errors are reported by Finish().
  void Write(std::string_view data);
  // gzip: ends the member written so far; the next Write() starts another,
  // so that each WARC record of a .warc.gz is its own member, as WARC tools
  // expect. The other formats: no effect on the output.
  void EndMember();
  // Ends the compressed stream (a valid file, also when nothing was
  // written). Internal, naming the format, when the codec failed.
  // Write() must not follow.
  absl::Status Finish();

 protected:
  explicit Compressor(Sink sink) : sink_(std::move(sink)) {}

  // The codec: compress `data` (never empty), end a member, end the stream.
  // Each returns false when the codec failed.
  virtual bool Compress(std::string_view data) = 0;
  virtual bool EndMemberOfCodec() { return true; }
  virtual bool FinishCodec() = 0;
  virtual const char* FormatName() const = 0;

  void Emit(std::string_view bytes) {
    if (!bytes.empty()) sink_(bytes);
  }

 private:
  // Hands the pending bytes to the codec.
  void FeedPending();

  Sink sink_;
  std::string pending_;
  bool failed_ = false;
};

}  // namespace storysift

#endif  // STORYSIFT_IO_COMPRESSING_OUTPUT_H_
