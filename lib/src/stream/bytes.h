// Little-endian byte encoding for the index file, with a bounds-checked
// reader: every read checks the bytes left, so a truncated or hostile file
// can only make a read fail, never over-read or over-allocate.
#ifndef STORYSIFT_STREAM_BYTES_H_
#define STORYSIFT_STREAM_BYTES_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace storysift::internal {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}
  void U8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void U32(uint32_t v) { Le(v, 4); }
  void U64(uint64_t v) { Le(v, 8); }
  void I32(int32_t v) { U32(static_cast<uint32_t>(v)); }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void F64(double v) { U64(std::bit_cast<uint64_t>(v)); }
  void Bytes(std::string_view s) { out_->append(s); }

 private:
  void Le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_->push_back(static_cast<char>(v >> (8 * i)));
  }
  std::string* out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }
  bool U8(uint8_t* v) {
    uint64_t x;
    if (!Le(1, &x)) return false;
    *v = static_cast<uint8_t>(x);
    return true;
  }
  bool U32(uint32_t* v) {
    uint64_t x;
    if (!Le(4, &x)) return false;
    *v = static_cast<uint32_t>(x);
    return true;
  }
  bool U64(uint64_t* v) { return Le(8, v); }
  bool I32(int32_t* v) {
    uint32_t x;
    if (!U32(&x)) return false;
    *v = static_cast<int32_t>(x);
    return true;
  }
  bool I64(int64_t* v) {
    uint64_t x;
    if (!U64(&x)) return false;
    *v = static_cast<int64_t>(x);
    return true;
  }
  bool F64(double* v) {
    uint64_t x;
    if (!U64(&x)) return false;
    *v = std::bit_cast<double>(x);
    return true;
  }
  // A view of the next n bytes (valid while the input is).
  bool Bytes(size_t n, std::string_view* v) {
    if (n > remaining()) return false;
    *v = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  bool Le(int n, uint64_t* v) {
    if (static_cast<size_t>(n) > remaining()) return false;
    uint64_t x = 0;
    for (int i = 0; i < n; ++i) {
      x |= uint64_t{static_cast<unsigned char>(in_[pos_ + i])} << (8 * i);
    }
    pos_ += n;
    *v = x;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_STREAM_BYTES_H_
