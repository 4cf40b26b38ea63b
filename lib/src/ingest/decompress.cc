// Streaming decompression through Debian's zlib, libzstd and liblzma. Each
// filter pulls compressed input in 64 KiB chunks, so memory is constant in
// the size of the file. Damage is reported as DataLoss with the compressed
// byte offset, never as a short read.
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ingest/byte_stream.h"

namespace storysift::internal {
namespace {

constexpr size_t kInputChunk = 64 * 1024;

// What the three filters share: the compressed input buffer and offsets.
class Decompressor : public ByteStream {
 protected:
  Decompressor(std::unique_ptr<ByteStream> input, std::string name, const char* format)
      : input_(std::move(input)), name_(std::move(name)), format_(format) {
    in_.resize(kInputChunk);
  }

  // Makes compressed bytes available in [next_, next_ + avail_) unless the
  // input has ended (then at_end_).
  absl::Status Pull() {
    if (avail_ > 0 || at_end_) return absl::OkStatus();
    absl::StatusOr<size_t> got = input_->Read(in_.data(), in_.size());
    if (!got.ok()) return got.status();
    next_ = in_.data();
    avail_ = *got;
    at_end_ = *got == 0;
    return absl::OkStatus();
  }
  void Took(size_t n) {
    next_ += n;
    avail_ -= n;
    offset_ += n;
  }

  absl::Status Corrupt(absl::string_view what) const {
    return absl::DataLossError(absl::StrCat(name_, ": corrupt ", format_,
                                            " data at compressed byte ", offset_,
                                            ": ", what));
  }
  absl::Status Truncated() const {
    return absl::DataLossError(absl::StrCat(name_, ": truncated ", format_,
                                            " data: input ends at compressed byte ",
                                            offset_, " inside a stream"));
  }

  std::unique_ptr<ByteStream> input_;
  std::string name_;
  const char* format_;
  std::string in_;
  const char* next_ = nullptr;
  size_t avail_ = 0;
  bool at_end_ = false;
  uint64_t offset_ = 0;  // Compressed bytes consumed.
};

class GzipStream : public Decompressor {
 public:
  GzipStream(std::unique_ptr<ByteStream> input, std::string name)
      : Decompressor(std::move(input), std::move(name), "gzip") {
    std::memset(&z_, 0, sizeof(z_));
    ok_ = inflateInit2(&z_, 15 + 16) == Z_OK;  // 16: gzip wrapper only.
  }
  ~GzipStream() override {
    if (ok_) inflateEnd(&z_);
  }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (!ok_) return absl::ResourceExhaustedError(name_ + ": cannot start zlib");
    while (true) {
      if (absl::Status s = Pull(); !s.ok()) return s;
      if (between_members_) {
        if (at_end_) return 0;
        // Another member must follow; anything else is damage, not padding
        // to ignore silently.
        if (static_cast<unsigned char>(*next_) != 0x1f) {
          return Corrupt("bytes after the last gzip member are not another member");
        }
        between_members_ = false;
        if (inflateReset(&z_) != Z_OK) return Corrupt("cannot reset");
      }
      z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(next_));
      z_.avail_in = static_cast<uInt>(avail_);
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
      const int rc = inflate(&z_, Z_NO_FLUSH);
      Took(avail_ - z_.avail_in);
      const size_t produced = reinterpret_cast<char*>(z_.next_out) - buf;
      if (rc == Z_STREAM_END) {
        between_members_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Corrupt(z_.msg != nullptr ? z_.msg : "inflate failed");
      }
      if (produced > 0) return produced;
      // Nothing more can come out: the input ended inside a member.
      if (at_end_ && !between_members_) return Truncated();
    }
  }

 private:
  z_stream z_;
  bool ok_ = false;
  bool between_members_ = false;
};

