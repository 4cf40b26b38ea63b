#include "io/compressing_output.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace storysift {
namespace {

using internal::Compression;

// What the codec is fed at a time (the last piece may be shorter): fixed,
// so that how a caller splits its writes never reaches the output.
constexpr size_t kFeedChunkBytes = 256 * 1024;
constexpr size_t kOutChunk = 64 * 1024;

// gzip (RFC 1952) through zlib's deflate. deflateInit2 without
// deflateSetHeader writes no file name and a modification time of 0.
class GzipCompressor : public Compressor {
 public:
  explicit GzipCompressor(Sink sink) : Compressor(std::move(sink)), buffer_(kOutChunk, '\0') {}
  ~GzipCompressor() override {
    if (started_) deflateEnd(&z_);
  }

  bool Start() {
    // 15 + 16: the largest window, with a gzip header and trailer.
    started_ =
        deflateInit2(&z_, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) ==
        Z_OK;
    return started_;
  }

 private:
  bool Compress(std::string_view data) override {
    in_member_ = true;
    return Deflate(data, Z_NO_FLUSH);
  }

  bool EndMemberOfCodec() override {
    if (!in_member_) return true;
    in_member_ = false;
    ended_a_member_ = true;
    return Deflate({}, Z_FINISH) && deflateReset(&z_) == Z_OK;
  }

  bool FinishCodec() override {
    // An empty output is one empty member: a gzip file that gunzips to "".
    if (!in_member_ && ended_a_member_) return true;
    in_member_ = false;
    ended_a_member_ = true;
    return Deflate({}, Z_FINISH);
  }

  const char* FormatName() const override { return "gzip"; }

  bool Deflate(std::string_view data, int flush) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z_.avail_in = static_cast<uInt>(data.size());
    while (true) {
      z_.next_out = reinterpret_cast<Bytef*>(buffer_.data());
      z_.avail_out = static_cast<uInt>(buffer_.size());
      const int rc = deflate(&z_, flush);
      if (rc == Z_STREAM_ERROR) return false;
      Emit(std::string_view(buffer_.data(), buffer_.size() - z_.avail_out));
      if (flush == Z_FINISH ? rc == Z_STREAM_END : z_.avail_in == 0 && z_.avail_out != 0) {
        return true;
      }
    }
  }

  std::string buffer_;
  z_stream z_{};
  bool started_ = false;
  bool in_member_ = false;       // Bytes written since the last member ended.
  bool ended_a_member_ = false;  // At least one member is complete.
};

class ZstdCompressor : public Compressor {
 public:
  explicit ZstdCompressor(Sink sink)
      : Compressor(std::move(sink)),
        cctx_(ZSTD_createCCtx()),
        buffer_(ZSTD_CStreamOutSize(), '\0') {}
  ~ZstdCompressor() override { ZSTD_freeCCtx(cctx_); }

  bool Start() {
    return cctx_ != nullptr &&
           !ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, 3)) &&
           !ZSTD_isError(ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1));
  }

 private:
  bool Compress(std::string_view data) override { return Run(data, ZSTD_e_continue); }
  bool FinishCodec() override { return Run({}, ZSTD_e_end); }
  const char* FormatName() const override { return "zstd"; }

  bool Run(std::string_view data, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in{data.data(), data.size(), 0};
    while (true) {
      ZSTD_outBuffer out{buffer_.data(), buffer_.size(), 0};
      const size_t left = ZSTD_compressStream2(cctx_, &out, &in, mode);
      if (ZSTD_isError(left)) return false;
      Emit(std::string_view(buffer_.data(), out.pos));
      if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) return true;
    }
  }

  ZSTD_CCtx* cctx_;
  std::string buffer_;
};

class XzCompressor : public Compressor {
 public:
  explicit XzCompressor(Sink sink) : Compressor(std::move(sink)), buffer_(kOutChunk, '\0') {}
  ~XzCompressor() override { lzma_end(&strm_); }

  bool Start() {
    return lzma_easy_encoder(&strm_, LZMA_PRESET_DEFAULT, LZMA_CHECK_CRC64) == LZMA_OK;
  }

 private:
  bool Compress(std::string_view data) override { return Code(data, LZMA_RUN); }
  bool FinishCodec() override { return Code({}, LZMA_FINISH); }
  const char* FormatName() const override { return "xz"; }

  bool Code(std::string_view data, lzma_action action) {
    strm_.next_in = reinterpret_cast<const uint8_t*>(data.data());
    strm_.avail_in = data.size();
    while (true) {
      strm_.next_out = reinterpret_cast<uint8_t*>(buffer_.data());
      strm_.avail_out = buffer_.size();
      const lzma_ret rc = lzma_code(&strm_, action);
      if (rc != LZMA_OK && rc != LZMA_STREAM_END) return false;
      Emit(std::string_view(buffer_.data(), buffer_.size() - strm_.avail_out));
      if (action == LZMA_FINISH ? rc == LZMA_STREAM_END
                                : strm_.avail_in == 0 && strm_.avail_out != 0) {
        return true;
      }
    }
  }

  std::string buffer_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
};

template <typename T>
absl::StatusOr<std::unique_ptr<Compressor>> Started(Compressor::Sink sink, const char* name) {
  auto compressor = std::make_unique<T>(std::move(sink));
  if (!compressor->Start()) {
    return absl::InternalError(absl::StrCat(name, ": cannot start the compressor"));
  }
  return std::unique_ptr<Compressor>(std::move(compressor));
}

}  // namespace

internal::Compression CompressionForOutput(std::string_view path) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(path.data(), path.size()));
  if (absl::EndsWith(lower, ".gz")) return Compression::kGzip;
  if (absl::EndsWith(lower, ".zst") || absl::EndsWith(lower, ".zstd")) return Compression::kZstd;
  if (absl::EndsWith(lower, ".xz")) return Compression::kXz;
  return Compression::kNone;
}

absl::StatusOr<std::unique_ptr<Compressor>> Compressor::Create(Compression compression,
                                                               Sink sink) {
  switch (compression) {
    case Compression::kGzip: return Started<GzipCompressor>(std::move(sink), "gzip");
    case Compression::kZstd: return Started<ZstdCompressor>(std::move(sink), "zstd");
    case Compression::kXz: return Started<XzCompressor>(std::move(sink), "xz");
    case Compression::kNone: break;
  }
  return absl::InternalError("Compressor::Create: no compression asked for");
}

void Compressor::Write(std::string_view data) {
  if (pending_.capacity() < kFeedChunkBytes) pending_.reserve(kFeedChunkBytes);
  while (!data.empty() && !failed_) {
    const size_t take = std::min(data.size(), kFeedChunkBytes - pending_.size());
    pending_.append(data.data(), take);
    data.remove_prefix(take);
    if (pending_.size() == kFeedChunkBytes) FeedPending();
  }
}

void Compressor::FeedPending() {
  if (!pending_.empty() && !failed_ && !Compress(pending_)) failed_ = true;
  pending_.clear();
}

void Compressor::EndMember() {
  FeedPending();
  if (!failed_ && !EndMemberOfCodec()) failed_ = true;
}

absl::Status Compressor::Finish() {
  FeedPending();
  if (!failed_ && !FinishCodec()) failed_ = true;
  return failed_ ? absl::InternalError(absl::StrCat(FormatName(), ": compressing failed"))
                 : absl::OkStatus();
}

}  // namespace storysift
