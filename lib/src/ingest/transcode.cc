// Transcoding to UTF-8 through glibc's iconv(3), a chunk at a time. A
// sequence cut by a chunk boundary is carried to the next chunk; bytes
// iconv rejects become U+FFFD, so the readers' own repair accounting is the
// only place damage is counted.
#include <iconv.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ingest/byte_stream.h"

namespace storysift::internal {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

class IconvStream : public ByteStream {
 public:
  IconvStream(std::unique_ptr<ByteStream> input, iconv_t cd, std::string from,
              std::string name)
      : input_(std::move(input)), cd_(cd), from_(std::move(from)), name_(std::move(name)) {}
  ~IconvStream() override { iconv_close(cd_); }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    while (true) {
      if (out_pos_ < out_.size()) {
        const size_t got = std::min(n, out_.size() - out_pos_);
        std::memcpy(buf, out_.data() + out_pos_, got);
        out_pos_ += got;
        return got;
      }
      if (done_) return 0;
      out_.clear();
      out_pos_ = 0;
      // Top up the input (keeping an incomplete sequence from last time).
      const size_t have = in_.size();
      in_.resize(have + kChunk);
      absl::StatusOr<size_t> got = input_->Read(in_.data() + have, kChunk);
      if (!got.ok()) return got.status();
      in_.resize(have + *got);
      const bool at_end = *got == 0;
      Convert(at_end);
      if (at_end) {
        if (!in_.empty()) {  // A sequence cut by the end of the input.
          out_ += kReplacement;
          in_.clear();
        }
        done_ = true;
      }
    }
  }

 private:
  void Convert(bool at_end) {
    char* in = in_.data();
    size_t in_left = in_.size();
    std::string chunk(4 * in_left + 16, '\0');
    while (in_left > 0) {
      char* out = chunk.data();
      size_t out_left = chunk.size();
      const size_t rc = iconv(cd_, &in, &in_left, &out, &out_left);
      out_.append(chunk.data(), out - chunk.data());
      if (rc != static_cast<size_t>(-1)) break;
      if (errno == E2BIG) continue;
      if (errno == EINVAL && !at_end) break;  // Incomplete: wait for more.
      // EILSEQ (or EINVAL at the end): one bad byte becomes U+FFFD.
      out_ += kReplacement;
      ++in;
      --in_left;
    }
    in_.erase(0, in_.size() - in_left);
  }

  std::unique_ptr<ByteStream> input_;
  iconv_t cd_;
  std::string from_, name_;
  std::string in_;
  std::string out_;
  size_t out_pos_ = 0;
  bool done_ = false;
};

absl::StatusOr<iconv_t> OpenToUtf8(const std::string& from) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown encoding \"", from, "\" (any name `iconv -l` lists, e.g. windows-1252, "
        "ISO-8859-1, UTF-16LE, SHIFT_JIS)"));
  }
  return cd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ByteStream>> NewTranscoder(
    std::unique_ptr<ByteStream> input, const std::string& from, std::string name) {
  absl::StatusOr<iconv_t> cd = OpenToUtf8(from);
  if (!cd.ok()) return cd.status();
  return std::unique_ptr<ByteStream>(
      new IconvStream(std::move(input), *cd, from, std::move(name)));
}

absl::Status CheckEncodingName(const std::string& name) {
  absl::StatusOr<iconv_t> cd = OpenToUtf8(name);
  if (!cd.ok()) return cd.status();
  iconv_close(*cd);
  return absl::OkStatus();
}

}  // namespace storysift::internal
