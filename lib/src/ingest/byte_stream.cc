// Raw inputs (file, string, prefix) and the format detection by content.
#include "ingest/byte_stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace storysift::internal {
namespace {

class FileStream : public ByteStream {
 public:
  FileStream(FILE* file, bool owned, std::string name,
             std::atomic<int64_t>* bytes_read)
      : file_(file), owned_(owned), name_(std::move(name)), bytes_read_(bytes_read) {}
  ~FileStream() override {
    if (owned_) std::fclose(file_);
  }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t got = std::fread(buf, 1, n, file_);
    if (got == 0 && std::ferror(file_)) {
      return absl::InternalError(
          absl::StrCat(name_, ": read error: ", std::strerror(errno)));
    }
    if (bytes_read_ != nullptr) {
      bytes_read_->fetch_add(static_cast<int64_t>(got), std::memory_order_relaxed);
    }
    return got;
  }

 private:
  FILE* file_;
  bool owned_;
  std::string name_;
  std::atomic<int64_t>* bytes_read_;
};

class StringStream : public ByteStream {
 public:
  explicit StringStream(std::string data) : data_(std::move(data)) {}
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t got = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, got);
    pos_ += got;
    return got;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class PrefixStream : public ByteStream {
 public:
  PrefixStream(std::string prefix, std::unique_ptr<ByteStream> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (pos_ < prefix_.size()) {
      const size_t got = std::min(n, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, got);
      pos_ += got;
      return got;
    }
    return rest_->Read(buf, n);
  }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteStream> rest_;
};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::unique_ptr<ByteStream> NewFileStream(FILE* file, bool owned,
                                          std::string name,
                                          std::atomic<int64_t>* bytes_read) {
  return std::make_unique<FileStream>(file, owned, std::move(name), bytes_read);
}

std::unique_ptr<ByteStream> NewStringStream(std::string data) {
  return std::make_unique<StringStream>(std::move(data));
}

std::unique_ptr<ByteStream> NewPrefixStream(std::string prefix,
                                            std::unique_ptr<ByteStream> rest) {
  if (prefix.empty()) return rest;
  return std::make_unique<PrefixStream>(std::move(prefix), std::move(rest));
}

absl::Status ReadUpTo(ByteStream* stream, size_t n, std::string* out) {
  while (out->size() < n) {
    const size_t have = out->size();
    out->resize(n);
    absl::StatusOr<size_t> got = stream->Read(out->data() + have, n - have);
    if (!got.ok()) {
      out->resize(have);
      return got.status();
    }
    out->resize(have + *got);
    if (*got == 0) break;
  }
  return absl::OkStatus();
}

Compression DetectCompression(std::string_view b) {
  if (StartsWith(b, "\x1f\x8b")) return Compression::kGzip;
  if (StartsWith(b, "\x28\xb5\x2f\xfd")) return Compression::kZstd;
  // A zstd skippable frame (magic 0x184D2A50-5F, little-endian), as pzstd
  // and seekable-format writers put first; the decoder passes over it.
  if (b.size() >= 4 && (static_cast<unsigned char>(b[0]) & 0xf0) == 0x50 &&
      StartsWith(b.substr(1), "\x2a\x4d\x18")) {
    return Compression::kZstd;
  }
  if (StartsWith(b, std::string_view("\xfd" "7zXZ\0", 6))) return Compression::kXz;
  return Compression::kNone;
}

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
    case Compression::kXz: return "xz";
    case Compression::kNone: break;
  }
  return "none";
}

std::string DetectUnicodeEncoding(std::string_view b, size_t* bom_bytes) {
  *bom_bytes = 0;
  // UTF-32LE's BOM starts with UTF-16LE's, so it is tested first.
  struct Bom { std::string_view bytes; const char* name; };
  static const Bom kBoms[] = {
      {std::string_view("\xFF\xFE\0\0", 4), "UTF-32LE"},
      {std::string_view("\0\0\xFE\xFF", 4), "UTF-32BE"},
      {"\xEF\xBB\xBF", "UTF-8"},
      {"\xFF\xFE", "UTF-16LE"},
      {"\xFE\xFF", "UTF-16BE"},
  };
  for (const Bom& bom : kBoms) {
    if (StartsWith(b, bom.bytes)) {
      *bom_bytes = bom.bytes.size();
      return bom.name;
    }
  }
  // No BOM: ASCII-range text in UTF-16 has a NUL in every other byte. Ask
  // for a clear majority on one side and none on the other, so that a
  // binary file with scattered NULs is not taken for text.
  const size_t units = std::min<size_t>(b.size(), 4096) / 2;
  if (units < 4) return "";
  size_t even_nul = 0, odd_nul = 0;
  for (size_t i = 0; i < units; ++i) {
    even_nul += b[2 * i] == '\0';
    odd_nul += b[2 * i + 1] == '\0';
  }
  if (odd_nul * 10 >= units * 7 && even_nul * 50 <= units) return "UTF-16LE";
  if (even_nul * 10 >= units * 7 && odd_nul * 50 <= units) return "UTF-16BE";
  return "";
}

}  // namespace storysift::internal
