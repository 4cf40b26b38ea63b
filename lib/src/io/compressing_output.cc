#include "io/compressing_output.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace storysift {
namespace {

using internal::Compression;

constexpr size_t kOutChunk = 64 * 1024;

class PlainOutput : public CompressingOutput {
 public:
  explicit PlainOutput(OutputFile* out) : out_(out) {}
  void Write(std::string_view data) override { out_->Write(data); }
  absl::Status Finish() override { return absl::OkStatus(); }

 private:
  OutputFile* out_;
};

// gzip (RFC 1952) through zlib's deflate.
class GzipOutput : public CompressingOutput {
 public:
  explicit GzipOutput(OutputFile* out) : out_(out), buffer_(kOutChunk, '\0') {}
  ~GzipOutput() override {
    if (started_) deflateEnd(&z_);
  }

  absl::Status Start() {
    // 15 + 16: the largest window, with a gzip header and trailer.
    if (deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      return absl::InternalError("gzip: cannot start the compressor");
    }
    started_ = true;
    return absl::OkStatus();
  }

  void Write(std::string_view data) override {
    if (data.empty()) return;
    in_member_ = true;
    Deflate(data, Z_NO_FLUSH);
  }

  void EndMember() override {
    if (!in_member_) return;
    Deflate({}, Z_FINISH);
    if (deflateReset(&z_) != Z_OK) failed_ = true;
    in_member_ = false;
    ended_a_member_ = true;
  }

  absl::Status Finish() override {
    // An empty output is one empty member: a gzip file that gunzips to "".
    if (in_member_ || !ended_a_member_) {
      Deflate({}, Z_FINISH);
      in_member_ = false;
      ended_a_member_ = true;
    }
    return failed_ ? absl::InternalError("gzip: compressing the output failed")
                   : absl::OkStatus();
  }

 private:
  void Deflate(std::string_view data, int flush) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    while (!failed_) {
      z_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
      z_.avail_out = static_cast<uInt>(buffer_.size());
      const int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) {
        failed_ = true;
        break;
      }
      out_->Write(std::string_view(buffer_.data(), buffer_.size() - z_.avail_out));
      if (flush == Z_FINISH ? rc == Z_STREAM_END : z_.avail_in == 0 && z_.avail_out != 0) break;
    }
  }

  OutputFile* out_;
  std::string buffer_;
  z_stream z_{};
  bool started_ = false;
  bool failed_ = false;
  bool in_member_ = false;       // Bytes written since the last member ended.
  bool ended_a_member_ = false;  // At least one member is complete.
};

class ZstdOutput : public CompressingOutput {
 public:
  explicit ZstdOutput(OutputFile* out)
      : out_(out), cctx_(ZSTD_createCCtx()), buffer_(ZSTD_CStreamOutSize(), '\0') {}
  ~ZstdOutput() override { ZSTD_freeCCtx(cctx_); }

  absl::Status Start() {
    if (cctx_ == nullptr ||
        ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1))) {
      return absl::InternalError("zstd: cannot start the compressor");
    }
    return absl::OkStatus();
  }

  void Write(std::string_view data) override {
    if (!data.empty()) Compress(data, ZSTD_e_continue);
  }

  absl::Status Finish() override {
    Compress({}, ZSTD_e_end);
    return failed_ ? absl::InternalError("zstd: compressing the output failed")
                   : absl::OkStatus();
  }

 private:
  void Compress(std::string_view data, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    while (!failed_) {
      ZSTD_outBuffer out{buffer_.data(), buffer_.size(), 0};
      const size_t left = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(left)) {
        failed_ = true;
        break;
      }
      out_->Write(std::string_view(buffer_.data(), out.pos));
      if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) break;
    }
  }

  OutputFile* out_;
  ZSTD_CCtx* cctx_;
  std::string buffer_;
  bool failed_ = false;
};

class XzOutput : public CompressingOutput {
 public:
  explicit XzOutput(OutputFile* out) : out_(out), buffer_(kOutChunk, '\0') {}
  ~XzOutput() override { lzma_end(&strm_); }

  absl::Status Start() {
    if (lzma_easy_encoder(&strm_, LZMA_PRESET_DEFAULT, LZMA_CHECK_CRC64) != LZMA_OK) {
      return absl::InternalError("xz: cannot start the compressor");
    }
    return absl::OkStatus();
  }

  void Write(std::string_view data) override {
    if (!data.empty()) Code(data, LZMA_RUN);
  }

  absl::Status Finish() override {
    Code({}, LZMA_FINISH);
    return failed_ ? absl::InternalError("xz: compressing the output failed")
                   : absl::OkStatus();
  }

 private:
  void Code(std::string_view data, lzma_action action) {
    strm_.next_in = reinterpret_cast<const uint8_t*>(data.data());
    strm_.avail_in = data.size();
    while (!failed_) {
      strm_.next_out = reinterpret_cast<uint8_t*>(buffer_.data());
      strm_.avail_out = buffer_.size();
      const lzma_ret rc = lzma_code(&strm_, action);
      if (rc != LZMA_OK && rc != LZMA_STREAM_END) {
        failed_ = true;
        break;
      }
      out_->Write(std::string_view(buffer_.data(), buffer_.size() - strm_.avail_out));
      if (action == LZMA_FINISH ? rc == LZMA_STREAM_END
                                : strm_.avail_in == 0 && strm_.avail_out != 0) {
        break;
      }
    }
  }

  OutputFile* out_;
  std::string buffer_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  bool failed_ = false;
};

template <typename T>
absl::StatusOr<std::unique_ptr<CompressingOutput>> Started(OutputFile* out) {
  auto output = std::make_unique<T>(out);
  if (absl::Status s = output->Start(); !s.ok()) return s;
  return std::unique_ptr<CompressingOutput>(std::move(output));
}

}  // namespace

internal::Compression CompressionForOutput(std::string_view path) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(path.data(), path.size()));
  if (absl::EndsWith(lower, ".gz")) return Compression::kGzip;
  if (absl::EndsWith(lower, ".zst") || absl::EndsWith(lower, ".zstd")) return Compression::kZstd;
  if (absl::EndsWith(lower, ".xz")) return Compression::kXz;
  return Compression::kNone;
}

absl::StatusOr<std::unique_ptr<CompressingOutput>> CompressingOutput::Create(
    Compression compression, OutputFile* out) {
  switch (compression) {
    case Compression::kGzip: return Started<GzipOutput>(out);
    case Compression::kZstd: return Started<ZstdOutput>(out);
    case Compression::kXz: return Started<XzOutput>(out);
    case Compression::kNone: break;
  }
  return std::unique_ptr<CompressingOutput>(new PlainOutput(out));
}

}  // namespace storysift
