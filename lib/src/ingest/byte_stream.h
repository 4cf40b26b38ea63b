// The layers under ByteSource: a raw input (a file, a string), and filters
// stacked on it that decompress (gzip, zstd, xz) or transcode (iconv) while
// streaming, so no layer ever holds more than a chunk. Not thread-safe.
#ifndef STORYSIFT_INGEST_BYTE_STREAM_H_
#define STORYSIFT_INGEST_BYTE_STREAM_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace storysift::internal {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to `n` (> 0) bytes into `buf`; returns how many, 0 only at the
  // end. Errors name the input: Internal for an I/O error, DataLoss for
  // corrupt or truncated compressed data (with the compressed offset).
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

// A FILE, closed at destruction iff `owned`. Adds every byte read to
// *bytes_read when that is set (progress meters read it from another thread).
std::unique_ptr<ByteStream> NewFileStream(FILE* file, bool owned,
                                          std::string name,
                                          std::atomic<int64_t>* bytes_read);
std::unique_ptr<ByteStream> NewStringStream(std::string data);
// Serves `prefix`, then the rest of `rest`.
std::unique_ptr<ByteStream> NewPrefixStream(std::string prefix,
                                            std::unique_ptr<ByteStream> rest);

// Reads from `stream` until `n` bytes are in *out or the stream ends.
absl::Status ReadUpTo(ByteStream* stream, size_t n, std::string* out);

// Compression formats recognised by their magic bytes (RFC 1952 gzip,
// RFC 8878 zstd, the .xz container).
enum class Compression { kNone, kGzip, kZstd, kXz };
inline constexpr size_t kMagicBytes = 6;
Compression DetectCompression(std::string_view first_bytes);
const char* CompressionName(Compression c);

// A decompressing filter over `compressed`. Gzip and xz accept concatenated
// members/streams (as Common Crawl writes a WARC: one gzip member a
// record); zstd accepts concatenated frames. `name` is the input's path,
// for messages.
std::unique_ptr<ByteStream> NewDecompressor(Compression c,
                                            std::unique_ptr<ByteStream> compressed,
                                            std::string name);

// `bytes` as read from a whole file named `name`, decompressed when their
// magic bytes say they are gzip, zstd or xz (as storysift writes an output
// named so: an index or model file `x.gz`), else as they are. DataLoss
// (naming the file and the compressed offset) for damaged or truncated
// compressed data.
absl::StatusOr<std::string> DecompressWholeFile(std::string bytes, std::string name);

// Transcodes `input`, in iconv's encoding `from`, to UTF-8. Bytes that are
// not valid in `from` become U+FFFD. InvalidArgument when iconv does not
// know `from`.
absl::StatusOr<std::unique_ptr<ByteStream>> NewTranscoder(
    std::unique_ptr<ByteStream> input, const std::string& from,
    std::string name);

// OK when iconv can convert `name` to UTF-8; InvalidArgument otherwise.
absl::Status CheckEncodingName(const std::string& name);

// The encoding a byte order mark at the start of `first_bytes` names
// ("UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"), with the BOM's
// length in *bom_bytes; or "" when there is none. Without a BOM, text whose
// code units are mostly NUL in one half (ASCII in UTF-16) gives "UTF-16LE"
// or "UTF-16BE" and *bom_bytes = 0.
std::string DetectUnicodeEncoding(std::string_view first_bytes,
                                  size_t* bom_bytes);

}  // namespace storysift::internal

#endif  // STORYSIFT_INGEST_BYTE_STREAM_H_