class ZstdStream : public Decompressor {
 public:
  ZstdStream(std::unique_ptr<ByteStream> input, std::string name)
      : Decompressor(std::move(input), std::move(name), "zstd"),
        z_(ZSTD_createDStream()) {}
  ~ZstdStream() override { ZSTD_freeDStream(z_); }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (z_ == nullptr) return absl::ResourceExhaustedError(name_ + ": cannot start zstd");
    while (true) {
      if (absl::Status s = Pull(); !s.ok()) return s;
      // At the end the decoder is still called with no input, to flush.
      ZSTD_inBuffer in{next_, avail_, 0};
      ZSTD_outBuffer out{buf, n, 0};
      const size_t rc = ZSTD_decompressStream(z_, &out, &in);
      Took(in.pos);
      if (ZSTD_isError(rc)) return Corrupt(ZSTD_getErrorName(rc));
      // 0: a frame ended and is flushed. A call that moved nothing (at the
      // end) says only that a next frame could start: it does not count.
      if (in.pos > 0 || out.pos > 0) frame_done_ = rc == 0;
      if (out.pos > 0) return out.pos;
      if (at_end_) {
        if (!frame_done_) return Truncated();
        return 0;
      }
    }
  }

 private:
  ZSTD_DStream* z_;
  bool frame_done_ = false;
};

class XzStream : public Decompressor {
 public:
  XzStream(std::unique_ptr<ByteStream> input, std::string name)
      : Decompressor(std::move(input), std::move(name), "xz") {
    ok_ = lzma_stream_decoder(&z_, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
  }
  ~XzStream() override { lzma_end(&z_); }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (!ok_) return absl::ResourceExhaustedError(name_ + ": cannot start liblzma");
    if (done_) return 0;
    while (true) {
      if (absl::Status s = Pull(); !s.ok()) return s;
      z_.next_in = reinterpret_cast<const uint8_t*>(next_);
      z_.avail_in = avail_;
      z_.next_out = reinterpret_cast<uint8_t*>(buf);
      z_.avail_out = n;
      // LZMA_FINISH at the end lets the decoder tell a complete stream from
      // a cut one.
      const lzma_ret rc = lzma_code(&z_, at_end_ ? LZMA_FINISH : LZMA_RUN);
      Took(avail_ - z_.avail_in);
      const size_t produced = n - z_.avail_out;
      if (rc == LZMA_STREAM_END) {
        done_ = true;
        return produced;
      }
      if (rc == LZMA_BUF_ERROR && at_end_) return Truncated();
      if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) return Corrupt(LzmaMessage(rc));
      if (produced > 0) return produced;
    }
  }

 private:
  static const char* LzmaMessage(lzma_ret rc) {
    switch (rc) {
      case LZMA_FORMAT_ERROR: return "not an xz stream";
      case LZMA_DATA_ERROR: return "compressed data is corrupt";
      case LZMA_OPTIONS_ERROR: return "unsupported options";
      case LZMA_MEM_ERROR: return "out of memory";
      default: return "decoder error";
    }
  }

  lzma_stream z_ = LZMA_STREAM_INIT;
  bool ok_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<ByteStream> NewDecompressor(Compression c,
                                            std::unique_ptr<ByteStream> compressed,
                                            std::string name) {
  switch (c) {
    case Compression::kGzip:
      return std::make_unique<GzipStream>(std::move(compressed), std::move(name));
    case Compression::kZstd:
      return std::make_unique<ZstdStream>(std::move(compressed), std::move(name));
    case Compression::kXz:
      return std::make_unique<XzStream>(std::move(compressed), std::move(name));
    case Compression::kNone:
      break;
  }
  return compressed;
}

absl::StatusOr<std::string> DecompressWholeFile(std::string bytes, std::string name) {
  const Compression c = DetectCompression(std::string_view(bytes).substr(0, kMagicBytes));
  if (c == Compression::kNone) return bytes;
  std::unique_ptr<ByteStream> stream =
      NewDecompressor(c, NewStringStream(std::move(bytes)), std::move(name));
  std::string out;
  constexpr size_t kChunk = size_t{1} << 20;
  for (size_t have = 0;; have = out.size()) {
    out.resize(have + kChunk);
    absl::StatusOr<size_t> got = stream->Read(out.data() + have, kChunk);
    if (!got.ok()) return got.status();
    out.resize(have + *got);
    if (*got == 0) return out;
  }
}

}  // namespace storysift::internal
